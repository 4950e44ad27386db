/**
 * Admission and the admin's policy on the real API server (its built-in Pod Security
 * admission and ResourceQuota admission), with the operator under its shipped RBAC:
 * - probe pods are admitted in namespaces that enforce `restricted` and `baseline`;
 * - a namespace that refuses the probe pod (a LimitRange; Pod Security against an operator
 *   the admin put in raw-socket mode; a ResourceQuota in test/scenarios/admission-refused) ends the run at once with ProbePodRejected quoting it;
 * - spec.probeImage off the allowlist runs the default image and says so (SpecAllowed);
 * - node fan-out outside the admin's namespaces is refused (NotAllowedByPolicy).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { admin, apply, installOperatorObjects, kubectl, labMissing, type OperatorProcess, operatorKubeconfig, startOperator, waitFor } from "./harness.ts";
import { autoKubelet } from "./kubelet.ts";
import { allOk, type Plan, resultFor } from "./probe-results.ts";
import { cond, deployAndRun, diagnosis, getDiag, probePods, resetNamespace, waitCompleted, workload } from "./fixtures.ts";

const skip = labMissing();
const RESTRICTED = "adm-restricted";
const BASELINE = "adm-baseline";
const QUOTA = "adm-quota";
const target = [{ name: "backend", service: { name: "backend", port: 80 } }];

/** Labels a namespace for Pod Security enforcement (after its workload runs: enforcement applies to new pods). */
const enforce = (ns: string, level: string) => kubectl(["label", "namespace", ns, `pod-security.kubernetes.io/enforce=${level}`, "--overwrite"]);

