import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Metrics } from "./metrics.ts";
import { type FamilyInfo, alertSignal, lintQuery, parseQuery } from "./promql-lint.ts";

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), "utf8");

interface Dashboard {
  uid: string;
  templating: { list: { name: string; query?: string }[] };
  panels: { title: string; type: string; targets: { expr: string }[] }[];
}
const dashboard = JSON.parse(read("dashboards/netdiag.json")) as Dashboard;

/** The registry's families, as src/dev/gen-docs.ts reads them. */
function families(): Record<string, FamilyInfo> {
  const m = new Metrics({ diagnoses: () => [], queueDepth: () => 0, isLeader: () => false, activeProbePods: () => 0 });
  const arr = m.registry.getMetricsAsArray() as unknown as { name: string; type: string; labelNames?: string[] }[];
  return Object.fromEntries(arr.map((f) => [f.name, { type: f.type, labelNames: f.labelNames ?? [] }]));
}

/**
 * The alert expressions of charts/netdiag/templates/prometheusrule.yaml, read from the
 * template: each `{{ ... }}` (a value such as certExpiryDays) stands for a number.
 * test/chart/rules.test.ts checks the rendered rules with promtool.
 */
function ruleExprs(): { alert: string; expr: string }[] {
  const out: { alert: string; expr: string }[] = [];
  let alert = "";
  for (const line of read("charts/netdiag/templates/prometheusrule.yaml").split("\n")) {
    const a = /^\s*- alert: (\S+)/.exec(line);
    if (a) alert = a[1] as string;
    const e = /^\s*expr: (.*)$/.exec(line);
    if (e) out.push({ alert, expr: (e[1] as string).replace(/\{\{[^}]*\}\}/g, "1") });
  }
  return out;
}

const panelExprs = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));

describe("the PromQL lint", () => {
  const f = families();
  const cases: [string, string, RegExp | undefined][] = [
    ["a gauge read as it is", 'max by (namespace) (netdiag_diagnosis_healthy{namespace=~"$namespace"})', undefined],
    ["a counter under rate()", "sum by (result) (rate(netdiag_runs_total[5m]))", undefined],
    [
      "a histogram's buckets under rate() in histogram_quantile()",
      "histogram_quantile(0.9, sum by (le) (rate(netdiag_reconcile_duration_seconds_bucket[5m])))",
      undefined,
    ],
    ["a metric the operator does not export", "netdiag_diagnosis_health == 0", /netdiag_diagnosis_health is not a metric the operator exports/],
    ["_bucket of a gauge", "rate(netdiag_probe_success_bucket[5m])", /netdiag_probe_success_bucket is not a metric/],
    ["a histogram without its _bucket/_sum/_count", "netdiag_reconcile_duration_seconds", /is a histogram/],
    ["rate() of a gauge", "rate(netdiag_diagnosis_healthy[5m])", /is a gauge: rate\(\) is only for counters/],
    ["a counter read raw", "sum(netdiag_runs_total)", /is a counter: wrap it in rate\(\)/],
    ["a selector on a label the metric lacks", 'netdiag_leader{namespace="x"}', /netdiag_leader has no label namespace/],
    ["grouping by a label no metric has", "sum by (pod) (netdiag_leader)", /groups by/],
    ["le outside a _bucket", 'netdiag_workqueue_depth{le="1"}', /has no label le/],
  ];
  for (const [what, expr, problem] of cases)
    it(`${problem ? "rejects" : "accepts"} ${what}`, () => {
      const p = lintQuery(expr, f);
      if (problem) assert.match(p.join("; "), problem);
      else assert.deepEqual(p, []);
    });
  it("finds metrics inside nested calls and ignores label names, keywords and Grafana variables", () => {
    const q = parseQuery('count(max by (namespace, diagnosis) (netdiag_diagnosis_healthy{namespace=~"$namespace"}) == 0) or vector(0)');
    assert.deepEqual(q.metrics, [{ name: "netdiag_diagnosis_healthy", within: "max", matchers: ["namespace"] }]);
    assert.deepEqual(q.grouping, ["namespace", "diagnosis"]);
  });
});

