import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stripPod } from "./strip.ts";
import { buildProbePod, copiedDns, probePodName } from "./probe-pod.ts";

const base = {
  diagnosis: { name: "frontend-to-backend", namespace: "shop", uid: "u-1" },
  runId: "a1b2c3d",
  index: 0,
  image: "nicolaka/netshoot:v0.13",
  planJson: '{"version":1}',
  script: "echo probe",
  timeoutSeconds: 30,
};
type P = { metadata: { name: string; labels: Record<string, string>; ownerReferences: Record<string, unknown>[] }; spec: Record<string, any> };

describe("probe pod", () => {
  it("has a deterministic name <diagnosis>-<runId>-<n> that stays a DNS label", () => {
    assert.equal(probePodName("frontend-to-backend", "a1b2c3d", 2), "frontend-to-backend-a1b2c3d-2");
    const long = probePodName("x".repeat(70), "a1b2c3d", 0);
    assert.ok(long.length <= 63);
    assert.ok(long.endsWith("-a1b2c3d-0"));
  });
  it("is owned by its diagnosis, labelled with the run, and hardened", () => {
    const p = buildProbePod(base) as unknown as P;
    assert.deepEqual(p.metadata.ownerReferences, [
      { apiVersion: "netdiag.dev/v1alpha1", kind: "NetworkDiagnosis", name: "frontend-to-backend", uid: "u-1", controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(p.metadata.labels["netdiag.dev/run-id"], "a1b2c3d");
    assert.equal(p.metadata.labels["netdiag.dev/probe"], "true");
    assert.equal(p.spec.automountServiceAccountToken, false);
    assert.equal(p.spec.activeDeadlineSeconds, 30);
    const c = p.spec.containers[0];
    assert.deepEqual(c.command, ["/bin/bash", "-c", "echo probe", "netdiag-probe"]);
    assert.deepEqual(c.env[0], { name: "NETDIAG_PLAN", value: '{"version":1}' }, "the plan is data in an env var");
    assert.equal(c.terminationMessagePolicy, "File");
    assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] }, "no capability is added");
    assert.equal(c.readinessProbe, undefined);
  });
  it("meets Pod Security restricted: numeric non-root uid, no capabilities, RuntimeDefault seccomp, ICMP via the safe sysctl", () => {
    const p = buildProbePod(base) as unknown as P;
    const c = p.spec.containers[0];
    assert.equal(p.spec.securityContext.runAsNonRoot, true);
    assert.equal(typeof p.spec.securityContext.runAsUser, "number");
    assert.notEqual(p.spec.securityContext.runAsUser, 0);
    assert.deepEqual(p.spec.securityContext.seccompProfile, { type: "RuntimeDefault" });
    assert.deepEqual(p.spec.securityContext.sysctls, [{ name: "net.ipv4.ping_group_range", value: "65532 65532" }]);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    assert.equal(c.securityContext.runAsNonRoot, true);
    assert.equal(c.securityContext.capabilities.add, undefined);
    assert.deepEqual(
      p.spec.volumes.map((v: { emptyDir?: unknown }) => Object.keys(v).sort()),
      [["emptyDir", "name"]],
      "only emptyDir volumes",
    );
  });
  it("runs as root with NET_RAW only when the admin opted in to raw sockets", () => {
    const p = buildProbePod({ ...base, rawSockets: true }) as unknown as P;
    const c = p.spec.containers[0];
    assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"], add: ["NET_RAW"] });
    assert.equal(c.securityContext.runAsUser, 0);
    assert.equal(p.spec.securityContext.runAsNonRoot, undefined);
  });
  it("takes a source pod's labels and is then never Ready", () => {
    const p = buildProbePod({ ...base, sourceLabels: { app: "frontend", tier: "web" } }) as unknown as P;
    assert.equal(p.metadata.labels.app, "frontend");
    assert.equal(p.metadata.labels["netdiag.dev/probe"], "true");
    assert.deepEqual(p.spec.containers[0].readinessProbe.exec.command, ["/bin/false"]);
  });
  it("pins a fan-out probe to its node with the node's tolerations", () => {
    const p = buildProbePod({ ...base, nodeName: "n1", tolerations: [{ key: "dedicated", operator: "Exists", effect: "NoSchedule" }] }) as unknown as P;
    assert.equal(p.spec.nodeName, "n1");
    assert.equal(p.spec.tolerations.length, 1);
  });
  it("extends the deadline by the confirm window, and never makes the probe wait before its checks", () => {
    const p = buildProbePod({ ...base, settleSeconds: 3 }) as unknown as P;
    assert.equal(p.spec.activeDeadlineSeconds, 33);
    assert.equal(
      p.spec.containers[0].env.some((e: { name: string }) => e.name === "NETDIAG_SETTLE_SECONDS"),
      false,
      "the confirm window is in the plan",
    );
  });

  it("resolves names as the source pod does: its dnsPolicy, dnsConfig and hostAliases, kept by the cache and copied", () => {
    const app = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "app", namespace: "shop" },
      spec: {
        containers: [{ name: "app", image: "x", env: [{ name: "SECRET", value: "s" }] }],
        dnsPolicy: "None",
        dnsConfig: { nameservers: ["198.18.99.53"], searches: ["shop.svc.cluster.local"], options: [{ name: "ndots", value: "2" }] },
        hostAliases: [{ ip: "198.18.99.1", hostnames: ["legacy.local"] }],
      },
    };
    const cached = stripPod(app as never) as unknown as Parameters<typeof copiedDns>[0];
    const dns = copiedDns(cached);
    assert.deepEqual(dns, { dnsPolicy: "None", dnsConfig: app.spec.dnsConfig, hostAliases: app.spec.hostAliases });
    const pod = buildProbePod({ ...base, dns: dns ?? {} }) as { spec: Record<string, unknown> };
    assert.equal(pod.spec["dnsPolicy"], "None");
    assert.deepEqual(pod.spec["dnsConfig"], app.spec.dnsConfig);
    assert.deepEqual(pod.spec["hostAliases"], app.spec.hostAliases);
    assert.equal(copiedDns({ spec: { dnsPolicy: "ClusterFirstWithHostNet" } }), undefined, "hostNetwork's policy is ClusterFirst for a probe");
    assert.equal(copiedDns({ spec: { dnsPolicy: "None" } }), undefined, "None without dnsConfig would be refused: the default is kept");
    assert.equal(copiedDns({ spec: {} }), undefined);
    assert.equal((buildProbePod(base) as { spec: Record<string, unknown> }).spec["dnsPolicy"], undefined);
  });
});
