/**
 * When the check cannot run: a probe that is never scheduled, whose image cannot be
 * pulled, or that passes its deadline becomes a Probe* finding with the reason — never a
 * network failure of the target — and the run always ends. So does a probe the kernel
 * OOM-kills, one that ends without a termination message or with a malformed one, and one
 * whose node disappears mid-run. Also: a truncated termination message is still used when
 * the full log is unavailable.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { admin, apply, installOperatorObjects, kubectl, labMissing, type OperatorProcess, operatorKubeconfig, startOperator, waitFor } from "./harness.ts";
import { ensureNode, exceedDeadline, failImagePull, finishProbe, runPod } from "./kubelet.ts";
import { allOk, planOf, resultFor } from "./probe-results.ts";
import { cond, deployAndRun, diagnosis, NODE, probePods, waitCompleted, workload, resetNamespace } from "./fixtures.ts";

const skip = labMissing();
const NS = "probe-failures-test";
const NETWORK_CODES = /ConnectionTimedOut|ConnectionRefused|NetworkPolicyDenied|UnexplainedDrop|DNSResolutionFailed/;

async function firstProbe(ns: string, diag: string) {
  const [pod] = await waitFor(
    async () => {
      const p = await probePods(admin(), ns, diag);
      return p.length ? p : undefined;
    },
    15_000,
    `probe pod of ${diag}`,
  );
  return pod as NonNullable<typeof pod>;
}

describe("probe failures", { skip, timeout: 300_000 }, () => {
  let op: OperatorProcess;
  const rest = () => admin();
  const target = { targets: [{ name: "backend", service: { name: "backend", port: 80 } }], timeoutSeconds: 5 };

  before(async () => {
    installOperatorObjects();
    await deployAndRun(rest(), NS, workload(NS, "backend"));
    op = await startOperator({ kubeconfig: operatorKubeconfig(), identity: "op-failures", leaseName: "netdiag-failures-test" });
  });
  after(async () => {
    kubectl(["uncordon", NODE], { allowFail: true });
    await op?.stop();
    await resetNamespace(rest(), NS);
  });

  const expectProbeProblem = (s: Awaited<ReturnType<typeof waitCompleted>>, code: string, msg: RegExp) => {
    assert.equal(cond(s, "Healthy")?.status, "Unknown", "health is unknown when the check could not run");
    assert.equal(s.rootCause?.code, code);
    assert.match(s.rootCause?.message ?? "", msg);
    assert.doesNotMatch((s.findings ?? []).map((f) => f.code).join(","), NETWORK_CODES, "no network finding is invented");
  };

  it("reports ProbeImagePullFailed when the probe image cannot be pulled", async () => {
    apply([diagnosis(NS, "pull", target)]);
    const pod = await firstProbe(NS, "pull");
    await failImagePull(rest(), NS, pod.metadata.name);
    expectProbeProblem(await waitCompleted(rest(), NS, "pull"), "ProbeImagePullFailed", /ImagePullBackOff/);
  });

  it("reports ProbeTimedOut when the probe pod passes its deadline", async () => {
    apply([diagnosis(NS, "deadline", target)]);
    const pod = await firstProbe(NS, "deadline");
    await exceedDeadline(rest(), NS, pod.metadata.name);
    expectProbeProblem(await waitCompleted(rest(), NS, "deadline"), "ProbeTimedOut", /deadline/);
  });

  it("reports ProbeNotScheduled when no node takes the probe", async () => {
    kubectl(["cordon", NODE]);
    try {
      apply([diagnosis(NS, "unschedulable", target)]);
      await firstProbe(NS, "unschedulable");
      expectProbeProblem(await waitCompleted(rest(), NS, "unschedulable", undefined, 40_000), "ProbeNotScheduled", /did not start within/);
    } finally {
      kubectl(["uncordon", NODE]);
    }
  });

  it("uses a truncated termination message when the full log cannot be read", async () => {
    apply([diagnosis(NS, "truncated", target)]);
    const pod = await firstProbe(NS, "truncated");
    const result = { ...resultFor(await planOf(rest(), NS, pod.metadata.name), allOk), truncated: true };
    await finishProbe(rest(), NS, pod.metadata.name, JSON.stringify(result));
    const s = await waitCompleted(rest(), NS, "truncated");
    assert.equal(cond(s, "Healthy")?.status, "True", JSON.stringify(s.findings));
  });

  for (const [what, name, message, exitCode, reason, msg] of [
    ["is OOM-killed", "oom", "", 137, "OOMKilled", /exited with code 137 \(OOMKilled\) without a result/],
    ["ends without a termination message", "nomessage", "", 0, "Completed", /exited with code 0 \(Completed\) without a result/],
    ["leaves a malformed termination message", "malformed", '{"version":1,"runId":', 0, "Completed", /unreadable probe result/],
  ] as const) {
    it(`reports ProbeFailed, Completed=True, when the probe ${what}`, async () => {
      const started = Date.now();
      apply([diagnosis(NS, name, target)]);
      const pod = await firstProbe(NS, name);
      await finishProbe(rest(), NS, pod.metadata.name, message, exitCode, reason);
      const s = await waitCompleted(rest(), NS, name);
      expectProbeProblem(s, "ProbeFailed", msg);
      assert.equal(cond(s, "Completed")?.status, "True");
      assert.ok(Date.now() - started < (target.timeoutSeconds + 15) * 1000, "ended within the run's timeout and grace");
    });
  }

  it("ends the run with a Probe finding when the probe's node disappears mid-run", async () => {
    const started = Date.now();
    apply([diagnosis(NS, "nodegone", target)]);
    const pod = await firstProbe(NS, "nodegone");
    await runPod(rest(), NS, pod.metadata.name, "198.18.0.251", false);
    kubectl(["delete", "node", NODE, "--wait=false"]);
    try {
      const s = await waitCompleted(rest(), NS, "nodegone", undefined, 60_000);
      assert.equal(cond(s, "Completed")?.status, "True");
      assert.match(s.rootCause?.code ?? "", /^Probe/, JSON.stringify(s.rootCause));
      assert.doesNotMatch((s.findings ?? []).map((f) => f.code).join(","), NETWORK_CODES, "no network finding is invented");
      assert.ok(Date.now() - started < (target.timeoutSeconds + 15 + 10) * 1000, `ended within the run's timeout and grace, took ${Date.now() - started} ms`);
    } finally {
      await ensureNode(rest(), NODE);
    }
  });
});
