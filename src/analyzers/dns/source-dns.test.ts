import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type CheckResult, CheckResultSchema } from "../../api/probe-contract.ts";
import { SpecSchema } from "../../api/spec.ts";
import { evaluate } from "../evaluate.ts";
import { clusterDnsObjects } from "./cluster-dns-fixture.ts";
import { type ManifestObject, snapshotFromObjects } from "../offline/snapshot-from-objects.ts";

const world = (dns: Record<string, unknown>): ManifestObject[] => [
  { kind: "Namespace", metadata: { name: "shop" } },
  ...clusterDnsObjects("n1"),
  {
    kind: "Pod",
    metadata: { name: "frontend-1", namespace: "shop", labels: { app: "frontend" } },
    spec: { nodeName: "n1", containers: [{ name: "c" }], ...dns },
    status: { phase: "Running", podIP: "198.18.10.9", conditions: [{ type: "Ready", status: "True" }] },
  },
  {
    kind: "Service",
    metadata: { name: "api", namespace: "shop" },
    spec: { clusterIP: "198.19.1.1", selector: { app: "api" }, ports: [{ port: 80, targetPort: 8080 }] },
  },
  {
    kind: "Pod",
    metadata: { name: "api-1", namespace: "shop", labels: { app: "api" } },
    spec: { nodeName: "n1", containers: [{ name: "c", ports: [{ containerPort: 8080 }] }] },
    status: { phase: "Running", podIP: "198.18.10.5", conditions: [{ type: "Ready", status: "True" }] },
  },
];
const timeout = (server: string): CheckResult =>
  CheckResultSchema.parse({
    check: "dns",
    outcome: "dns-timeout",
    durationMs: 5000,
    detail: { input: { check: "dns", name: "api.shop.svc.cluster.local" }, perServer: [{ server, outcome: "dns-timeout" }] },
  });

function run(dns: Record<string, unknown>, server: string, inPod = false) {
  const spec = SpecSchema.parse({
    source: inPod ? { pod: { name: "frontend-1" } } : { podSelector: { matchLabels: { app: "frontend" } } },
    targets: [{ name: "api", service: { name: "api", port: 80 } }],
  });
  return evaluate({
    namespace: "shop",
    spec,
    snapshot: snapshotFromObjects(world(dns), ["shop"]),
    probes: [{ pod: "p-0", node: "n1", result: { version: 1, runId: "r", targets: [{ name: "api", checks: [timeout(server)] }] } }],
    now: new Date("2026-01-01T00:00:00Z"),
  });
}

describe("a lookup that fails through the source pod's own DNS settings", () => {
  it("names the pod's dnsPolicy and nameservers, not CoreDNS, and the fix is the pod's", () => {
    const v = run({ dnsPolicy: "None", dnsConfig: { nameservers: ["198.18.99.53"] } }, "198.18.99.53");
    assert.equal(v.rootCause?.code, "DNSServerUnreachable", JSON.stringify(v.findings));
    assert.match(
      v.rootCause?.message ?? "",
      /source pod's dnsPolicy None sends every lookup to 198\.18\.99\.53 \(its dnsConfig\), not to the cluster DNS 198\.19\.0\.10/,
    );
    const f = v.findings.find((x) => x.code === "DNSServerUnreachable");
    assert.ok(
      f?.evidence?.includes("source pod shop/frontend-1: dnsPolicy None, dnsConfig.nameservers 198.18.99.53 (copied by the probe)"),
      JSON.stringify(f?.evidence),
    );
    assert.equal(f?.escalateTo, "App");
    assert.match(f?.remediation ?? "", /dnsPolicy: ClusterFirst/);
  });

  it("says nothing of the pod's settings when it uses the cluster DNS (default, or the kube-dns IP in its dnsConfig)", () => {
    for (const dns of [{}, { dnsPolicy: "None", dnsConfig: { nameservers: ["198.19.0.10"] } }]) {
      const v = run(dns, "198.19.0.10");
      assert.doesNotMatch(v.rootCause?.message ?? "", /dnsPolicy/, JSON.stringify(dns));
    }
  });

  it("says the probe ran inside the pod when it did (spec.source.pod)", () => {
    const v = run({ dnsPolicy: "None", dnsConfig: { nameservers: ["198.18.99.53"] } }, "198.18.99.53", true);
    const f = v.findings.find((x) => x.code === "DNSServerUnreachable");
    assert.ok(
      f?.evidence?.includes("source pod shop/frontend-1: dnsPolicy None, dnsConfig.nameservers 198.18.99.53 (the probe ran inside that pod)"),
      JSON.stringify(f?.evidence),
    );
  });
});
