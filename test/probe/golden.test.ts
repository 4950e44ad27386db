// Golden tests of every tool-output parser of the probe. Each capture under
// test/fixtures/probe-golden/<tool>/<case>.txt is real output of that tool, captured in the
// netns lab by golden-capture.sh (commands in <case>.json); the probe's own parser (a bash
// function or a jq program from probe/src/, run standalone by golden-parsers.sh) must turn
// it into <case>.json's "expect". Needs no lab and no root (the alpine-like rootfs does: chroot):
// parsing is offline.
// Each parser runs on both tool sets (toolset.ts): with the host's GNU tools and inside the
// alpine-like rootfs, where its sed / awk / grep / tr / head are busybox's.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import { repoRoot, TOOLSETS, toolsetSkipReason } from "./netns-lab.ts";
import { repoPath, type ToolsetName, toolsetSpawn } from "./toolset.ts";

const GOLD = path.join(repoRoot, "test", "fixtures", "probe-golden");
const HARNESS = path.join(repoRoot, "test", "probe", "golden-parsers.sh");

/**
 * Every output the probe parses, and the cases each parser must at least be tested on (the
 * failures the probe tells apart). A parser without captures, or a capture directory without
 * a parser, fails the suite.
 */
const REQUIRED: Record<string, string[]> = {
  dig: ["a-ok", "aaaa-ok", "cname", "search-final-name", "nxdomain", "nodata-aaaa", "servfail", "refused", "timeout", "connection-refused"],
  getent: ["ahostsv4", "ahosts-localhost", "nxdomain"],
  nslookup: ["ok", "nxdomain"],
  "resolv-conf": ["kubernetes-pod", "no-nameserver"],
  "ip-route-get": ["via-gateway", "on-link", "local", "cached-pmtu", "unreachable-route", "prohibit-route", "network-unreachable"],
  "ip-link": ["client", "router"],
  "ip-link-dev": ["veth", "loopback"],
  "ip-addr-global": ["client", "none"],
  ping: ["ok", "loss-100", "host-unreachable", "admin-prohibited", "network-unreachable", "send-refused", "socket-not-permitted", "exec-not-permitted"],
  "ping-mtu": ["fits", "frag-needed", "local-too-long", "no-answer"],
  tracepath: ["reached", "dropped-beyond-router", "host-unreachable", "network-unreachable"],
  traceroute: ["reached", "dropped-beyond-router", "host-prohibited", "admin-prohibited"],
  "bash-dev-tcp": ["refused-closed-port", "host-prohibited", "timeout-dropped", "unreachable-route", "network-unreachable"],
  curl: ["ok-200", "status-503", "empty-reply", "refused", "timeout", "nxdomain", "tls-untrusted", "tls-expired", "tls-name-mismatch"],
  "openssl-s_client": ["good", "self-signed-chain", "expired", "wrong-name", "refused", "timeout", "plain-http-server"],
  "openssl-x509": ["good", "expired", "wrong-name", "self-signed-ca"],
  "openssl-checkhost": ["match", "mismatch", "ip-match"],
  "openssl-verify": ["trusted", "no-issuer", "self-signed"],
  mtr: ["reached", "dropped-beyond-router"],
};

interface Case {
  command: string;
  exitStatus: number;
  expect: unknown;
}

function casesOf(tool: string): string[] {
  return readdirSync(path.join(GOLD, tool))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/** Every case of TOOL parsed by one golden-parsers.sh run (the sources are read once). */
function parseAll(ts: ToolsetName, tool: string, names: string[]): Map<string, unknown> {
  const cases = names.map((n) => repoPath(ts, path.join(GOLD, tool, n)));
  const r = toolsetSpawn(ts, ["bash", repoPath(ts, HARNESS), tool, ...cases], { encoding: "utf8", timeout: 120_000 });
  const out = new Map<string, unknown>();
  const parts = String(r.stdout ?? "").split(/^@@case (.*)$/m);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const name = path.basename(parts[i]!);
    const text = parts[i + 1]!;
    const fail = /^@@fail .* (\d+)$/m.exec(text);
    out.set(name, fail ? new Error(`golden-parsers.sh ${tool} ${name} failed (${fail[1]}): ${r.stderr}`) : JSON.parse(text));
  }
  if (out.size !== names.length) throw new Error(`golden-parsers.sh ${tool}: ${out.size} of ${names.length} cases parsed (${r.status}): ${r.stderr}`);
  return out;
}

const tools = readdirSync(GOLD, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe("probe parsers on golden captures", () => {
  it("has captures for every parser, including the failure cases, and a parser for every capture", () => {
    for (const [tool, need] of Object.entries(REQUIRED)) {
      assert.ok(tools.includes(tool), `no captures for ${tool}`);
      const have = casesOf(tool);
      for (const c of need) assert.ok(have.includes(c), `${tool}: required case ${c} is missing`);
    }
    for (const tool of tools) assert.ok(tool in REQUIRED, `${tool}: captures without a parser entry`);
  });

  it("tests the parsers that ship: probe/netdiag-probe is assembled from probe/src as it is", () => {
    const r = spawnSync(path.join(repoRoot, "scripts", "build-probe"), ["--check"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  });

  for (const ts of TOOLSETS) {
    describe(ts.label, { skip: toolsetSkipReason(ts) }, () => {
      for (const tool of tools) {
        describe(tool, () => {
          const names = casesOf(tool);
          let parsed: Map<string, unknown>;
          before(() => {
            parsed = parseAll(ts.name, tool, names);
          });
          for (const name of names) {
            const file = path.join(GOLD, tool, `${name}.json`);
            const c = JSON.parse(readFileSync(file, "utf8")) as Case;
            it(`parses ${name} (${c.command.slice(0, 90)}, exit ${c.exitStatus})`, () => {
              assert.ok(existsSync(path.join(GOLD, tool, `${name}.txt`)), `${name}.txt is missing`);
              assert.ok(c.expect !== undefined, `${name}.json has no "expect" (golden-capture.sh expect, then review it)`);
              const got = parsed.get(name);
              if (got instanceof Error) throw got;
              assert.deepEqual(got, c.expect);
            });
          }
        });
      }
    });
  }
});
