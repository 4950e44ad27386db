/**
 * The tenancy rule through the real API server, leak path by leak path: a diagnosis in
 * tenancy-a aimed at tenancy-b's Services gets the right root cause, and neither its
 * status, its Events, its probe pod's env (NETDIAG_PLAN) nor the output of `netdiag run`
 * carries tenancy-b's pod names, pod IPs, labels, selectors, readiness commands (with a
 * bearer token) or NetworkPolicy rules. The same diagnosis inside tenancy-b shows them:
 * the check can fail. The operator runs as its own process under its shipped RBAC with
 * the default policy; the test acts as kubelet.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { admin, apply, installOperatorObjects, kubectl, labMissing, operatorKubeconfig, type OperatorProcess, runCli, startOperator } from "./harness.ts";
import { autoKubelet } from "./kubelet.ts";
import { allOk, type Plan, resultFor } from "./probe-results.ts";
import { deployAndRun, diagnosis, resetNamespace, waitCompleted, workload } from "./fixtures.ts";

const skip = labMissing();
const A = "tenancy-a";
const B = "tenancy-b";
const TOKEN = "s3cr3t-bearer-9f2";

/** tenancy-b: payments (ready, admitted only from env=prod namespaces), billing (selector typo), ledger (not ready, exec readiness probe with a token). */
function tenantB(): unknown[] {
  const [payDeploy, paySvc] = workload(B, "payments", 8080, { tier: "gold-secret" });
  const [billDeploy] = workload(B, "billing", 8080, {});
  const bill = billDeploy as { spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } } };
  bill.spec.selector.matchLabels = { app: "biling-api" };
  bill.spec.template.metadata.labels = { app: "biling-api" };
  const [ledgerDeploy, ledgerSvc] = workload(B, "ledger", 8080, {});
  const led = ledgerDeploy as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
  const c = led.spec.template.spec.containers[0];
  if (c) c["readinessProbe"] = { exec: { command: ["sh", "-c", `curl -fsH 'Authorization: Bearer ${TOKEN}' localhost:8080/ready`] } };
  return [
    payDeploy,
    paySvc,
    bill,
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "billing", namespace: B },
      spec: { selector: { app: "billing-api" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
    },
    ledgerDeploy,
    ledgerSvc,
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-from-prod", namespace: B },
      spec: {
        podSelector: { matchLabels: { app: "payments" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: "prod" } } }] }],
      },
    },
  ];
}

describe("the tenancy rule through the API server", { skip, timeout: 300_000 }, () => {
  let op: OperatorProcess;
  let stop = () => {};
  let secrets: string[] = [];
  const rest = () => admin();
  const leaks = (text: string) => secrets.filter((s) => text.includes(s));

  before(async () => {
    installOperatorObjects();
    await deployAndRun(rest(), A, workload(A, "client"));
    await deployAndRun(rest(), B, tenantB(), { ready: (pod) => !pod.startsWith("ledger") });
    const pods = await rest().list<{ metadata: { name: string }; status?: { podIP?: string } }>(`/api/v1/namespaces/${B}/pods`);
    secrets = [
      ...pods.items.flatMap((p) => [p.metadata.name, ...(p.status?.podIP ? [p.status.podIP] : [])]),
      "gold-secret",
      "biling-api",
      TOKEN,
      "Authorization",
      "env=prod",
      "namespaceSelector",
    ];
    assert.ok(pods.items.length >= 3 && secrets.some((s) => /^198\.18\./.test(s)), "tenancy-b's pods run with IPs");
    op = await startOperator({ kubeconfig: operatorKubeconfig(), identity: "op-tenancy", leaseName: "netdiag-tenancy-test" });
    // payments: every connection times out (the policy drops it); the rest answers
    stop = autoKubelet(rest(), [A, B], (_p, plan) =>
      JSON.stringify(resultFor(plan as Plan, (t, c) => (t === "payments" && (c.check === "tcp" || c.check === "http") ? { outcome: "timeout" } : allOk(t, c)))),
    );
  });
  after(async () => {
    stop();
    await op?.stop();
    await resetNamespace(rest(), A);
    await resetNamespace(rest(), B);
  });

  const target = (name: string) => ({ name, service: { name, namespace: B, port: 80 } });

  it("status: the right root causes, nothing of tenancy-b but Service and policy names", async () => {
    apply([diagnosis(A, "cross", { targets: [target("payments"), target("billing"), target("ledger")], timeoutSeconds: 20 })]);
    const s = await waitCompleted(rest(), A, "cross");
    const codes = (s.findings ?? []).map((f) => `${f.target}:${f.code}`);
    assert.ok(codes.includes("payments:NetworkPolicyDenied"), codes.join(", "));
    assert.ok(codes.includes("billing:ServiceSelectorMatchesNoPods"), codes.join(", "));
    assert.ok(codes.includes("ledger:ServiceEndpointsNotReady"), codes.join(", "));
    const text = JSON.stringify(s);
    assert.deepEqual(leaks(text), [], text);
    assert.match(text, /allow-from-prod \(tenancy-b\)/, "the deciding policy is named");
  });

  it("Events of the diagnosis carry no more than its status", async () => {
    const events = kubectl(["-n", A, "get", "events", "--field-selector", "involvedObject.name=cross", "-o", "json"]);
    assert.match(events, /NetworkPolicyDenied|ServiceSelectorMatchesNoPods/);
    assert.deepEqual(leaks(events), []);
  });

  it("the probe pod's env holds tenancy-b's Service names and ClusterIPs, never its pods", async () => {
    apply([diagnosis(A, "env", { targets: [target("ledger")], timeoutSeconds: 20 })]);
    const s = await waitCompleted(rest(), A, "env");
    assert.ok(s.lastRun?.id);
    // the failed run's probe pod is kept for kubectl logs: read its env
    const probe = await rest().list<{ spec: { containers: { env?: { name: string; value?: string }[] }[] } }>(`/api/v1/namespaces/${A}/pods`, {
      labelSelector: "netdiag.dev/diagnosis=env",
    });
    const env = JSON.stringify(probe.items.map((p) => p.spec.containers[0]?.env));
    assert.match(env, /NETDIAG_PLAN/);
    assert.match(env, /ledger\.tenancy-b\.svc/);
    assert.deepEqual(leaks(env), []);
  });

  it("netdiag run prints the verdict, not tenancy-b's objects", async () => {
    const r = await runCli(["run", "-n", A, "--to", `svc/billing.${B}:80`, "--name", "cli-cross"]);
    assert.equal(r.status, 1, r.stderr + r.stdout);
    assert.match(r.stdout, /ServiceSelectorMatchesNoPods/);
    assert.deepEqual(leaks(r.stdout + r.stderr), []);
  });

  it("the same faults seen from tenancy-b itself are shown in full (the checks above can fail)", async () => {
    apply([diagnosis(B, "own", { targets: [target("billing"), target("ledger")], timeoutSeconds: 20 })]);
    const s = await waitCompleted(rest(), B, "own");
    const text = JSON.stringify(s);
    assert.match(text, /did you mean app=biling-api/);
    assert.ok(text.includes(TOKEN), "its own readiness probe is shown to its own namespace");
  });
});
