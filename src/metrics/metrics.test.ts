import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type DiagnosisView, Metrics } from "./metrics.ts";

function setup(views: DiagnosisView[]) {
  const m = new Metrics({ diagnoses: () => views, queueDepth: () => 3, isLeader: () => true, activeProbePods: () => 2 });
  return m;
}

const unhealthy: DiagnosisView = {
  namespace: "shop",
  name: "web-to-api",
  status: {
    conditions: [{ type: "Healthy", status: "False", reason: "ServiceSelectorMatchesNoPods", message: "", lastTransitionTime: "2026-01-01T00:00:00Z" }],
    findings: [{ code: "ServiceSelectorMatchesNoPods", severity: "Critical", layer: "Objects", message: "m" }],
    rootCause: { code: "ServiceSelectorMatchesNoPods", layer: "Objects", message: "m" },
    history: [
      { id: "r4", startTime: "2026-01-01T00:40:00Z", healthy: false },
      { id: "r3", startTime: "2026-01-01T00:30:00Z", healthy: false },
      { id: "r2", startTime: "2026-01-01T00:20:00Z", healthy: true },
      { id: "r1", startTime: "2026-01-01T00:10:00Z", healthy: false },
    ],
    targets: [
      {
        name: "api",
        dnsLookupMs: 12,
        certificateNotAfter: "2027-01-01T00:00:00Z",
        layers: [
          { layer: "DNS", outcome: "Passed", latencyMs: 12 },
          { layer: "L4", outcome: "Failed", latencyMs: 3000 },
          { layer: "L7", outcome: "Skipped" },
        ],
      },
    ],
  },
};

describe("Metrics", () => {
  it("computes diagnosis series from the cached status at scrape time", async () => {
    const text = await setup([unhealthy]).text();
    assert.match(text, /netdiag_diagnosis_healthy\{namespace="shop",diagnosis="web-to-api"\} 0/);
    assert.match(text, /netdiag_probe_success\{namespace="shop",diagnosis="web-to-api",target="api",check="dns"\} 1/);
    assert.match(text, /netdiag_probe_success\{namespace="shop",diagnosis="web-to-api",target="api",check="tcp"\} 0/);
    assert.doesNotMatch(text, /check="http"/);
    assert.match(text, /netdiag_probe_duration_seconds\{[^}]*phase="tcp"\} 3/);
    assert.match(text, /netdiag_dns_lookup_time_seconds\{[^}]*\} 0.012/);
    assert.match(text, /netdiag_tls_cert_expiry_timestamp_seconds\{[^}]*\} 1798761600/);
    assert.match(text, /netdiag_findings\{namespace="shop",diagnosis="web-to-api",code="ServiceSelectorMatchesNoPods",severity="Critical"\} 1/);
    assert.match(text, /netdiag_reconcile_total\{result="ok"\} 0\n/);
    assert.match(text, /netdiag_reconcile_total\{result="error"\} 0\n/, "the error ratio has a denominator and a numerator from the start");
    assert.match(text, /netdiag_workqueue_depth 3/);
    assert.match(text, /netdiag_leader 1/);
    assert.match(text, /netdiag_probe_pods_active 2/);
  });

  it("counts the unhealthy runs since the last healthy one, newest first in status.history", async () => {
    const text = await setup([
      unhealthy,
      { namespace: "shop", name: "fine", status: { history: [{ id: "a", startTime: "2026-01-01T00:00:00Z", healthy: true }] } },
      { namespace: "shop", name: "never-healthy", status: { history: [false, false, false].map((healthy, i) => ({ id: `r${i}`, startTime: "x", healthy })) } },
      { namespace: "shop", name: "new" },
    ]).text();
    assert.match(text, /netdiag_diagnosis_unhealthy_runs\{namespace="shop",diagnosis="web-to-api"\} 2\n/);
    assert.match(text, /netdiag_diagnosis_unhealthy_runs\{namespace="shop",diagnosis="fine"\} 0\n/);
    assert.match(text, /netdiag_diagnosis_unhealthy_runs\{namespace="shop",diagnosis="never-healthy"\} 3\n/);
    assert.doesNotMatch(text, /netdiag_diagnosis_unhealthy_runs\{[^}]*diagnosis="new"/, "no run yet: no series");
  });

  it("exports the root-cause code as one series per unhealthy diagnosis", async () => {
    const text = await setup([unhealthy, { namespace: "shop", name: "fine", status: {} }]).text();
    assert.deepEqual(
      text.split("\n").filter((l) => l.startsWith("netdiag_diagnosis_root_cause{")),
      ['netdiag_diagnosis_root_cause{namespace="shop",diagnosis="web-to-api",code="ServiceSelectorMatchesNoPods"} 1'],
    );
  });

  it("starts every run result of a cached diagnosis at 0, so rate() sees its first run", async () => {
    const m = setup([unhealthy]);
    let text = await m.text();
    for (const result of ["healthy", "unhealthy", "probe-problem"])
      assert.match(text, new RegExp(`netdiag_runs_total\\{namespace="shop",diagnosis="web-to-api",result="${result}"\\} 0\\n`));
    m.runs.inc({ namespace: "shop", diagnosis: "web-to-api", result: "unhealthy" });
    text = await m.text();
    assert.match(text, /netdiag_runs_total\{namespace="shop",diagnosis="web-to-api",result="unhealthy"\} 1\n/);
    assert.match(text, /netdiag_runs_total\{namespace="shop",diagnosis="web-to-api",result="healthy"\} 0\n/);
  });

  it("drops every series of a diagnosis once it is gone from the cache", async () => {
    const views = [unhealthy];
    const m = setup(views);
    m.runs.inc({ namespace: "shop", diagnosis: "web-to-api", result: "unhealthy" });
    assert.match(await m.text(), /web-to-api/);
    const before = await m.text();
    for (const family of ["probe_success", "diagnosis_healthy", "diagnosis_unhealthy_runs", "diagnosis_root_cause", "findings", "runs_total"])
      assert.match(before, new RegExp(`netdiag_${family}\\{[^}]*diagnosis="web-to-api"`), family);
    views.length = 0;
    m.forgetDiagnosis("shop", "web-to-api");
    assert.doesNotMatch(await m.text(), /web-to-api/);
    assert.doesNotMatch(await m.text(), /web-to-api/, "a second scrape does not bring the zeroed run counters back");
  });
});