describe("the shipped Grafana dashboard and alert rules", () => {
  const f = families();
  it("query only metrics the operator exports, each as its type allows, with labels it has", () => {
    assert.ok(panelExprs.length >= 15, `${panelExprs.length} panel queries`);
    const rules = ruleExprs();
    assert.ok(rules.length >= 8, `${rules.length} alert rules`);
    const problems = [
      ...panelExprs.map(({ panel, expr }) => ({ where: `panel "${panel}"`, expr })),
      ...rules.map(({ alert, expr }) => ({ where: `alert ${alert}`, expr })),
    ].flatMap(({ where, expr }) => lintQuery(expr, f).map((p) => `${where}: ${p} (${expr})`));
    assert.deepEqual(problems, []);
  });
  it("fills its variables from a metric and label that exist", () => {
    for (const v of dashboard.templating.list.filter((x) => x.query?.startsWith("label_values("))) {
      const m = /^label_values\((.*),\s*(\w+)\)$/.exec(v.query as string);
      assert.ok(m, `variable ${v.name}: ${v.query}`);
      assert.deepEqual(lintQuery(m[1] as string, f), [], `variable ${v.name}`);
      const metric = parseQuery(m[1] as string).metrics[0]?.name as string;
      assert.ok(f[metric]?.labelNames.includes(m[2] as string), `variable ${v.name}: ${metric} has no label ${m[2]}`);
    }
  });
  it("plots every metric family the operator exports", () => {
    const used = new Set(panelExprs.flatMap(({ expr }) => parseQuery(expr).metrics.map((m) => m.name.replace(/_(bucket|sum|count)$/, ""))));
    assert.deepEqual(
      Object.keys(f).filter((name) => !used.has(name)),
      [],
    );
  });
  it("has the fleet view, the per-diagnosis drill-down and the operator's health", () => {
    const has = (metric: string, titlePart: RegExp) =>
      assert.ok(
        dashboard.panels.some((p) => titlePart.test(p.title) && p.targets.some((t) => t.expr.includes(metric))),
        `a panel titled ${titlePart} over ${metric}`,
      );
    has("netdiag_diagnosis_healthy", /^Unhealthy diagnoses$/);
    has("netdiag_diagnosis_healthy", /^Healthy diagnoses$/);
    has("netdiag_diagnosis_root_cause", /root causes/i);
    has("netdiag_probe_success", /per target and layer/);
    has("netdiag_probe_duration_seconds", /Latency/);
    has("netdiag_dns_lookup_time_seconds", /DNS/);
    has("netdiag_tls_cert_expiry_timestamp_seconds", /TLS certificate days left/);
    has("netdiag_leader", /Operator replicas/);
    has("netdiag_watch_restarts_total", /Watch restarts/);
    const drill = dashboard.panels.filter((p) => p.targets.some((t) => t.expr.includes('diagnosis=~"$diagnosis"')));
    assert.ok(drill.length >= 5, `${drill.length} panels follow the diagnosis variable`);
  });
  it("has a stable uid and a title per panel", () => {
    assert.equal(dashboard.uid, "netdiag-overview");
    for (const p of dashboard.panels) assert.ok(p.title.length > 0);
  });
});

describe("alertSignal", () => {
  const cases: [string, string][] = [
    ["max by (namespace, diagnosis) (netdiag_diagnosis_unhealthy_runs) >= 3", "max by (namespace, diagnosis) (netdiag_diagnosis_unhealthy_runs)"],
    ["min by (t) (x) - time() < 14 * 86400", "min by (t) (x) - time()"],
    ['up{job="netdiag-operator-metrics"} == 0', 'up{job="netdiag-operator-metrics"}'],
    ["absent(netdiag_leader)", "netdiag_leader"],
    ['sum(rate(a{result="error"}[15m])) / sum(rate(a[15m])) > 0.2', 'sum(rate(a{result="error"}[15m])) / sum(rate(a[15m]))'],
    ['x{a!="1", b=~"2"}', 'x{a!="1", b=~"2"}'],
  ];
  for (const [expr, signal] of cases) it(`reads ${JSON.stringify(signal)} out of ${JSON.stringify(expr)}`, () => assert.equal(alertSignal(expr), signal));
});
