/**
 * `netdiag run` and `netdiag watch` against the real API server, with the operator
 * running and the test as kubelet.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { admin, installOperatorObjects, labMissing, operatorKubeconfig, type OperatorProcess, runCli, startOperator } from "./harness.ts";
import { autoKubelet } from "./kubelet.ts";
import { allOk, type Plan, resultFor } from "./probe-results.ts";
import { deployAndRun, resetNamespace, workload } from "./fixtures.ts";

const skip = labMissing();
const NS = "cli-test";

describe("netdiag run", { skip, timeout: 300_000 }, () => {
  let op: OperatorProcess;
  let stop = () => {};
  before(async () => {
    installOperatorObjects();
    await deployAndRun(admin(), NS, [...workload(NS, "backend"), ...workload(NS, "frontend")]);
    op = await startOperator({ kubeconfig: operatorKubeconfig(), identity: "op-cli", leaseName: "netdiag-cli-test" });
    stop = autoKubelet(admin(), [NS], (p, plan) =>
      p.metadata.labels?.["netdiag.dev/created-by"] === undefined
        ? JSON.stringify(resultFor(plan as Plan, (t, c) => (t === "nothere" && c.check !== "route" ? { outcome: "timeout" } : allOk(t, c))))
        : undefined,
    );
  });
  after(async () => {
    stop();
    await op?.stop();
    await resetNamespace(admin(), NS);
  });

  it("creates a diagnosis from deploy/ and svc/ references, follows it and prints the layered report", async () => {
    const r = await runCli(["run", "-n", NS, "--from", "deploy/frontend", "--to", "svc/backend:80", "--name", "cli-run"]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /networkdiagnosis cli-test\/cli-run created/);
    assert.match(r.stdout, /run \w+ finished in/);
    assert.match(r.stdout, /Healthy=True/);
    assert.match(r.stdout, /backend +ok/);
  });

  it("exits 1 with the root cause when the target is broken", async () => {
    const r = await runCli(["run", "-n", NS, "--to", "svc/nothere:80", "--name", "cli-broken"]);
    assert.equal(r.status, 1, r.stderr + r.stdout);
    assert.match(r.stdout, /ROOT CAUSE {2}ServiceNotFound/);
  });

  it("exits 2 and says what to fix for a bad reference", async () => {
    const r = await runCli(["run", "-n", NS, "--to", "svc/backend"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /give the Service port, e.g. svc\/backend:80/);
  });
});
