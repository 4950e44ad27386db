/**
 * Benchmark: time from `kubectl apply` of a NetworkDiagnosis to Completed=True when probe
 * results are available immediately (the test kubelet answers each probe pod as soon as
 * it appears). 20 runs on the level-1 lab; prints median, p90, min and max.
 * Run: scripts/bench-reconcile (needs npm run lab:up).
 */
import { admin, installOperatorObjects, kubectl, labMissing, operatorKubeconfig, startOperator } from "../integration/harness.ts";
import { autoKubelet } from "../integration/kubelet.ts";
import { allOk, type Plan, resultFor } from "../integration/probe-results.ts";
import { deployAndRun, diagnosis, getDiag, workload } from "../integration/fixtures.ts";

const missing = labMissing();
if (missing) {
  console.error(missing);
  process.exit(2);
}
const NS = "bench-reconcile";
const N = Number(process.env.RUNS ?? 20);
const rest = admin();
installOperatorObjects();
await deployAndRun(rest, NS, workload(NS, "backend"));
const op = await startOperator({ kubeconfig: operatorKubeconfig(), identity: "op-bench", leaseName: "netdiag-bench", extraArgs: ["--log-level", "warn"] });
const stop = autoKubelet(rest, [NS], (_p, plan) => JSON.stringify(resultFor(plan as Plan, allOk)));
const times: number[] = [];
try {
  for (let i = 0; i < N; i++) {
    const name = `bench-${i}`;
    const t0 = performance.now();
    await rest.create(
      `/apis/netdiag.dev/v1alpha1/namespaces/${NS}/networkdiagnoses`,
      diagnosis(NS, name, { targets: [{ name: "backend", service: { name: "backend", port: 80 } }] }),
    );
    for (;;) {
      const d = await getDiag(rest, NS, name);
      if (d.status?.conditions?.find((c) => c.type === "Completed" && c.status === "True")) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    times.push(performance.now() - t0);
  }
} finally {
  stop();
  await op.stop();
  kubectl(["delete", "namespace", NS, "--wait=false"], { allowFail: true });
}
const s = [...times].sort((a, b) => a - b);
const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
console.log(
  `apply -> Completed=True over ${N} runs: median ${q(0.5).toFixed(0)} ms, p90 ${q(0.9).toFixed(0)} ms, min ${(s[0] as number).toFixed(0)} ms, max ${(s[s.length - 1] as number).toFixed(0)} ms (target: median < 1000 ms)`,
);
