/**
 * What the chart's values do: the Deployment's defaults (replicas, leader election, PDB,
 * anti-affinity, restricted securityContext), the policy values reaching the operator's
 * own config parser as env, the optional ServiceMonitor / PrometheusRule / dashboard, and
 * values.schema.json refusing bad values with the key's path.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Metrics } from "../../src/metrics/metrics.ts";
import { lintQuery } from "../../src/metrics/promql-lint.ts";
import { loadConfig } from "../../src/operator/config.ts";
import { chartDir, helm, one, render, repoRoot, type K8sObject } from "./helm.ts";

const deployment = (objects: K8sObject[]) => one(objects, "Deployment", "netdiag-operator");
const container = (objects: K8sObject[]) => deployment(objects).spec.template.spec.containers[0];

/** The operator's config as the pod would load it: the container's args and env (fieldRefs filled in). */
function operatorConfig(objects: K8sObject[]) {
  const c = container(objects);
  const env: Record<string, string> = { POD_NAME: "netdiag-operator-0", POD_NAMESPACE: deployment(objects).metadata.namespace };
  for (const e of c.env as { name: string; value?: string }[]) if (e.value !== undefined) env[e.name] = e.value;
  return loadConfig(c.args, env);
}

describe("the chart's Deployment", () => {
  it("runs 2 replicas with leader election, a PodDisruptionBudget and anti-affinity by default", () => {
    const objects = render();
    const d = deployment(objects);
    assert.equal(d.spec.replicas, 2);
    assert.equal(operatorConfig(objects).leaderElection, true);
    const pdb = one(objects, "PodDisruptionBudget", "netdiag-operator");
    assert.equal(pdb.spec.maxUnavailable, 1);
    assert.deepEqual(pdb.spec.selector, d.spec.selector);
    const term = d.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm;
    assert.equal(term.topologyKey, "kubernetes.io/hostname");
    assert.deepEqual(term.labelSelector, d.spec.selector);
  });

  it("passes Pod Security restricted: non-root numeric uid, RuntimeDefault seccomp, no escalation, no capabilities, read-only root", () => {
    const spec = deployment(render()).spec.template.spec;
    assert.equal(spec.securityContext.runAsNonRoot, true);
    assert.ok(Number.isInteger(spec.securityContext.runAsUser) && spec.securityContext.runAsUser > 0);
    assert.equal(spec.securityContext.seccompProfile.type, "RuntimeDefault");
    for (const c of spec.containers) {
      assert.equal(c.securityContext.allowPrivilegeEscalation, false);
      assert.equal(c.securityContext.readOnlyRootFilesystem, true);
      assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] });
      assert.equal(c.securityContext.privileged, undefined);
    }
  });

  it("refuses several replicas without leader election, and runs one without it", () => {
    const r = helm(["template", "netdiag", chartDir, "--set", "leaderElection.enabled=false"]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /replicas: 2 needs leaderElection\.enabled=true/);
    const single = render(["--set", "leaderElection.enabled=false,replicas=1"]);
    assert.equal(operatorConfig(single).leaderElection, false);
  });

  it("replaces the default anti-affinity when affinity is set, and drops the PDB when disabled", () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "pool", operator: "In", values: ["ops"] }] }] },
      },
    };
    const objects = render(["--set-json", `affinity=${JSON.stringify(affinity)}`, "--set", "podDisruptionBudget.enabled=false"]);
    assert.deepEqual(deployment(objects).spec.template.spec.affinity, affinity);
    assert.equal(objects.filter((o) => o.kind === "PodDisruptionBudget").length, 0);
  });

  it("gives the operator the defaults of its own config when no value is set", () => {
    const c = operatorConfig(render());
    const defaults = loadConfig(["--in-cluster"], {});
    for (const k of [
      "probeImage",
      "logLevel",
      "probeImageAllowlist",
      "nodeFanOutNamespaces",
      "probeControlPlaneNodes",
      "probeTolerateTaints",
      "allowImpersonation",
      "probeRawSockets",
      "namespaceHints",
    ] as const) {
      assert.deepEqual(c[k], defaults[k], k);
    }
    assert.equal(c.operatorNamespace, "netdiag-system");
  });

  it("passes every policy value to the operator as env its config parser reads back", () => {
    const objects = render([
      "--set-json",
      'policy={"probeImageAllowlist":["mirror/netshoot:*","busybox:1.36"],"nodeFanOutNamespaces":["ops","*"],"probeControlPlaneNodes":true,"probeTolerateTaints":["dedicated:NoSchedule","gpu"],"allowImpersonation":false,"probeRawSockets":true,"namespaceHints":"all"}',
      "--set",
      "probeImage=nicolaka/netshoot:v0.14,logLevel=debug",
    ]);
    const env = Object.fromEntries((container(objects).env as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
    assert.equal(env.NETDIAG_NAMESPACE_HINTS, "all");
    assert.equal(env.NETDIAG_PROBE_IMAGE_ALLOWLIST, "mirror/netshoot:*,busybox:1.36");
    const c = operatorConfig(objects);
    assert.deepEqual(
      [
        c.probeImage,
        c.logLevel,
        c.probeImageAllowlist,
        c.nodeFanOutNamespaces,
        c.probeControlPlaneNodes,
        c.probeTolerateTaints,
        c.allowImpersonation,
        c.probeRawSockets,
        c.namespaceHints,
      ],
      ["nicolaka/netshoot:v0.14", "debug", ["mirror/netshoot:*", "busybox:1.36"], ["ops", "*"], true, ["dedicated:NoSchedule", "gpu"], false, true, "all"],
    );
  });
});

