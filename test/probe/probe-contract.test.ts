// The probe's input/output contract. Needs no network lab: the only checks run here are
// `route` / `tcp` against 127.0.0.1.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { PROBE, type RunOptions, runProbe, TOOLSETS, toolsetSkipReason } from "./netns-lab.ts";

const routeLo = { check: "route", host: "127.0.0.1" };

describe("netdiag-probe contract", () => {
  for (const ts of TOOLSETS)
    describe(ts.label, { skip: toolsetSkipReason(ts) }, () => {
      const run = (o: RunOptions) => runProbe({ ...o, toolset: ts.name });

      it("--help prints the usage and exits 0", () => {
        const r = run({ args: ["--help"] });
        assert.equal(r.code, 0);
        assert.match(r.stdout, /NETDIAG_PLAN/);
        assert.match(r.stdout, /--tcp HOST:PORT/);
      });

      it("no plan -> exit 2 with a message saying what to do", () => {
        const r = run({});
        assert.equal(r.code, 2);
        assert.match(r.stderr, /no plan: set NETDIAG_PLAN/);
      });

      it("plan that is not JSON -> exit 2", () => {
        const r = run({ env: { NETDIAG_PLAN: '{"version":1,' } });
        assert.equal(r.code, 2);
        assert.match(r.stderr, /not valid JSON/);
      });

      it("invalid plan fields -> exit 2 naming each field", () => {
        const r = run({
          plan: {
            version: 2,
            timeoutSeconds: 0,
            targets: [
              {
                name: "a",
                checks: [
                  { check: "tcp", host: "198.18.200.9" },
                  { check: "ping", host: "x" },
                  { check: "icmp", host: "-f" },
                  { check: "dns", name: "a;b" },
                  { check: "http", url: "ftp://x/" },
                  { check: "tls", host: "x", port: 70000 },
                ],
              },
              { checks: [] },
            ],
          },
        });
        assert.equal(r.code, 2);
        for (const frag of [
          "plan.version: must be 1",
          "plan.timeoutSeconds",
          "plan.targets[0].checks[0].port",
          "plan.targets[0].checks[1].check: must be one of",
          "plan.targets[0].checks[2].host",
          "plan.targets[0].checks[3].name",
          "plan.targets[0].checks[4].url",
          "plan.targets[0].checks[5].port",
          "plan.targets[1].name",
          "plan.targets[1].checks",
        ]) {
          assert.ok(r.stderr.includes(frag), `stderr should mention ${frag}:\n${r.stderr}`);
        }
        assert.equal(r.result, undefined);
      });

      it("user strings are data: shell syntax is rejected or echoed verbatim, never run", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "ndp-inj-"));
        const marker = path.join(dir, "pwned");
        try {
          const bad = run({ plan: { version: 1, targets: [{ name: "t", checks: [{ check: "tcp", host: `$(touch ${marker})`, port: 1 }] }] } });
          assert.equal(bad.code, 0, "a bad check is reported on its own, the probe still runs");
          const bc = bad.result!.targets[0]!.checks[0]!;
          assert.equal(bc.outcome, "error");
          assert.equal(bc.detail.invalid, true);
          assert.match(bc.detail.reason, /plan\.targets\[0\]\.checks\[0\]\.host/);
          const evil = `$(touch ${marker}); \`touch ${marker}\` ' " \\`;
          const r = run({
            plan: { version: 1, runId: evil, targets: [{ name: evil, checks: [{ ...routeLo, role: evil, id: "c-1" }] }] },
          });
          assert.equal(r.code, 0);
          assert.equal(r.result!.runId, evil);
          assert.equal(r.result!.targets[0]!.name, evil);
          assert.equal(r.result!.targets[0]!.checks[0]!.detail.input.role, evil);
          assert.equal(existsSync(marker), false);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it("echoes every input field of a check in detail.input", () => {
        const input = { check: "tcp", host: "127.0.0.1", port: 1, role: "endpoint", pod: "backend-abc", id: "x1" };
        const r = run({ plan: { version: 1, runId: "r1", timeoutSeconds: 2, targets: [{ name: "lo", checks: [input] }] } });
        assert.equal(r.code, 0);
        const c = r.result!.targets[0]!.checks[0]!;
        assert.deepEqual(c.detail.input, input);
        assert.equal(c.outcome, "refused");
      });

      it("reads the plan from NETDIAG_PLAN_FILE", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "ndp-plan-"));
        try {
          const f = path.join(dir, "plan.json");
          writeFileSync(f, JSON.stringify({ version: 1, runId: "from-file", targets: [{ name: "lo", checks: [routeLo] }] }));
          const r = run({ env: { NETDIAG_PLAN_FILE: f } });
          assert.equal(r.code, 0);
          assert.equal(r.result!.runId, "from-file");
          assert.equal(r.result!.targets[0]!.checks[0]!.outcome, "ok");
          assert.equal(r.result!.targets[0]!.checks[0]!.detail.dev, "lo");
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it("runs inline as `bash -c <program>`, the way the operator ships it to probe pods", () => {
        const plan = {
          version: 1,
          runId: "inline",
          targets: [{ name: "lo", checks: [routeLo, { check: "tcp", host: "127.0.0.1", port: 1, role: "host" }] }],
        };
        const r = run({ plan, inline: true, timeoutMs: 30_000 });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.summary.runId, "inline");
        assert.deepEqual(
          r.summary.targets[0].checks.map((c: { outcome: string }) => c.outcome),
          ["ok", "refused"],
        );
        assert.deepEqual(r.workFiles, ["termination-log"], "the inline copy and work dir are removed");
      });

      it("result shape: one NETDIAG_RESULT line, summary in the termination log", () => {
        const r = run({ plan: { version: 1, runId: "shape", targets: [{ name: "lo", checks: [routeLo] }] } });
        assert.equal(r.code, 0);
        assert.equal(r.stdout.split("\n").filter((l) => l.startsWith("NETDIAG_RESULT ")).length, 1);
        const res = r.result!;
        for (const k of ["version", "runId", "node", "podIP", "startedAt", "durationMs", "context", "targets"]) {
          assert.ok(k in res, k);
        }
        for (const k of ["resolvConf", "interfaces", "routes"]) assert.ok(k in res.context, k);
        const c = res.targets[0]!.checks[0]!;
        assert.deepEqual(Object.keys(c), ["check", "outcome", "durationMs", "detail"]);
        assert.equal(r.summary.truncated, false);
        assert.deepEqual(r.summary.targets, res.targets);
      });

      it("a summary that does not fit drops bulky detail and sets truncated", () => {
        const targets = Array.from({ length: 30 }, (_, i) => ({
          name: `target-${i}-${"x".repeat(20)}`,
          checks: [{ ...routeLo, id: `t${i}-route`, role: "clusterIP", pod: `backend-${i}` }],
        }));
        // generous timeout: 30 concurrent checks on a busy 2-core machine must not time out
        const r = run({ plan: { version: 1, runId: "big", timeoutSeconds: 20, targets } });
        assert.equal(r.code, 0);
        assert.ok(Buffer.byteLength(r.summaryRaw) < 4096, `summary is ${Buffer.byteLength(r.summaryRaw)} bytes`);
        assert.equal(r.summary.truncated, true);
        assert.equal(r.summary.runId, "big");
        assert.equal(r.summary.context, undefined);
        // the full result still has everything
        assert.equal(r.result!.targets.length, 30);
        assert.ok(Buffer.byteLength(JSON.stringify(r.result)) > 4096);
        const outcomes = r.summary.targets.flatMap((t: { checks: { outcome: string }[] }) => t.checks.map((c) => c.outcome));
        assert.ok(outcomes.length > 0);
        assert.ok(outcomes.every((o: string) => o === "ok"));
      });

      it("an unwritable termination log is skipped with a note", () => {
        const r = run({
          plan: { version: 1, targets: [{ name: "lo", checks: [routeLo] }] },
          env: { NETDIAG_TERMINATION_LOG: "/nonexistent-dir/termination-log" },
        });
        assert.equal(r.code, 0);
        assert.match(r.stderr, /termination log .* not writable/);
        assert.ok(r.result);
      });

      it("without jq: a clear error and a tool-missing result", () => {
        const r = run({
          plan: { version: 1, targets: [{ name: "lo", checks: [routeLo] }] },
          env: { NETDIAG_JQ: "/nonexistent/jq" },
        });
        assert.equal(r.code, 0);
        assert.match(r.stderr, /jq not found/);
        assert.equal(r.summary.outcome, "tool-missing");
        assert.match(r.summary.detail.reason, /jq not found/);
      });

      it("the probe is executable and starts with a bash shebang", () => {
        assert.ok(existsSync(PROBE));
        const r = run({ args: ["--help"] });
        assert.equal(r.code, 0);
      });
    });
});