describe("metrics from what a run writes (not hand-fed status fields)", () => {
  it("exports the DNS lookup time and the certificate expiry that evaluate() puts into status.targets", async () => {
    const { evaluate } = await import("../analyzers/evaluate.ts");
    const { snapshotFromObjects } = await import("../analyzers/offline/snapshot-from-objects.ts");
    const { SpecSchema } = await import("../api/spec.ts");
    const { CheckResultSchema } = await import("../api/probe-contract.ts");
    const chk = (check: string, outcome: string, input: Record<string, unknown>, detail: Record<string, unknown>) =>
      CheckResultSchema.parse({ check, outcome, durationMs: 40, detail: { input: { check, ...input }, ...detail } });
    const v = evaluate({
      namespace: "shop",
      spec: SpecSchema.parse({ targets: [{ name: "site", url: "https://198.18.5.5/" }] }),
      snapshot: snapshotFromObjects([{ kind: "Namespace", metadata: { name: "shop" } }], ["shop"]),
      probes: [
        {
          pod: "p-0",
          result: {
            version: 1,
            runId: "r",
            targets: [
              {
                name: "site",
                checks: [
                  chk("dns", "ok", { name: "site.example" }, { queryTimeMs: 23, addresses: ["198.18.5.5"] }),
                  chk("tcp", "ok", { host: "198.18.5.5", port: 443, role: "host" }, { connectMs: 1 }),
                  chk("tls", "ok", { host: "198.18.5.5", port: 443 }, { notAfter: "2027-03-01T00:00:00Z" }),
                ],
              },
            ],
          },
        },
      ],
      now: new Date("2026-12-01T00:00:00Z"),
    });
    const row = v.targets[0];
    assert.equal(row?.dnsLookupMs, 23);
    assert.equal(row?.certificateNotAfter, "2027-03-01T00:00:00Z");
    const text = await setup([{ namespace: "shop", name: "site", status: { targets: v.targets, findings: v.findings } }]).text();
    assert.match(text, /netdiag_dns_lookup_time_seconds\{namespace="shop",diagnosis="site",target="site"\} 0.023/);
    assert.match(text, /netdiag_tls_cert_expiry_timestamp_seconds\{[^}]*target="site"[^}]*\} 1803859200/);
  });
});
