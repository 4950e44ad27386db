import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SpecSchema } from "../../api/spec.ts";
import { type CheckResult, CheckResultSchema } from "../../api/probe-contract.ts";
import type { NodeInspection } from "../../api/node-inspection.ts";
import type { ProbeReport } from "../context.ts";
import { evaluate } from "../evaluate.ts";
import { type ManifestObject, snapshotFromObjects } from "../offline/snapshot-from-objects.ts";
import { clusterDnsObjects } from "../dns/cluster-dns-fixture.ts";

// Two backend pods of Service api: api-1 on node n1 (198.18.10.5), api-2 on node n2 (198.18.11.5).
const backend = (name: string, node: string, ip: string): ManifestObject => ({
  kind: "Pod",
  metadata: { name, namespace: "shop", labels: { app: "api" } },
  spec: { nodeName: node, containers: [{ name: "c", ports: [{ containerPort: 8080 }] }] },
  status: { phase: "Running", podIP: ip, conditions: [{ type: "Ready", status: "True" }] },
});
const world = (pods: ManifestObject[]): ManifestObject[] => [
  { kind: "Namespace", metadata: { name: "shop" } },
  {
    kind: "Pod",
    metadata: { name: "client", namespace: "shop", labels: { app: "client" } },
    spec: { nodeName: "n1", containers: [{ name: "c" }] },
    status: { phase: "Running", podIP: "198.18.10.9" },
  },
  {
    kind: "Service",
    metadata: { name: "api", namespace: "shop" },
    spec: { clusterIP: "198.19.1.1", selector: { app: "api" }, ports: [{ port: 80, targetPort: 8080 }] },
  },
  ...pods,
];
const chk = (check: string, outcome: string, input: Record<string, unknown>): CheckResult =>
  CheckResultSchema.parse({ check, outcome, durationMs: 5, detail: { input: { check, ...input } } });
const ep = (pod: string, ip: string, outcome: string) => chk("tcp", outcome, { host: ip, port: 8080, role: "endpoint", pod, ready: "true" });
const dnsOk = chk("dns", "ok", { name: "api.shop.svc.cluster.local" });
const probe = (pod: string, node: string, checks: CheckResult[]): ProbeReport => ({
  pod,
  node,
  result: { version: 1, runId: "r", targets: [{ name: "api", checks }] },
});

const dnsTimeout = chk("dns", "dns-timeout", { name: "api.shop.svc.cluster.local" });

function run(pods: ManifestObject[], probes: ProbeReport[], nodeInspections: NodeInspection[] = []) {
  const spec = SpecSchema.parse({
    source: { podSelector: { matchLabels: { app: "client" } } },
    targets: [{ name: "api", service: { name: "api", port: 80 } }],
  });
  return evaluate({
    namespace: "shop",
    spec,
    snapshot: snapshotFromObjects(world(pods), ["shop"]),
    probes,
    now: new Date("2026-01-01T00:00:00Z"),
    nodeInspections,
  });
}

