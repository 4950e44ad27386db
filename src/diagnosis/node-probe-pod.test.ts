import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildNodeProbePod, nodeProbePodName } from "./node-probe-pod.ts";

const pod = buildNodeProbePod({
  namespace: "netdiag-system",
  diagnosis: { name: "d", namespace: "tenant-a", uid: "u-1" },
  runId: "abc1234",
  node: "lab-node-2",
  podUids: ["73c389cc-1d87-4b5b-a073-2bd3954f645b"],
  image: "nicolaka/netshoot:v0.13",
  script: "echo",
}) as {
  metadata: { namespace: string; name: string };
  spec: Record<string, unknown> & { containers: { securityContext: Record<string, unknown>; env: { name: string; value?: string }[] }[] };
};

describe("node probe pod", () => {
  it("runs only in the operator's namespace, on the node it inspects, for one run", () => {
    assert.equal(pod.metadata.namespace, "netdiag-system");
    assert.equal(pod.spec["nodeName"], "lab-node-2");
    assert.equal(pod.spec["restartPolicy"], "Never");
    assert.equal(pod.spec["activeDeadlineSeconds"], 30);
    assert.equal(pod.metadata.name, nodeProbePodName("abc1234", "lab-node-2"));
    assert.match(pod.metadata.name, /^[a-z0-9-]{1,63}$/);
    assert.notEqual(nodeProbePodName("abc1234", "lab-node"), nodeProbePodName("abc1234", "lab-node-2"));
  });

  it("reads the node and changes nothing: host PID and network, read-only, SYS_PTRACE only, no token", () => {
    assert.equal(pod.spec["hostPID"], true);
    assert.equal(pod.spec["hostNetwork"], true);
    assert.equal(pod.spec["automountServiceAccountToken"], false);
    const sc = pod.spec.containers[0]?.securityContext;
    assert.deepEqual(sc?.["capabilities"], { drop: ["ALL"], add: ["SYS_PTRACE"] });
    assert.equal(sc?.["readOnlyRootFilesystem"], true);
    assert.equal(sc?.["allowPrivilegeEscalation"], false);
    assert.equal(sc?.["privileged"], undefined);
    assert.equal((pod.spec as { volumes?: unknown }).volumes, undefined, "no hostPath: /proc of the host PID namespace is enough");
  });

  it("passes the pod uids as data, never as code", () => {
    const plan = JSON.parse(pod.spec.containers[0]?.env.find((e) => e.name === "NETDIAG_NODE_PLAN")?.value ?? "{}") as { pods: string[]; version: number };
    assert.deepEqual(plan.pods, ["73c389cc-1d87-4b5b-a073-2bd3954f645b"]);
    assert.equal(plan.version, 1);
  });

  it("asks for the routes always, for kube-proxy's rules only with the admin's second opt-in, which alone adds NET_ADMIN and NET_RAW", () => {
    const base = {
      namespace: "netdiag-system",
      diagnosis: { name: "d", namespace: "tenant-a", uid: "u-1" },
      runId: "abc1234",
      node: "lab-node",
      podUids: [],
      image: "nicolaka/netshoot:v0.13",
      script: "echo",
      routes: ["198.18.11.5"],
      services: [{ ip: "198.19.1.2", port: 80, protocol: "TCP" }],
    };
    type P = { spec: { containers: { securityContext: { capabilities: unknown }; env: { name: string; value?: string }[] }[] } };
    const planOf = (p: P) => JSON.parse(p.spec.containers[0]?.env.find((e) => e.name === "NETDIAG_NODE_PLAN")?.value ?? "{}") as Record<string, unknown>;
    const without = buildNodeProbePod(base) as unknown as P;
    assert.deepEqual(planOf(without)["routes"], ["198.18.11.5"]);
    assert.equal(planOf(without)["services"], undefined, "no rules asked for without the setting");
    assert.deepEqual(without.spec.containers[0]?.securityContext.capabilities, { drop: ["ALL"], add: ["SYS_PTRACE"] });
    const withRules = buildNodeProbePod({ ...base, rules: true }) as unknown as P;
    assert.deepEqual(planOf(withRules)["services"], [{ ip: "198.19.1.2", port: 80, protocol: "TCP" }]);
    assert.equal(planOf(withRules)["rules"], true);
    assert.deepEqual(withRules.spec.containers[0]?.securityContext.capabilities, { drop: ["ALL"], add: ["SYS_PTRACE", "NET_ADMIN", "NET_RAW"] });
  });
});
