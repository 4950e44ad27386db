/**
 * Helm for real, on the level-2 lab (a real node): scripts/e2e installed the operator with
 * `helm upgrade --install` of charts/netdiag and ran the scenarios on it. Here: a
 * diagnosis like the README's example runs to completion on that release, `helm upgrade`
 * with changed values takes effect in the running pod and the operator keeps serving,
 * and `helm uninstall` leaves nothing but the CRD (as Helm does for crds/).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { workload } from "../integration/fixtures.ts";
import { apply, kubectl, labMissing, repoRoot, sleep } from "../integration/harness.ts";

const skip = labMissing() || (kubectl(["get", "nodes", "-o", "name"], { allowFail: true }).includes("node/") ? false : "the lab has no node: run scripts/e2e");
const NS = "helm-e2e";
const REL = ["netdiag", "-n", "netdiag-system"];

function helm(args: string[]): string {
  const bin = execFileSync(join(repoRoot, "scripts/lab/build-helm"), { encoding: "utf8" }).trim().split("\n").pop() ?? "helm";
  return execFileSync(bin, args, { encoding: "utf8", env: { ...process.env, KUBECONFIG: join(repoRoot, ".lab", "kubeconfig") } });
}

async function completed(ns: string, name: string, timeoutMs = 90_000): Promise<Record<string, string>> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const out = kubectl(["-n", ns, "get", "netdiag", name, "-o", 'jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason}{"\\n"}{end}'], {
      allowFail: true,
    });
    const conds = Object.fromEntries(
      out
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("=") as [string, string]),
    );
    if (conds["Completed"]?.startsWith("True")) return conds;
    await sleep(500);
  }
  throw new Error(`${ns}/${name} did not complete within ${timeoutMs} ms`);
}

// the README example's shape: a backend Service in front of http-echo (answers on the real node)
const backend = [{ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } }, ...workload(NS, "backend", 5678)];
const diag = (name: string) => ({
  apiVersion: "netdiag.dev/v1alpha1",
  kind: "NetworkDiagnosis",
  metadata: { name, namespace: NS },
  spec: { targets: [{ name: "backend", service: { name: "backend", port: 80 } }], timeoutSeconds: 30 },
});

describe("the Helm release on the lab", { skip, timeout: 400_000 }, () => {
  it("is deployed and runs a diagnosis to completion", async () => {
    assert.match(helm(["status", ...REL]), /STATUS: deployed/);
    apply(backend);
    kubectl(["-n", NS, "rollout", "status", "deploy/backend", "--timeout=120s"]);
    apply([diag("after-install")]);
    const c = await completed(NS, "after-install");
    assert.equal(c["Healthy"], "True/AllChecksPassed", JSON.stringify(c));
  });

  it("helm upgrade with changed values takes effect in the running operator", async () => {
    helm([
      "upgrade",
      ...REL,
      join(repoRoot, "charts/netdiag"),
      "--reuse-values",
      "--set",
      "logLevel=debug",
      "--set",
      "policy.probeImageAllowlist={mirror.example/netshoot*}",
      "--wait",
      "--timeout",
      "180s",
    ]);
    kubectl(["-n", "netdiag-system", "rollout", "status", "deploy/netdiag-operator", "--timeout=180s"]);
    const spec = kubectl(["-n", "netdiag-system", "get", "deploy/netdiag-operator", "-o", "json"]);
    assert.match(spec, /"--log-level",\s*"debug"|--log-level=debug|"debug"/);
    assert.match(spec, /"NETDIAG_PROBE_IMAGE_ALLOWLIST",\s*"value": "mirror\.example\/netshoot\*"/);
    const pods = kubectl([
      "-n",
      "netdiag-system",
      "get",
      "pods",
      "-l",
      "app.kubernetes.io/name=netdiag",
      "-o",
      "jsonpath={range .items[?(@.status.phase=='Running')]}{.metadata.name}{' '}{end}",
    ])
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    assert.ok(pods.length >= 1, "an upgraded operator pod runs");
    apply([diag("after-upgrade")]);
    const c = await completed(NS, "after-upgrade");
    assert.equal(c["Healthy"], "True/AllChecksPassed", JSON.stringify(c));
  });

  it("helm uninstall removes everything but the CRD", () => {
    helm(["uninstall", ...REL, "--wait", "--timeout", "120s"]);
    // what the release created; the namespace (--create-namespace) and the operator's Lease are not the release's
    const left = kubectl(["get", "deploy,sa,svc,pdb,role,rolebinding,configmap", "-A", "-o", "name"])
      .split("\n")
      .filter((n) => /netdiag/.test(n));
    assert.deepEqual(left, []);
    const cluster = kubectl(["get", "clusterrole,clusterrolebinding", "-o", "name"])
      .split("\n")
      .filter((n) => /netdiag/.test(n) && !/netdiag-lab/.test(n)); // the lab's own NetworkPolicy enforcer is not the release's
    assert.deepEqual(cluster, []);
    assert.match(kubectl(["get", "crd", "networkdiagnoses.netdiag.dev", "-o", "name"]), /networkdiagnoses\.netdiag\.dev/);
    kubectl(["delete", "namespace", NS, "--wait=false"], { allowFail: true });
  });
});