describe("CrossNodeUnreachable", () => {
  it("adds what node inspection saw of the route from the failing node (ip route get)", () => {
    const routes = (ok: boolean, route: string): NodeInspection => ({
      version: 1,
      kind: "node-inspection",
      runId: "r",
      node: "n1",
      sampleMs: 1000,
      interfaces: [],
      pods: [],
      services: [],
      routes: [{ ip: "198.18.11.5", ok, route }],
    });
    const probes = [probe("p-n1", "n1", [dnsOk, ep("api-2", "198.18.11.5", "timeout")]), probe("p-n2", "n2", [dnsOk, ep("api-2", "198.18.11.5", "ok")])];
    const cut = run([backend("api-2", "n2", "198.18.11.5")], probes, [routes(false, "RTNETLINK answers: Invalid argument")]);
    const f = cut.findings.find((x) => x.code === "CrossNodeUnreachable");
    assert.match(f?.message ?? "", /\(node n1 has no route to node n2's pods\)$/);
    assert.ok(f?.evidence?.includes("node n1: ip route get 198.18.11.5 -> RTNETLINK answers: Invalid argument (no route)"), JSON.stringify(f?.evidence));
    const routed = run([backend("api-2", "n2", "198.18.11.5")], probes, [routes(true, "198.18.11.5 via 198.18.9.2 dev ndlab-n2h src 198.18.9.1")]);
    const g = routed.findings.find((x) => x.code === "CrossNodeUnreachable");
    assert.doesNotMatch(g?.message ?? "", /no route/);
    assert.ok(g?.evidence?.includes("node n1: ip route get 198.18.11.5 -> 198.18.11.5 via 198.18.9.2 dev ndlab-n2h src 198.18.9.1"));
  });

  it("is the root cause when the probe on the backend's node connects and the probe on the other node times out", () => {
    const v = run(
      [backend("api-2", "n2", "198.18.11.5")],
      [probe("p-n1", "n1", [dnsOk, ep("api-2", "198.18.11.5", "timeout")]), probe("p-n2", "n2", [dnsOk, ep("api-2", "198.18.11.5", "ok")])],
    );
    assert.equal(v.rootCause?.code, "CrossNodeUnreachable", JSON.stringify(v.findings));
    const f = v.findings.find((x) => x.code === "CrossNodeUnreachable");
    assert.equal(f?.layer, "L3");
    assert.match(f?.message ?? "", /node n2 answer from node n2 but connections from node n1 time out/);
    assert.deepEqual(f?.evidence, [
      "probe p-n1 on node n1 -> pod api-2 (198.18.11.5:8080) on node n2: timeout",
      "probe p-n2 on node n2 -> pod api-2 (198.18.11.5:8080) on node n2: connected",
    ]);
  });

  it("needs only one probe when the Service has a pod on the probe's node and one on another", () => {
    const v = run(
      [backend("api-1", "n1", "198.18.10.5"), backend("api-2", "n2", "198.18.11.5")],
      [
        probe("p-n1", "n1", [dnsOk, ep("api-1", "198.18.10.5", "ok"), ep("api-2", "198.18.11.5", "timeout")]),
        probe("p-n3", "n3", [dnsOk, ep("api-2", "198.18.11.5", "ok")]),
      ],
    );
    const f = v.findings.find((x) => x.code === "CrossNodeUnreachable");
    assert.ok(f, JSON.stringify(v.findings));
    assert.ok(f.evidence?.includes("probe p-n1 on node n1 -> pod api-1 (198.18.10.5:8080) on its own node: connected"));
  });

  it("is not claimed without proof that the far node's pod answers someone else", () => {
    // one probe, all backends elsewhere, timeout: could be the app, a policy, the node — not proven cross-node
    const v = run([backend("api-2", "n2", "198.18.11.5")], [probe("p-n1", "n1", [dnsOk, ep("api-2", "198.18.11.5", "timeout")])]);
    assert.equal(
      v.findings.some((x) => x.code === "CrossNodeUnreachable"),
      false,
      JSON.stringify(v.findings),
    );
    // the pod answers only its own node's probe... that is the proof; but a refused connect is not a drop
    const w = run(
      [backend("api-2", "n2", "198.18.11.5")],
      [probe("p-n1", "n1", [dnsOk, ep("api-2", "198.18.11.5", "refused")]), probe("p-n2", "n2", [dnsOk, ep("api-2", "198.18.11.5", "ok")])],
    );
    assert.equal(
      w.findings.some((x) => x.code === "CrossNodeUnreachable"),
      false,
    );
  });

  it("raises nothing on a healthy two-node path", () => {
    const v = run(
      [backend("api-1", "n1", "198.18.10.5"), backend("api-2", "n2", "198.18.11.5")],
      [
        probe("p-n1", "n1", [dnsOk, ep("api-1", "198.18.10.5", "ok"), ep("api-2", "198.18.11.5", "ok")]),
        probe("p-n2", "n2", [dnsOk, ep("api-1", "198.18.10.5", "ok"), ep("api-2", "198.18.11.5", "ok")]),
      ],
    );
    assert.equal(v.healthy, true, JSON.stringify(v.findings));
    assert.deepEqual(
      v.findings.filter((f) => f.severity !== "Info"),
      [],
    );
  });

  it("explains lookups that time out only from the node without CoreDNS", () => {
    const v = run(
      [...clusterDnsObjects("n2"), backend("api-1", "n1", "198.18.10.5")],
      [probe("p-n1", "n1", [dnsTimeout, ep("api-1", "198.18.10.5", "ok")]), probe("p-n2", "n2", [dnsOk])],
    );
    assert.equal(v.rootCause?.code, "CrossNodeUnreachable", JSON.stringify(v.findings));
    assert.match(v.rootCause?.message ?? "", /Cluster DNS runs only on node n2; lookups from node n1 time out while the probe on node n2 resolves/);
    const dns = v.findings.find((f) => f.code === "DNSServerUnreachable");
    assert.equal(dns?.severity, "Warning", "the DNS service works: the symptom is not the root cause");
  });

  it("keeps DNSServerUnreachable Critical when no node resolves, or CoreDNS runs on the failing node", () => {
    const none = run(
      [...clusterDnsObjects("n2"), backend("api-1", "n1", "198.18.10.5")],
      [probe("p-n1", "n1", [dnsTimeout]), probe("p-n2", "n2", [dnsTimeout])],
    );
    assert.equal(
      none.findings.some((f) => f.code === "CrossNodeUnreachable"),
      false,
    );
    assert.equal(none.findings.find((f) => f.code === "DNSServerUnreachable" || f.code === "DNSResolutionFailed")?.severity, "Critical");
    const local = run([...clusterDnsObjects("n1"), backend("api-1", "n1", "198.18.10.5")], [probe("p-n1", "n1", [dnsTimeout]), probe("p-n2", "n2", [dnsOk])]);
    assert.equal(
      local.findings.some((f) => f.code === "CrossNodeUnreachable"),
      false,
    );
  });
});
