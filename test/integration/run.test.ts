/**
 * A diagnosis run end to end on the real API server, with the operator as a separate
 * process under its shipped RBAC and the test acting as kubelet.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { admin, apply, installOperatorObjects, kubectl, labMissing, type OperatorProcess, operatorKubeconfig, startOperator, waitFor } from "./harness.ts";
import { autoKubelet, finishProbe } from "./kubelet.ts";
import { allOk, type Plan, planOf, resultFor } from "./probe-results.ts";
import { cond, deployAndRun, diagnosis, getDiag, probePods, waitCompleted, workload, resetNamespace } from "./fixtures.ts";

const skip = labMissing();
const NS = "run-test";

describe("a diagnosis run", { skip, timeout: 300_000 }, () => {
  let op: OperatorProcess;
  const rest = () => admin();

  before(async () => {
    installOperatorObjects();
    await deployAndRun(rest(), NS, workload(NS, "backend"));
    op = await startOperator({ kubeconfig: operatorKubeconfig(), identity: "op-run", leaseName: "netdiag-run-test" });
  });
  after(async () => {
    await op?.stop();
    await resetNamespace(rest(), NS);
  });

  it("creates one hardened probe pod, then writes the verdict, an Event and metrics", async () => {
    apply([diagnosis(NS, "healthy", { targets: [{ name: "backend", service: { name: "backend", port: 80 } }], timeoutSeconds: 20 })]);
    const [pod] = await waitFor(
      async () => {
        const p = await probePods(rest(), NS, "healthy");
        return p.length ? p : undefined;
      },
      15_000,
      "probe pod",
    );
    assert.ok(pod);
    const d = await getDiag(rest(), NS, "healthy");
    const runId = pod.metadata.labels["netdiag.dev/run-id"];
    assert.equal(pod.metadata.name, `healthy-${runId}-0`);
    assert.equal(d.status?.activeRun?.id, runId, "the run is recorded before its pods exist");
    assert.equal(cond(d.status, "Completed")?.reason, "Running");
    const owner = pod.metadata.ownerReferences?.[0];
    assert.deepEqual([owner?.kind, owner?.name, owner?.uid, owner?.controller], ["NetworkDiagnosis", "healthy", d.metadata.uid, true]);
    assert.equal(pod.spec.automountServiceAccountToken, false);
    assert.equal(pod.spec.restartPolicy, "Never");
    assert.equal(pod.spec.activeDeadlineSeconds, 20);
    const c = pod.spec.containers[0];
    assert.equal(c.terminationMessagePolicy, "File");
    assert.ok(c.resources.limits.cpu && c.resources.limits.memory);
    assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] }, "restricted-compliant: no capability added");
    assert.equal(c.securityContext.runAsNonRoot, true);
    assert.equal(pod.spec.securityContext?.seccompProfile?.type ?? c.securityContext.seccompProfile?.type, "RuntimeDefault");
    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    assert.equal(c.readinessProbe, undefined, "a probe that impersonates nobody needs no readiness trick");
    const plan: Plan = await planOf(rest(), NS, pod.metadata.name);
    assert.equal(plan.runId, runId);
    assert.ok(
      plan.targets[0]?.checks.some((x) => x.check === "tcp" && x.role === "clusterIP"),
      "the plan probes the ClusterIP",
    );
    assert.ok(
      plan.targets[0]?.checks.some((x) => x.check === "tcp" && x.role === "endpoint"),
      "and each endpoint",
    );

    await finishProbe(rest(), NS, pod.metadata.name, JSON.stringify(resultFor(plan, allOk)));
    const s = await waitCompleted(rest(), NS, "healthy");
    assert.equal(cond(s, "Healthy")?.status, "True", JSON.stringify(s.findings));
    assert.equal(s.rootCause, undefined);
    assert.equal(s.lastRun?.id, runId);
    assert.equal(s.activeRun, undefined);
    const events = kubectl(["-n", NS, "get", "events", "--field-selector", "involvedObject.name=healthy", "-o", "jsonpath={.items[*].reason}"]);
    assert.match(events, /Healthy/);
    await waitFor(async () => (await probePods(rest(), NS, "healthy")).length === 0, 10_000, "probe pods of a healthy run deleted");
    const m = await op.metrics();
    assert.match(m, /netdiag_diagnosis_healthy\{namespace="run-test",diagnosis="healthy"\} 1/);
    assert.match(m, /netdiag_runs_total\{namespace="run-test",diagnosis="healthy",result="healthy"\} 1/);
    assert.match(m, /netdiag_watch_restarts_total\{resource="diagnoses"\} \d+/, "watch restarts are exported from the start, 0 when none happened");
    assert.match(m, /netdiag_probe_success\{namespace="run-test",diagnosis="healthy",target="backend",check="tcp"\} 1/);
  });

  it("names the root cause in status and in a Warning Event, and keeps the failed run's probe pod", async () => {
    apply([diagnosis(NS, "typo", { targets: [{ name: "api", service: { name: "api", port: 80 } }], timeoutSeconds: 20 })]);
    apply([
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "api", namespace: NS },
        spec: { selector: { app: "bakend" }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    ]);
    const stop = autoKubelet(rest(), [NS], (p, plan) =>
      p.metadata.labels?.["netdiag.dev/diagnosis"] === "typo"
        ? JSON.stringify(resultFor(plan as Plan, (t, c) => (c.check === "tcp" || c.check === "http" ? { outcome: "timeout" } : allOk(t, c))))
        : undefined,
    );
    try {
      const s = await waitCompleted(rest(), NS, "typo");
      assert.equal(cond(s, "Healthy")?.status, "False");
      assert.equal(s.rootCause?.code, "ServiceSelectorMatchesNoPods");
      assert.match(s.rootCause?.message ?? "", /app=bakend/);
      assert.match(s.rootCause?.message ?? "", /app=backend/, "did you mean");
      const events = kubectl([
        "-n",
        NS,
        "get",
        "events",
        "--field-selector",
        "involvedObject.name=typo",
        "-o",
        "jsonpath={range .items[*]}{.type}/{.reason}:{.message}{'\\n'}{end}",
      ]);
      assert.match(events, /Warning\/ServiceSelectorMatchesNoPods:root cause ServiceSelectorMatchesNoPods/);
      assert.equal((await probePods(rest(), NS, "typo")).length, 1, "the failed run's probe stays for kubectl logs");
      assert.match(await op.metrics(), /netdiag_findings\{namespace="run-test",diagnosis="typo",code="ServiceSelectorMatchesNoPods",severity="Critical"\} 1/);
    } finally {
      stop();
    }
  });

  it("reports an invalid spec as Completed=False/InvalidSpec with what to fix, and does not retry", async () => {
    apply([diagnosis(NS, "invalid", { targets: [{ name: "b", service: { name: "backend", port: 80 } }], schedule: "99 * * * *" })]);
    const s = await waitFor(
      async () => {
        const d = await getDiag(rest(), NS, "invalid");
        return cond(d.status, "Completed")?.reason === "InvalidSpec" ? d.status : undefined;
      },
      10_000,
      "InvalidSpec",
    );
    assert.equal(cond(s, "Completed")?.status, "False");
    assert.match(cond(s, "Completed")?.message ?? "", /spec\.schedule: invalid schedule: minute: 99 is outside 0-59/);
    assert.equal(cond(s, "Healthy")?.status, "Unknown");
    assert.equal((await probePods(rest(), NS, "invalid")).length, 0, "no probe for an invalid spec");
    assert.equal(op.proc.exitCode, null, "the operator did not crash");
  });

  it("garbage-collects a diagnosis' probe pods when it is deleted, and drops its metrics", async () => {
    assert.equal((await probePods(rest(), NS, "typo")).length, 1);
    kubectl(["-n", NS, "delete", "networkdiagnosis", "typo"]);
    await waitFor(async () => (await probePods(rest(), NS, "typo")).length === 0, 30_000, "garbage collection of probe pods");
    await waitFor(async () => !/diagnosis="typo"/.test(await op.metrics()), 10_000, "metrics of the deleted diagnosis gone");
  });

  it("runs again on a spec change and on the run-now annotation, bounding history", async () => {
    const stop = autoKubelet(rest(), [NS], (p, plan) =>
      p.metadata.labels?.["netdiag.dev/diagnosis"] === "again" ? JSON.stringify(resultFor(plan as Plan, allOk)) : undefined,
    );
    try {
      const spec = { targets: [{ name: "backend", service: { name: "backend", port: 80 } }], historyLimit: 2 };
      apply([diagnosis(NS, "again", spec)]);
      const s1 = await waitCompleted(rest(), NS, "again");
      apply([diagnosis(NS, "again", { ...spec, timeoutSeconds: 25 })]);
      const s2 = await waitCompleted(rest(), NS, "again", s1.lastRun?.id);
      assert.equal(s2.observedGeneration, 2);
      kubectl(["-n", NS, "annotate", "--overwrite", "networkdiagnosis/again", "netdiag.dev/run-now=1"]);
      const s3 = await waitCompleted(rest(), NS, "again", s2.lastRun?.id);
      assert.deepEqual(
        s3.history?.map((h) => h.id),
        [s3.lastRun?.id, s2.lastRun?.id],
        "history keeps the last 2 runs, newest first",
      );
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal((await getDiag(rest(), NS, "again")).status?.lastRun?.id, s3.lastRun?.id, "a served run-now value does not run again");
    } finally {
      stop();
    }
  });

  it("runs a scheduled diagnosis again when its cron schedule fires, never overlapping", async () => {
    const stop = autoKubelet(rest(), [NS], (p, plan) =>
      p.metadata.labels?.["netdiag.dev/diagnosis"] === "every-minute" ? JSON.stringify(resultFor(plan as Plan, allOk)) : undefined,
    );
    try {
      apply([diagnosis(NS, "every-minute", { targets: [{ name: "backend", service: { name: "backend", port: 80 } }], schedule: "* * * * *" })]);
      const first = await waitCompleted(rest(), NS, "every-minute");
      const next = (await getDiag(rest(), NS, "every-minute")).status as { nextRunTime?: string };
      assert.ok(next.nextRunTime, "status says when the next run is");
      const second = await waitCompleted(rest(), NS, "every-minute", first.lastRun?.id, 75_000);
      const trigger = (second.lastRun as { trigger?: string } | undefined)?.trigger;
      assert.equal(trigger, "schedule");
      assert.ok(
        Date.parse((second.lastRun as { startTime: string } | undefined)?.startTime ?? "") >= Date.parse(next.nextRunTime ?? ""),
        "not before the time it announced",
      );
      assert.deepEqual(
        second.history?.map((h) => h.id),
        [second.lastRun?.id, first.lastRun?.id],
      );
    } finally {
      stop();
    }
  });
});
