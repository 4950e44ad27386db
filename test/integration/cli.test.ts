/**
 * `netdiag run`, `report` and `watch` against the real API server, with the operator
 * running and the test as kubelet; stdout is a pipe here, so progress comes as plain
 * lines (the TTY display is tested in test/e2e/cli-tty.test.ts under tmux).
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
    // plain progress lines, each once: the probe pod and its layers
    assert.match(r.stdout, /^ {2}\d\d:\d\d:\d\d {2}probe cli-run-\w+-0 on \S+: Done in [\d.]+s — backend: DNS ok \d+ms, L3 ok/m);
    assert.equal((r.stdout.match(/: Done in/g) ?? []).length, 1, r.stdout);
    assert.ok(r.stdout.indexOf("ROOT CAUSE") < 0 && r.stdout.indexOf("HEALTHY ") > r.stdout.indexOf(": Done in"), "progress, then the report");
  });

  it("prints the last report again with report NAME, and as JSON with -o json", async () => {
    const r = await runCli(["report", "cli-run", "-n", NS]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /^HEALTHY {5}/);
    const j = await runCli(["report", `${NS}/cli-run`, "-o", "json"]);
    assert.equal(j.status, 0, j.stderr);
    const doc = JSON.parse(j.stdout) as { healthy: boolean; name: string; targets: { name: string }[] };
    assert.equal(doc.healthy, true);
    assert.equal(doc.name, "cli-run");
    assert.deepEqual(
      doc.targets.map((t) => t.name),
      ["backend"],
    );
  });

  it("with -o json prints nothing but one JSON document, and exits 1 for a target that must be blocked but answers", async () => {
    const r = await runCli(["run", "-n", NS, "--from", "deploy/frontend", "--expect-blocked", "svc/backend:80", "--name", "cli-json", "-o", "json"]);
    assert.equal(r.status, 1, r.stderr + r.stdout);
    const doc = JSON.parse(r.stdout) as { healthy: boolean; rootCause: { code: string } };
    assert.equal(doc.healthy, false);
    assert.equal(doc.rootCause.code, "ExpectedBlockButReachable");
  });

  it("keeps --blocked as the older name of --expect-blocked", async () => {
    const r = await runCli(["run", "-n", NS, "--blocked", "svc/backend:80", "--name", "cli-blocked", "-o", "json"]);
    assert.equal(r.status, 1, r.stderr + r.stdout);
    assert.equal((JSON.parse(r.stdout) as { rootCause: { code: string } }).rootCause.code, "ExpectedBlockButReachable");
  });

  it("exits 2 for a diagnosis that does not exist", async () => {
    const r = await runCli(["report", "nothere", "-n", NS]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^netdiag report: no NetworkDiagnosis nothere in namespace cli-test/);
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