describe("the chart's optional objects", () => {
  it("renders no ServiceMonitor, PrometheusRule or dashboard ConfigMap by default", () => {
    assert.deepEqual(
      render().filter((o) => ["ServiceMonitor", "PrometheusRule", "ConfigMap"].includes(o.kind)),
      [],
    );
  });

  it("scrapes the metrics Service with a ServiceMonitor that keeps netdiag's namespace label", () => {
    const objects = render(["--set", "serviceMonitor.enabled=true,serviceMonitor.labels.release=prometheus,serviceMonitor.interval=1m"]);
    const sm = one(objects, "ServiceMonitor", "netdiag-operator");
    const svc = one(objects, "Service", "netdiag-operator-metrics");
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels))
      assert.equal(svc.metadata.labels?.[k], v, `the Service lacks the ServiceMonitor's label ${k}`);
    const [endpoint] = sm.spec.endpoints;
    assert.ok(
      svc.spec.ports.some((p: { name: string }) => p.name === endpoint.port),
      `no Service port named ${endpoint.port}`,
    );
    assert.equal(endpoint.path, "/metrics");
    assert.equal(endpoint.interval, "1m");
    assert.equal(endpoint.honorLabels, true);
    assert.equal(sm.metadata.labels?.release, "prometheus");
  });

  it("alerts only on metrics the operator exports, as their types allow", () => {
    const rule = one(render(["--set", "prometheusRule.enabled=true,prometheusRule.certExpiryDays=30"]), "PrometheusRule", "netdiag-operator");
    const rules = rule.spec.groups.flatMap((g: { rules: { alert: string; expr: string }[] }) => g.rules);
    assert.ok(rules.length >= 4);
    const m = new Metrics({ diagnoses: () => [], queueDepth: () => 0, isLeader: () => false, activeProbePods: () => 0 });
    const families = Object.fromEntries(
      (m.registry.getMetricsAsArray() as unknown as { name: string; type: string; labelNames?: string[] }[]).map((f) => [
        f.name,
        { type: f.type, labelNames: f.labelNames ?? [] },
      ]),
    );
    // the rendered expressions, linted as src/metrics/dashboard.test.ts lints the template's
    for (const r of rules) assert.deepEqual(lintQuery(r.expr, families), [], `${r.alert}: ${r.expr}`);
    assert.match(rules.find((r: { alert: string }) => r.alert === "NetdiagCertificateExpiresSoon").expr, /< 30 \* 86400$/);
  });

  it('ships dashboards/netdiag.json as a ConfigMap labelled grafana_dashboard: "1" where the sidecar looks', () => {
    const cm = one(
      render(["--set", "grafanaDashboard.enabled=true,grafanaDashboard.namespace=monitoring,grafanaDashboard.annotations.grafana_folder=Networking"]),
      "ConfigMap",
      "netdiag-dashboard",
    );
    assert.equal(cm.metadata.labels?.grafana_dashboard, "1");
    assert.equal(cm.metadata.namespace, "monitoring");
    assert.equal(cm.metadata.annotations?.grafana_folder, "Networking");
    assert.equal(cm.data["netdiag.json"], readFileSync(join(repoRoot, "dashboards/netdiag.json"), "utf8"));
  });
});

describe("the chart's values.schema.json", () => {
  const cases: [string[], RegExp][] = [
    [["--set", "replicas=two"], /at '\/replicas': got string, want integer/],
    [["--set", "policy.namespaceHints=some"], /at '\/policy\/namespaceHints': value must be one of 'labelled', 'all'/],
    [["--set", "replica=3"], /additional properties 'replica' not allowed/],
    [["--set", "policy.probeTolerateTaints={dedicated:NoWhere}"], /at '\/policy\/probeTolerateTaints\/0'/],
    [["--set", "policy.nodeFanOutNamespaces={Ops}"], /at '\/policy\/nodeFanOutNamespaces\/0'/],
    [["--set", "policy.allowImpersonation=maybe"], /at '\/policy\/allowImpersonation': got string, want boolean/],
    [["--set", "logLevel=verbose"], /at '\/logLevel': value must be one of/],
    [["--set", "serviceMonitor.enabled=yes"], /at '\/serviceMonitor\/enabled': got string, want boolean/],
    [["--set", "serviceMonitor.interval=often"], /at '\/serviceMonitor\/interval'/],
    [["--set", "podDisruptionBudget.maxUnavailable=half"], /at '\/podDisruptionBudget\/maxUnavailable'/],
    [["--set", "image.pullPolicy=Sometimes"], /at '\/image\/pullPolicy'/],
  ];
  for (const [args, message] of cases) {
    it(`refuses ${args.join(" ")} naming the key`, () => {
      const r = helm(["template", "netdiag", chartDir, ...args]);
      assert.notEqual(r.status, 0, `helm accepted ${args.join(" ")}`);
      assert.match(r.stderr, /values don't meet the specifications of the schema/);
      assert.match(r.stderr, message);
    });
  }
  it("accepts the documented forms: a percentage for the PDB, a prefix allowlist, key-only taints", () => {
    render(["--set", "podDisruptionBudget.maxUnavailable=50%,policy.probeImageAllowlist={nicolaka/*},policy.probeTolerateTaints={gpu}"]);
  });
});
