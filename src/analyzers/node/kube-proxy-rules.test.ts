import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeInspection } from "../../api/node-inspection.ts";
import { type CheckResult, CheckResultSchema } from "../../api/probe-contract.ts";
import { SpecSchema } from "../../api/spec.ts";
import { evaluate } from "../evaluate.ts";
import { type ManifestObject, snapshotFromObjects } from "../offline/snapshot-from-objects.ts";

const NOW = new Date("2026-01-01T00:10:00Z");
const objects = (svcCreated = "2026-01-01T00:00:00Z", ready = "True"): ManifestObject[] => [
  { kind: "Namespace", metadata: { name: "shop" } },
  {
    kind: "Service",
    metadata: { name: "api", namespace: "shop", creationTimestamp: svcCreated } as never,
    spec: { selector: { app: "api" }, clusterIP: "198.19.1.2", ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }] },
  },
  {
    kind: "Pod",
    metadata: { name: "api-0", namespace: "shop", labels: { app: "api" } },
    spec: { nodeName: "n1", containers: [{ name: "c", ports: [{ containerPort: 8080 }] }] },
    status: { phase: "Running", podIP: "198.18.10.5", conditions: [{ type: "Ready", status: ready }] },
  },
];
const chk = (outcome: string, input: Record<string, unknown>): CheckResult =>
  CheckResultSchema.parse({
    check: "tcp",
    outcome,
    durationMs: 5,
    detail: { input: { check: "tcp", ...input }, ...(outcome === "ok" ? { connectMs: 1 } : {}) },
  });
const vip = (o: string) => chk(o, { host: "198.19.1.2", port: 80, role: "clusterIP" });
const ep = (o: string) => chk(o, { host: "198.18.10.5", port: 8080, role: "endpoint", pod: "api-0", ready: "true" });
const inspection = (
  node: string,
  rule: NodeInspection["services"][number]["rule"],
  mode: NodeInspection["services"][number]["mode"] = "iptables",
): NodeInspection => ({
  version: 1,
  kind: "node-inspection",
  runId: "r",
  node,
  sampleMs: 1000,
  interfaces: [],
  pods: [],
  routes: [],
  services: [{ ip: "198.19.1.2", port: 80, protocol: "TCP", mode, rule }],
});

function run(checks: CheckResult[], inspections: NodeInspection[], objs = objects()) {
  const spec = SpecSchema.parse({ targets: [{ name: "api", service: { name: "api", port: 80 } }] });
  return evaluate({
    namespace: "shop",
    spec,
    snapshot: snapshotFromObjects(objs, ["shop"]),
    probes: [{ pod: "probe-0", node: "n1", result: { version: 1, runId: "r", targets: [{ name: "api", checks }] } }],
    now: NOW,
    nodeInspections: inspections,
  });
}

describe("kube-proxy's rules for the target ClusterIP (node inspection)", () => {
  it("names the node without the rule in the root cause, with the rule facts as evidence", () => {
    const v = run([vip("timeout"), ep("ok")], [inspection("n1", "missing"), inspection("n2", "present")]);
    assert.equal(v.rootCause?.code, "ServiceVIPUnreachable");
    assert.match(v.rootCause?.message ?? "", /kube-proxy on node n1 has no rule for 198\.19\.1\.2:80/);
    const vipFinding = v.findings.find((f) => f.code === "ServiceVIPUnreachable");
    assert.ok(vipFinding?.evidence?.includes("node n1: no KUBE-SVC rule for 198.19.1.2:80/TCP in KUBE-SERVICES (iptables mode)"), JSON.stringify(vipFinding));
    assert.ok(vipFinding?.evidence?.some((e) => /node n2: kube-proxy rule for 198\.19\.1\.2:80\/TCP present/.test(e)));
    const kp = v.findings.find((f) => f.code === "KubeProxyUnhealthy");
    assert.equal(kp?.severity, "Critical");
    assert.match(kp?.message ?? "", /node n1 has not programmed the ClusterIP 198\.19\.1\.2:80 of Service shop\/api/);
  });

  it("finds a node that lacks the rule even when the probe's own node works", () => {
    const v = run([vip("ok"), ep("ok")], [inspection("n1", "present"), inspection("n2", "missing", "nftables")]);
    assert.equal(v.healthy, false);
    assert.equal(v.rootCause?.code, "KubeProxyUnhealthy");
    assert.match(v.rootCause?.message ?? "", /node n2/);
    assert.ok(
      v.findings
        .find((f) => f.code === "KubeProxyUnhealthy")
        ?.evidence?.includes("node n2: no element for 198.19.1.2:80/TCP in kube-proxy's service-ips map (nftables mode)"),
    );
  });

  it("claims nothing when every rule is present, the mode is unknown, or nothing was read", () => {
    for (const ins of [[inspection("n1", "present")], [inspection("n1", "unknown", "unknown")], []]) {
      const v = run([vip("ok"), ep("ok")], ins);
      assert.equal(v.healthy, true, JSON.stringify(v.findings));
    }
    const v = run([vip("timeout"), ep("ok")], [inspection("n1", "unknown", "unknown")]);
    assert.equal(v.rootCause?.code, "ServiceVIPUnreachable");
    assert.doesNotMatch(v.rootCause?.message ?? "", /has no rule/);
    assert.equal(
      v.findings.find((f) => f.code === "KubeProxyUnhealthy"),
      undefined,
    );
  });

  it("is only a Warning for a Service younger than a kube-proxy sync, and silent when no endpoint is ready", () => {
    const young = run([vip("ok"), ep("ok")], [inspection("n1", "missing")], objects("2026-01-01T00:09:50Z"));
    assert.equal(young.findings.find((f) => f.code === "KubeProxyUnhealthy")?.severity, "Warning");
    const none = run([vip("refused")], [inspection("n1", "missing")], objects(undefined, "False"));
    assert.equal(
      none.findings.find((f) => f.code === "KubeProxyUnhealthy"),
      undefined,
      JSON.stringify(none.findings),
    );
  });
});
