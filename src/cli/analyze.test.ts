import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { checkExpect, verdictStatus } from "../dev/scenario/expect.ts";
import { loadScenarios } from "../dev/scenario/load.ts";
import { analyzeOffline, runAnalyze } from "./analyze.ts";

/** Scenarios whose root cause the manifests alone decide. */
const OFFLINE = [
  "advent-day14-broken",
  "selector-typo",
  "war-story-targetport",
  "dns-egress-blocked",
  "cross-namespace-policy",
  "expect-blocked-but-open",
  "pods-not-ready",
  "short-name-cross-namespace",
];

const scenarios = loadScenarios();

describe("netdiag analyze on the shared scenarios", () => {
  for (const s of scenarios.filter((x) => OFFLINE.includes(x.name))) {
    it(`finds root cause ${String(s.expect.rootCause)} offline for ${s.name}`, () => {
      const v = analyzeOffline(s.objects, { name: s.name, namespace: s.namespace, spec: s.spec });
      const want = Array.isArray(s.expect.rootCause) ? s.expect.rootCause : [s.expect.rootCause];
      assert.ok(want.includes(v.rootCause?.code), `${v.rootCause?.code}: ${v.rootCause?.message}`);
      // offline there are no probes: findings that need one may be missing
      assert.deepEqual(checkExpect({ ...s.expect, findings: [] }, verdictStatus(v)), []);
    });
  }

  it("reports no finding above Info for healthy-frontend-backend", () => {
    const s = scenarios.find((x) => x.name === "healthy-frontend-backend");
    assert.ok(s, "scenario healthy-frontend-backend not found");
    const v = analyzeOffline(s.objects, { name: s.name, namespace: s.namespace, spec: s.spec });
    assert.equal(v.healthy, true);
    assert.deepEqual(
      v.findings.filter((f) => f.severity !== "Info"),
      [],
    );
  });
});

describe("runAnalyze", () => {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-analyze-"));
  const typo = scenarios.find((x) => x.name === "selector-typo");

  it("exits 1 with the root cause in JSON when a finding is Critical", async () => {
    assert.ok(typo);
    const r = await runAnalyze(["-f", join(typo.dir, "manifests.yaml"), "--diagnosis", join(typo.dir, "diagnosis.yaml"), "-o", "json"]);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as { healthy: boolean; rootCause: { code: string } };
    assert.equal(out.healthy, false);
    assert.equal(out.rootCause.code, "ServiceSelectorMatchesNoPods");
  });

  it("finds the NetworkDiagnosis among the -f files when --diagnosis is absent", async () => {
    assert.ok(typo);
    const r = await runAnalyze(["-f", typo.dir]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /root cause ServiceSelectorMatchesNoPods/);
    assert.match(r.stdout, /did you mean app=orders-service\?/);
  });

  const bad: [string, string[], RegExp][] = [
    ["a missing file", ["-f", join(dir, "nope.yaml"), "--diagnosis", join(dir, "nope.yaml")], /nope.yaml: no such file/],
    ["a YAML error, with file and line", ["-f", join(dir, "broken.yaml"), "--diagnosis", join(dir, "broken.yaml")], /broken.yaml:\d+:\d+: YAML error/],
    ["an invalid diagnosis spec", ["-f", join(dir, "invalid.yaml"), "--diagnosis", join(dir, "invalid.yaml")], /invalid NetworkDiagnosis x: spec.targets\[0\]/],
    ["an unknown flag", ["--frobnicate"], /unknown argument --frobnicate/],
  ];
  writeFileSync(join(dir, "broken.yaml"), "kind: Service\nmetadata:\n  name: [unclosed\n");
  writeFileSync(
    join(dir, "invalid.yaml"),
    "kind: NetworkDiagnosis\nmetadata: { name: x, namespace: y }\nspec:\n  targets:\n  - name: t\n    host: example.org\n",
  );
  for (const [what, args, message] of bad) {
    it(`exits 2 with a clear message on ${what}`, async () => {
      const r = await runAnalyze(args);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
    });
  }

  it("exits 0 for a healthy scenario when run through bin/netdiag", { timeout: 120_000 }, () => {
    const s = scenarios.find((x) => x.name === "healthy-frontend-backend");
    assert.ok(s);
    const bin = fileURLToPath(new URL("../../bin/netdiag", import.meta.url));
    const r = spawnSync(bin, ["analyze", "-f", join(s.dir, "manifests.yaml"), "--diagnosis", join(s.dir, "diagnosis.yaml")], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /HEALTHY/);
  });
});
