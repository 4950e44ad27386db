/**
 * The chart's alert rules through promtool (Debian's prometheus package, unpacked by
 * scripts/lab/build-prometheus, or $NETDIAG_PROMETHEUS_DIR): the PrometheusRule as helm
 * renders it with its default values, its spec written as a Prometheus rule file,
 * `promtool check rules` on it and `promtool test rules` with prometheusrule.tests.yaml,
 * which must make every alert fire at least once.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { one, render, repoRoot } from "./helm.ts";

const promDir =
  process.env.NETDIAG_PROMETHEUS_DIR || execFileSync(join(repoRoot, "scripts/lab/build-prometheus"), { encoding: "utf8" }).trim().split("\n").pop()!;
const promtool = (args: string[], cwd: string) => {
  const r = spawnSync(join(promDir, "promtool"), args, { encoding: "utf8", cwd });
  console.log(`$ promtool ${args.join(" ")}\n${r.stdout}${r.stderr}`);
  return r;
};
const testsFile = join(repoRoot, "test/chart/prometheusrule.tests.yaml");

describe("the chart's PrometheusRule under promtool", () => {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-rules-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const rule = one(render(["--set", "prometheusRule.enabled=true"]), "PrometheusRule", "netdiag-operator");
  writeFileSync(join(dir, "rules.yaml"), stringify(rule.spec));
  copyFileSync(testsFile, join(dir, "prometheusrule.tests.yaml"));
  const alerts: string[] = rule.spec.groups.flatMap((g: { rules: { alert?: string }[] }) => g.rules.map((r) => r.alert).filter(Boolean));

  it("passes promtool check rules", () => {
    const r = promtool(["check", "rules", "rules.yaml"], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`SUCCESS: ${alerts.length} rules found`));
  });

  it("passes its promtool unit tests", () => {
    const r = promtool(["test", "rules", "prometheusrule.tests.yaml"], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it("has a unit test in which each alert fires", () => {
    const tests = parse(readFileSync(testsFile, "utf8")) as { tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[] };
    const fired = new Set(tests.tests.flatMap((t) => (t.alert_rule_test ?? []).filter((a) => (a.exp_alerts ?? []).length > 0).map((a) => a.alertname)));
    assert.deepEqual(
      alerts.filter((a) => !fired.has(a)),
      [],
    );
    for (const want of ["NetdiagDiagnosisUnhealthy", "NetdiagProbeFailing", "NetdiagOperatorDown", "NetdiagOperatorAbsent", "NetdiagWatchRestarting"])
      assert.ok(alerts.includes(want), `the rule has ${want}`);
  });
});
