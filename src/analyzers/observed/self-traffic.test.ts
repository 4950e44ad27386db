import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SpecSchema } from "../../api/spec.ts";
import { type CheckResult, CheckResultSchema } from "../../api/probe-contract.ts";
import type { ProbeReport } from "../context.ts";
import { evaluate } from "../evaluate.ts";
import { type ManifestObject, snapshotFromObjects } from "../offline/snapshot-from-objects.ts";

// ADR 0015: a pod reaching itself through its own Service is never NetworkPolicyDenied;
// every other pod with its labels (a second replica, a probe pod) still is.
const world = (replicas = 1, policy = true): ManifestObject[] => [
  { kind: "Namespace", metadata: { name: "shop" } },
  {
    kind: "Deployment",
    metadata: { name: "api", namespace: "shop" },
    spec: { replicas, template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "api", ports: [{ containerPort: 8080 }] }] } } },
  },
  { kind: "Service", metadata: { name: "api", namespace: "shop" }, spec: { selector: { app: "api" }, ports: [{ port: 80, targetPort: 8080 }] } },
  ...(policy
    ? [
        {
          kind: "NetworkPolicy",
          metadata: { name: "api-from-frontend", namespace: "shop" },
          spec: {
            podSelector: { matchLabels: { app: "api" } },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: { matchLabels: { app: "frontend" } } }], ports: [{ port: 8080 }] }],
          },
        },
      ]
    : []),
];
const chk = (outcome: string, input: Record<string, unknown>): CheckResult =>
  CheckResultSchema.parse({ check: "tcp", outcome, durationMs: 5, detail: { input: { check: "tcp", ...input } } });
const vip = (o: string) => chk(o, { host: "10.96.1.1", port: 80, role: "clusterIP" });
const ep = (o: string, pod: string) => chk(o, { host: "10.244.1.1", port: 8080, role: "endpoint", pod, ready: "true" });

function run(source: object, opts: { replicas?: number; policy?: boolean; checks?: CheckResult[] } = {}) {
  const spec = SpecSchema.parse({ source, targets: [{ name: "api", service: { name: "api", port: 80 } }] });
  const probes: ProbeReport[] = opts.checks ? [{ pod: "probe-0", result: { version: 1, runId: "r", targets: [{ name: "api", checks: opts.checks }] } }] : [];
  const v = evaluate({
    namespace: "shop",
    spec,
    snapshot: snapshotFromObjects(world(opts.replicas, opts.policy), ["shop"]),
    probes,
    now: new Date("2025-01-01T00:00:00Z"),
  });
  return { v, codes: v.findings.map((f) => `${f.severity}:${f.code}`), of: (code: string) => v.findings.find((f) => f.code === code) };
}
const inPod = { pod: { name: "api-0" } };
const selector = { podSelector: { matchLabels: { app: "api" } } };

describe("a pod reaching itself through its own Service (ADR 0015)", () => {
  it("is allowed, not NetworkPolicyDenied, when the diagnosis probes from inside that pod and it is the only backend", () => {
    const r = run(inPod);
    assert.deepEqual(r.codes, ["Info:SelfTrafficExempt"]);
    assert.equal(r.v.healthy, true);
    assert.match(
      r.of("SelfTrafficExempt")?.message ?? "",
      /Pod shop\/api-0 reaches itself through Service shop\/api: NetworkPolicy does not apply to a pod's traffic to itself/,
    );
    assert.match(
      r.of("SelfTrafficExempt")?.evidence?.[0] ?? "",
      /shop\/api-0 is the source pod itself.*another pod with its labels would be denied: .*api-from-frontend/,
    );
  });

  it("stays healthy when the probe inside the pod connects to itself", () => {
    const r = run(inPod, { checks: [vip("ok"), ep("ok", "api-0")] });
    assert.equal(r.v.healthy, true, r.codes.join());
    assert.ok(!r.of("NetworkPolicyDenied"));
  });

  it("calls a timeout of the pod to itself hairpin traffic (UnexplainedDrop), never NetworkPolicyDenied", () => {
    const r = run(inPod, { checks: [vip("timeout"), ep("timeout", "api-0")] });
    assert.equal(r.v.rootCause?.code, "UnexplainedDrop", r.codes.join());
    assert.ok(!r.of("NetworkPolicyDenied"));
    assert.match(r.v.rootCause?.message ?? "", /Pod shop\/api-0 cannot reach itself through Service shop\/api.*hairpin/);
  });

  it("takes the pod's own IP answering from inside it for loopback, not for a working pod behind a broken VIP", () => {
    const r = run(inPod, { checks: [vip("timeout"), ep("ok", "api-0")] });
    assert.equal(r.v.rootCause?.code, "UnexplainedDrop", r.codes.join());
    assert.ok(!r.of("ServiceVIPUnreachable") && !r.of("NetworkPolicyDenied"), r.codes.join());
    assert.match(r.v.rootCause?.message ?? "", /cannot reach itself .*10\.96\.1\.1:80 \(ClusterIP\) time out/);
  });

  it("still reports NetworkPolicyDenied for the other backend when the pod has a sibling replica", () => {
    const r = run(inPod, { replicas: 2, checks: [vip("ok"), ep("ok", "api-0"), ep("timeout", "api-1")] });
    const f = r.of("NetworkPolicyDenied");
    assert.ok(f, r.codes.join());
    assert.match(f.message, /-> shop\/api-1 TCP\/8080.*Only shop\/api-0 reaching itself is exempt/);
  });

  it("does not exempt a probe pod that copies the labels: it is a Warning that only the pod itself gets through", () => {
    const r = run(selector, { checks: [vip("timeout"), ep("timeout", "api-0")] });
    assert.deepEqual(r.codes, ["Warning:SelfTrafficExempt"]);
    assert.equal(r.v.rootCause?.code, "SelfTrafficExempt");
    assert.match(
      r.v.rootCause?.message ?? "",
      /denies every other pod with its labels app=api — the probe, a separate pod, included.*only backend; a second replica/,
    );
  });

  it("judges a probe pod with copied labels by policy towards another backend pod", () => {
    const r = run(selector, { replicas: 2, checks: [vip("timeout"), ep("timeout", "api-0"), ep("timeout", "api-1")] });
    assert.equal(r.v.rootCause?.code, "NetworkPolicyDenied", r.codes.join());
    assert.match(r.v.rootCause?.message ?? "", /-> shop\/api-1 TCP\/8080/);
  });

  it("keeps an UnexplainedDrop when no policy isolates the pod and the probe with copied labels times out", () => {
    const r = run(selector, { policy: false, checks: [vip("timeout"), ep("timeout", "api-0")] });
    assert.equal(r.v.rootCause?.code, "UnexplainedDrop", r.codes.join());
    assert.ok(!r.of("SelfTrafficExempt"));
  });
});
