/**
 * The operator survives what operators meet: killed mid-run (it resumes the run from
 * status.activeRun, creating no duplicate probe pod), and two replicas (only the Lease
 * holder acts; killing it hands over within the lease duration). Killed at each step of a
 * run — right after status.activeRun is written, after its result arrived — the successor
 * finishes that same run exactly once: one probe pod, one history entry, one Event.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  admin,
  apply,
  installOperatorObjects,
  kubectl,
  labMissing,
  type OperatorProcess,
  operatorKubeconfig,
  sleep,
  startOperator,
  waitFor,
} from "./harness.ts";
import { finishProbe } from "./kubelet.ts";
import { allOk, planOf, resultFor } from "./probe-results.ts";
import { deployAndRun, diagnosis, getDiag, probePods, waitCompleted, workload, resetNamespace } from "./fixtures.ts";

const skip = labMissing();
const NS = "resilience-test";
const LEASE = "netdiag-resilience-test";

describe("operator resilience", { skip, timeout: 300_000 }, () => {
  const ops: OperatorProcess[] = [];
  const rest = () => admin();
  let kc = "";

  before(async () => {
    installOperatorObjects();
    await deployAndRun(rest(), NS, workload(NS, "backend"));
    kc = operatorKubeconfig();
  });
  after(async () => {
    for (const o of ops) await o.stop();
    await resetNamespace(rest(), NS);
  });

  it("resumes a run after being killed mid-run, without duplicate probe pods", async () => {
    const a = await startOperator({ kubeconfig: kc, identity: "op-a", leaseName: LEASE });
    ops.push(a);
    apply([diagnosis(NS, "resume", { targets: [{ name: "backend", service: { name: "backend", port: 80 } }] })]);
    const [pod] = await waitFor(
      async () => {
        const p = await probePods(rest(), NS, "resume");
        return p.length ? p : undefined;
      },
      15_000,
      "probe pod",
    );
    assert.ok(pod);
    const runId = pod.metadata.labels["netdiag.dev/run-id"];
    await a.kill();
    const b = await startOperator({ kubeconfig: kc, identity: "op-b", leaseName: LEASE });
    ops.push(b);
    await sleep(6000); // the killed holder's lease (4 s) expires; b takes over and reconciles
    const pods = await probePods(rest(), NS, "resume");
    assert.deepEqual(
      pods.map((p) => p.metadata.name),
      [pod.metadata.name],
      "still exactly the one probe pod of the run",
    );
    await finishProbe(rest(), NS, pod.metadata.name, JSON.stringify(resultFor(await planOf(rest(), NS, pod.metadata.name), allOk)));
    const s = await waitCompleted(rest(), NS, "resume", undefined, 20_000);
    assert.equal(s.lastRun?.id, runId, "the resumed run is the one that was started");
    assert.equal(s.history?.length, 1);
  });

  it("lets only the Lease holder act, and hands over within the lease duration when it dies", async () => {
    const c = await startOperator({ kubeconfig: kc, identity: "op-c", leaseName: LEASE });
    ops.push(c);
    await sleep(3000);
    const leaders = ops.filter((o) => o.proc.exitCode === null && o.proc.signalCode === null);
    const metrics = await Promise.all(leaders.map(async (o) => ({ o, leader: /^netdiag_leader 1$/m.test(await o.metrics()) })));
    const holders = metrics.filter((m) => m.leader);
    assert.equal(holders.length, 1, "exactly one live replica leads");
    const holder = holders[0]?.o as OperatorProcess;
    const lease = await rest().get<{ spec: { holderIdentity: string } }>(`/apis/coordination.k8s.io/v1/namespaces/netdiag-system/leases/${LEASE}`);
    assert.equal(lease.spec.holderIdentity, holder.identity);
    const other = metrics.find((m) => !m.leader)?.o as OperatorProcess;
    const killedAt = Date.now();
    await holder.kill();
    apply([diagnosis(NS, "handover", { targets: [{ name: "backend", service: { name: "backend", port: 80 } }] })]);
    await waitFor(async () => (await probePods(rest(), NS, "handover")).length === 1, 15_000, "the other replica acts");
    const took = Date.now() - killedAt;
    assert.ok(took < 4000 + 2000 + 2000, `handed over in ${took} ms (lease 4 s)`);
    assert.match(await other.metrics(), /^netdiag_leader 1$/m);
    const d = await getDiag(rest(), NS, "handover");
    assert.ok(d.status?.activeRun);
  });

  it("releases the Lease on SIGTERM so a successor takes over at once", async () => {
    const live = ops.filter((o) => o.proc.exitCode === null && o.proc.signalCode === null);
    const d = await startOperator({ kubeconfig: kc, identity: "op-d", leaseName: LEASE });
    ops.push(d);
    for (const o of live) await o.stop();
    const lease = await waitFor(
      async () => {
        const l = await rest().get<{ spec: { holderIdentity?: string } }>(`/apis/coordination.k8s.io/v1/namespaces/netdiag-system/leases/${LEASE}`);
        return l.spec.holderIdentity === "op-d" ? l : undefined;
      },
      6000,
      "op-d holds the lease",
    );
    assert.equal(lease.spec.holderIdentity, "op-d");
  });

  for (const step of ["activeRun written", "result arrived"] as const) {
    it(`finishes the same run exactly once when killed right after ${step}`, async () => {
      for (const o of ops) await o.stop(); // one operator at a time from here on
      const name = step === "activeRun written" ? "kill-start" : "kill-result";
      const a = await startOperator({ kubeconfig: kc, identity: `op-${name}-a`, leaseName: LEASE });
      ops.push(a);
      apply([diagnosis(NS, name, { targets: [{ name: "backend", service: { name: "backend", port: 80 } }] })]);
      let runId = "";
      if (step === "activeRun written") {
        runId = await waitFor(async () => (await getDiag(rest(), NS, name)).status?.activeRun?.id, 15_000, "activeRun", 5);
        await a.kill();
      } else {
        const [pod] = await waitFor(async () => ((await probePods(rest(), NS, name)).length ? probePods(rest(), NS, name) : undefined), 15_000, "probe pod");
        runId = pod?.metadata.labels["netdiag.dev/run-id"] ?? "";
        await finishProbe(rest(), NS, pod!.metadata.name, JSON.stringify(resultFor(await planOf(rest(), NS, pod!.metadata.name), allOk)));
        await a.kill();
      }
      const b = await startOperator({ kubeconfig: kc, identity: `op-${name}-b`, leaseName: LEASE });
      ops.push(b);
      if (step === "activeRun written") {
        // b takes over once a's lease (4 s) expires and resumes: the one pod of this run
        const [pod] = await waitFor(async () => ((await probePods(rest(), NS, name)).length ? probePods(rest(), NS, name) : undefined), 15_000, "probe pod");
        await finishProbe(rest(), NS, pod!.metadata.name, JSON.stringify(resultFor(await planOf(rest(), NS, pod!.metadata.name), allOk)));
      }
      const s = await waitCompleted(rest(), NS, name, undefined, 25_000);
      assert.equal(s.lastRun?.id, runId, "the run that was started is the one that finished");
      assert.equal(s.history?.length, 1, JSON.stringify(s.history));
      assert.equal(s.activeRun, undefined);
      const pods = await probePods(rest(), NS, name);
      assert.ok(pods.every((p) => p.metadata.labels["netdiag.dev/run-id"] === runId) && pods.length <= 1, `probe pods: ${pods.map((p) => p.metadata.name)}`);
      await sleep(1500); // an Event b might still send for the same transition
      const events = JSON.parse(kubectl(["-n", NS, "get", "events", "--field-selector", `involvedObject.name=${name},reason=Healthy`, "-o", "json"])) as {
        items: { count?: number; series?: { count: number } }[];
      };
      const sent = events.items.reduce((n, e) => n + (e.series?.count ?? e.count ?? 1), 0);
      assert.ok(sent <= 1, `the Healthy transition was announced ${sent} times`);
      if (step === "activeRun written") assert.equal(sent, 1, "b announced the run it finished");
      const counted = [...(await b.metrics()).matchAll(new RegExp(`^netdiag_runs_total\\{[^}]*diagnosis="${name}"[^}]*\\} (\\d+)$`, "gm"))].reduce(
        (n, m) => n + Number(m[1]),
        0,
      );
      if (step === "activeRun written") assert.equal(counted, 1, "b counted the run it finished, once");
      else assert.ok(counted <= 1, `b counted ${counted} runs (a may have finished it before it died)`);
    });
  }
});