describe("admission of probe pods and the admin's policy", { skip, timeout: 300_000 }, () => {
  let op: OperatorProcess | undefined;
  let stopKubelet: (() => void) | undefined;
  /** The image of each diagnosis' probe pod, as the test kubelet saw it (healthy runs delete their pods). */
  const images = new Map<string, string>();
  const rest = () => admin();

  before(async () => {
    installOperatorObjects();
    for (const ns of [RESTRICTED, BASELINE, QUOTA]) await deployAndRun(rest(), ns, workload(ns, "backend"));
    enforce(RESTRICTED, "restricted");
    enforce(BASELINE, "baseline");
    // LimitRanger admission refuses a container whose CPU limit is over the namespace's maximum.
    apply([
      { apiVersion: "v1", kind: "LimitRange", metadata: { name: "tiny", namespace: QUOTA }, spec: { limits: [{ type: "Container", max: { cpu: "100m" } }] } },
    ]);
    stopKubelet = autoKubelet(rest(), [RESTRICTED, BASELINE, QUOTA], (p, plan) => {
      const diag = p.metadata.labels?.["netdiag.dev/diagnosis"];
      if (diag) images.set(diag, (p as unknown as { spec: { containers: { image: string }[] } }).spec.containers[0]?.image ?? "");
      return JSON.stringify(resultFor(plan as Plan, allOk));
    });
  });
  after(async () => {
    stopKubelet?.();
    await op?.stop();
    for (const ns of [RESTRICTED, BASELINE, QUOTA]) await resetNamespace(rest(), ns);
  });

  describe("with the default (restricted) probe", () => {
    before(async () => {
      op = await startOperator({
        kubeconfig: operatorKubeconfig(),
        identity: "op-admission",
        leaseName: "netdiag-admission-test",
        extraArgs: ["--probe-image-allowlist", "mirror.example/netshoot:*"],
      });
    });
    after(async () => {
      await op?.stop();
      op = undefined;
    });

    for (const ns of [RESTRICTED, BASELINE]) {
      it(`is admitted in a namespace that enforces ${ns === RESTRICTED ? "restricted" : "baseline"} and completes Healthy`, async () => {
        apply([diagnosis(ns, "healthy", { targets: target, timeoutSeconds: 20 })]);
        const s = await waitCompleted(rest(), ns, "healthy");
        assert.equal(cond(s, "Healthy")?.status, "True", JSON.stringify(s.findings));
        assert.equal(cond(s, "SpecAllowed")?.status, "True");
      });
    }

    it("ends the run at once with ProbePodRejected when the namespace's LimitRange refuses the probe pod", async () => {
      const t0 = Date.now();
      apply([diagnosis(QUOTA, "no-room", { targets: target, timeoutSeconds: 60 })]);
      const s = await waitCompleted(rest(), QUOTA, "no-room", undefined, 20_000);
      assert.ok(Date.now() - t0 < 20_000, "well within the run's 60 s timeout");
      assert.equal(s.rootCause?.code, "ProbePodRejected");
      assert.match(s.rootCause?.message ?? "", /maximum cpu usage per Container is 100m/);
      assert.match(s.rootCause?.message ?? "", /LimitRange/);
      assert.equal(cond(s, "Healthy")?.status, "Unknown", "a refused probe says nothing about the network");
      assert.equal((await probePods(rest(), QUOTA, "no-room")).length, 0);
    });

    it("runs the default image when spec.probeImage is not on the allowlist, and says so", async () => {
      apply([diagnosis(RESTRICTED, "own-image", { targets: target, probeImage: "attacker.example/rootkit:latest", timeoutSeconds: 20 })]);
      const s = await waitCompleted(rest(), RESTRICTED, "own-image");
      assert.equal(images.get("own-image"), "nicolaka/netshoot:v0.13");
      assert.equal(cond(s, "SpecAllowed")?.status, "False");
      assert.equal(cond(s, "SpecAllowed")?.reason, "ProbeImageNotAllowed");
      assert.match(cond(s, "SpecAllowed")?.message ?? "", /attacker\.example\/rootkit:latest.*allowlist/);
      const events = kubectl(["-n", RESTRICTED, "get", "events", "--field-selector", "involvedObject.name=own-image", "-o", "jsonpath={.items[*].reason}"]);
      assert.match(events, /ProbeImageNotAllowed/);
    });

    it("honours spec.probeImage on the allowlist", async () => {
      apply([diagnosis(BASELINE, "mirror", { targets: target, probeImage: "mirror.example/netshoot:v0.13", timeoutSeconds: 20 })]);
      const s = await waitCompleted(rest(), BASELINE, "mirror");
      assert.equal(images.get("mirror"), "mirror.example/netshoot:v0.13");
      assert.equal(cond(s, "SpecAllowed")?.status, "True");
    });

    it("refuses node fan-out in a namespace the admin did not list (terminal, no probe pods)", async () => {
      apply([diagnosis(BASELINE, "fanout", { source: { nodes: { selector: {} } }, targets: target })]);
      const s = await waitFor(
        async () => {
          const st = (await getDiag(rest(), BASELINE, "fanout")).status;
          return cond(st, "Completed")?.reason === "NotAllowedByPolicy" ? st : undefined;
        },
        15_000,
        "NotAllowedByPolicy",
      );
      assert.equal(cond(s, "Completed")?.status, "False");
      assert.match(cond(s, "Completed")?.message ?? "", /--node-fanout-namespaces/);
      assert.equal((await probePods(rest(), BASELINE, "fanout")).length, 0);
    });
  });

  describe("with an operator the admin put in raw-socket mode (root + NET_RAW)", () => {
    before(async () => {
      op = await startOperator({
        kubeconfig: operatorKubeconfig(),
        identity: "op-admission-raw",
        leaseName: "netdiag-admission-raw-test",
        extraArgs: ["--probe-raw-sockets", "true"],
      });
    });

    it("ends the run at once with the Pod Security refusal as the finding in a restricted namespace", async () => {
      const t0 = Date.now();
      apply([diagnosis(RESTRICTED, "raw", { targets: target, timeoutSeconds: 60 })]);
      const s = await waitCompleted(rest(), RESTRICTED, "raw", undefined, 20_000);
      assert.ok(Date.now() - t0 < 20_000);
      assert.equal(s.rootCause?.code, "ProbePodRejected");
      assert.match(s.rootCause?.message ?? "", /violates PodSecurity "restricted/);
      assert.match(s.rootCause?.message ?? "", /--probe-raw-sockets/);
    });
  });
});
