import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SpecSchema } from "../../api/spec.ts";
import { type CheckResult, CheckResultSchema } from "../../api/probe-contract.ts";
import type { ProbeReport } from "../context.ts";
import { evaluate } from "../evaluate.ts";
import { type ManifestObject, snapshotFromObjects } from "../offline/snapshot-from-objects.ts";

const lb = (status?: object, spec: object = {}): ManifestObject[] => [
  { kind: "Namespace", metadata: { name: "shop" } },
  {
    kind: "Deployment",
    metadata: { name: "web", namespace: "shop" },
    spec: { replicas: 1, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", ports: [{ containerPort: 8080 }] }] } } },
  },
  {
    kind: "Service",
    metadata: { name: "public-web", namespace: "shop" },
    spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
    ...(status ? { status } : {}),
  },
];
const chk = (check: string, outcome: string, input: Record<string, unknown>): CheckResult =>
  CheckResultSchema.parse({ check, outcome, durationMs: 5, detail: { input: { check, ...input } } });
const healthyPath = [
  chk("dns", "ok", { name: "public-web.shop.svc.cluster.local" }),
  chk("tcp", "ok", { host: "10.96.1.1", port: 80, role: "clusterIP" }),
  chk("tcp", "ok", { host: "10.244.1.1", port: 8080, role: "endpoint", pod: "web-0", ready: "true" }),
];

function run(objects: ManifestObject[], checks?: CheckResult[]) {
  const spec = SpecSchema.parse({ targets: [{ name: "web", service: { name: "public-web", port: 80 } }] });
  const probes: ProbeReport[] = checks ? [{ pod: "probe-0", result: { version: 1, runId: "r", targets: [{ name: "web", checks }] } }] : [];
  return evaluate({ namespace: "shop", spec, snapshot: snapshotFromObjects(objects, ["shop"]), probes, now: new Date("2025-01-01T00:00:00Z") });
}

describe("LoadBalancerPending", () => {
  it("reports a LoadBalancer Service whose status has no ingress address, pointing at the cloud controller, not kube-proxy", () => {
    const v = run(lb({ loadBalancer: {} }));
    const f = v.findings.find((x) => x.code === "LoadBalancerPending");
    assert.ok(f, JSON.stringify(v.findings));
    assert.equal(f.severity, "Warning");
    assert.equal(f.layer, "Objects");
    assert.equal(f.escalateTo, "Platform/CNI");
    assert.match(f.message, /Service shop\/public-web is of type LoadBalancer but has no external address \(EXTERNAL-IP <pending>\)/);
    assert.match(f.message, /In-cluster traffic through its ClusterIP .* is not affected/);
    assert.match(f.message, /cloud controller manager .*MetalLB on bare metal\), not by kube-proxy/);
  });

  it("is the root cause, as a Warning, when the probe reaches the ClusterIP and the pod in-cluster", () => {
    const v = run(lb({ loadBalancer: {} }), healthyPath);
    assert.equal(v.healthy, false);
    assert.equal(v.rootCause?.code, "LoadBalancerPending");
    const layers = v.targets[0]?.layers?.map((l) => `${l.layer}:${l.outcome}`) ?? [];
    assert.ok(layers.includes("Objects:Warning") && layers.includes("L4:Passed"), layers.join());
    assert.equal(v.targets[0]?.reachable, true);
  });

  it("yields to an in-cluster failure: a Critical finding stays the root cause", () => {
    const v = run(lb({ loadBalancer: {} }), [chk("tcp", "refused", { host: "10.96.1.1", port: 80, role: "clusterIP" })]);
    assert.equal(v.rootCause?.code, "ConnectionRefused");
    assert.ok(v.findings.some((f) => f.code === "LoadBalancerPending"));
  });

  it("names the loadBalancerClass's controller when the Service asks for one", () => {
    const v = run(lb({ loadBalancer: {} }, { loadBalancerClass: "metallb.io/metallb" }));
    assert.match(v.rootCause?.message ?? "", /assigned by the load-balancer controller of class metallb\.io\/metallb/);
  });

  for (const [name, objects] of [
    ["an address is assigned", lb({ loadBalancer: { ingress: [{ ip: "203.0.113.50" }] } })],
    ["a hostname is assigned", lb({ loadBalancer: { ingress: [{ hostname: "a1b2.elb.amazonaws.com" }] } })],
    ["the manifest has no status (offline analysis of files never applied)", lb()],
    ["the Service is not of type LoadBalancer", lb({ loadBalancer: {} }, { type: "ClusterIP" })],
  ] as const) {
    it(`reports nothing when ${name}`, () => {
      assert.deepEqual(run([...objects]).findings, []);
    });
  }
});
