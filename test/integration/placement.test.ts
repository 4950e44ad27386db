/**
 * Where probes stand: with source.podSelector the probe takes a live pod's labels (minus
 * controller-owned ones) and is never Ready, so no Service routes to it; with
 * source.nodes one probe per Ready, schedulable node, the others skipped with Info.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { admin, apply, installOperatorObjects, kubectl, labMissing, type OperatorProcess, operatorKubeconfig, startOperator, waitFor } from "./harness.ts";
import { autoKubelet, ensureNode, runPod } from "./kubelet.ts";
import { allOk, type Plan, resultFor } from "./probe-results.ts";
import { deployAndRun, diagnosis, probePods, waitCompleted, workload, resetNamespace } from "./fixtures.ts";

const skip = labMissing();
const NS = "placement-test";

describe("probe placement", { skip, timeout: 300_000 }, () => {
  let op: OperatorProcess;
  const rest = () => admin();

  before(async () => {
    installOperatorObjects();
    await deployAndRun(rest(), NS, [...workload(NS, "backend"), ...workload(NS, "frontend", 8080, { tier: "web" })]);
    // The admin allows fan-out here and lists the one taint the probes may tolerate.
    op = await startOperator({
      kubeconfig: operatorKubeconfig(),
      identity: "op-placement",
      leaseName: "netdiag-placement-test",
      extraArgs: ["--node-fanout-namespaces", NS, "--probe-tolerate-taints", "dedicated:NoSchedule"],
    });
  });
  after(async () => {
    await op?.stop();
    await resetNamespace(rest(), NS);
    kubectl(["delete", "node", "fanout-ready", "fanout-notready", "fanout-cordoned", "--ignore-not-found"], { allowFail: true });
  });

  it("copies a live source pod's labels, drops pod-template-hash, and stays out of the Service's ready endpoints", async () => {
    apply([
      diagnosis(NS, "as-frontend", {
        source: { podSelector: { matchLabels: { app: "frontend" } } },
        targets: [{ name: "backend", service: { name: "backend", port: 80 } }],
      }),
    ]);
    const [pod] = await waitFor(
      async () => {
        const p = await probePods(rest(), NS, "as-frontend");
        return p.length ? p : undefined;
      },
      15_000,
      "probe pod",
    );
    assert.ok(pod);
    assert.equal(pod.metadata.labels.app, "frontend");
    assert.equal(pod.metadata.labels.tier, "web");
    assert.equal(pod.metadata.labels["pod-template-hash"], undefined);
    assert.ok(pod.spec.containers[0].readinessProbe, "never-Ready readiness probe");
    // The kubelet reports it Running but (as its readiness probe always fails) not Ready.
    await runPod(rest(), NS, pod.metadata.name, "198.18.9.9", false);
    const slice = await waitFor(
      async () => {
        const l = await rest().list<{ endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] }>(
          `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`,
          { labelSelector: "kubernetes.io/service-name=frontend" },
        );
        const eps = l.items.flatMap((s) => s.endpoints ?? []);
        return eps.some((e) => e.addresses.includes("198.18.9.9")) ? eps : undefined;
      },
      15_000,
      "the EndpointSlice controller to see the probe",
    );
    const probeEp = slice.find((e) => e.addresses.includes("198.18.9.9"));
    assert.equal(probeEp?.conditions?.ready, false, "the probe is never a ready endpoint of frontend");
  });

  it("fans out one probe per Ready schedulable node and says which nodes it skipped", async () => {
    const labels = { "netdiag-test": "fanout" };
    await ensureNode(rest(), "fanout-ready", { labels, taints: [{ key: "dedicated", value: "infra", effect: "NoSchedule" }] });
    await ensureNode(rest(), "fanout-notready", { labels, ready: false });
    await ensureNode(rest(), "fanout-cordoned", { labels, unschedulable: true });
    const stop = autoKubelet(rest(), [NS], (p, plan) =>
      p.metadata.labels?.["netdiag.dev/diagnosis"] === "fanout" ? JSON.stringify(resultFor(plan as Plan, allOk)) : undefined,
    );
    try {
      apply([
        diagnosis(NS, "fanout", {
          source: { nodes: { selector: { matchLabels: labels } } },
          targets: [{ name: "backend", service: { name: "backend", port: 80 } }],
        }),
      ]);
      const pods = await waitFor(
        async () => {
          const p = await probePods(rest(), NS, "fanout");
          return p.length ? p : undefined;
        },
        15_000,
        "fan-out probe pods",
      );
      assert.deepEqual(
        pods.map((p) => p.spec.nodeName),
        ["fanout-ready"],
      );
      assert.ok(
        pods[0]?.spec.tolerations?.some((t: { key: string; effect: string }) => t.key === "dedicated" && t.effect === "NoSchedule"),
        "tolerates the taint the admin listed",
      );
      // DefaultTolerationSeconds admission adds not-ready/unreachable for 300 s; nothing else may be there.
      const ours = (pods[0]?.spec.tolerations ?? []).filter(
        (t: { key: string }) => !["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"].includes(t.key),
      );
      assert.equal(ours.length, 1, `and no other: ${JSON.stringify(ours)}`);
      const s = await waitCompleted(rest(), NS, "fanout");
      const skipped = (s.findings ?? []).filter((f) => f.code === "NodeSkipped");
      assert.deepEqual(skipped.map((f) => [f.severity, f.source]).sort(), [
        ["Info", "fanout-cordoned"],
        ["Info", "fanout-notready"],
      ]);
      assert.equal(s.conditions?.find((c) => c.type === "Healthy")?.status, "True", "skipped nodes alone are no alarm");
    } finally {
      stop();
    }
  });
});
