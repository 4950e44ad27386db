/**
 * Speed to a verdict, side by side (issue "Speed", ADR 0010): on the level-2 lab (a real
 * node, the operator in-cluster), in one run, alternate
 *   (a) a NetworkDiagnosis: create → Completed=True, and
 *   (b) the bare netshoot pod doing the same check: create → the pod terminated,
 * for a healthy path, a refused path and a dropped path, in a namespace with
 * NetworkPolicies (so netdiag's enforcement-lag handling is in play). Prints the medians
 * and the ratio pair by pair, and the operator-side overhead (probe pod terminated, as
 * the watch saw it → status Completed, as the watch saw it): median and p90.
 * Reported, not asserted. Run: scripts/bench-verdict [RUNS] (default 5).
 */
import { workload } from "../integration/fixtures.ts";
import { admin, apply, kubectl, labMissing } from "../integration/harness.ts";
import type { WatchEvent } from "../../src/k8s/rest.ts";

const missing = labMissing();
if (missing) {
  console.error(missing);
  process.exit(2);
}
const NS = "bench-verdict";
const N = Number(process.argv[2] ?? process.env.RUNS ?? 5);
const IMAGE = "nicolaka/netshoot:v0.13";
const rest = admin();

/** The http-echo Deployment of `app`, answering on 5678 (its Services are built below, port named "tcp": no HTTP check). */
const pod = (app: string) => workload(NS, app, 5678)[0];
const svc = (name: string, app: string, targetPort: number) => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace: NS },
  spec: { selector: { app }, ports: [{ name: "tcp", port: 80, targetPort }] },
});
const policy = (name: string, app: string, ingress: unknown[]) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace: NS },
  spec: { podSelector: { matchLabels: { app } }, policyTypes: ["Ingress"], ingress },
});

interface Path {
  name: string;
  service: string;
  /** The bare pod's command: the same connect the diagnosis makes first. */
  bare: string[];
}
const PATHS: Path[] = [
  { name: "healthy", service: "backend", bare: ["nc", "-z", "-w", "2", "backend", "80"] },
  { name: "refused", service: "refused", bare: ["nc", "-z", "-w", "2", "refused", "80"] },
  { name: "dropped", service: "dropped", bare: ["nc", "-z", "-w", "2", "dropped", "80"] },
];

/** Times of interest, as this process' watches see them. */
const seen = { podSeen: new Map<string, number>(), podDone: new Map<string, number>(), completed: new Map<string, number>() };
const stops: (() => void)[] = [];
async function watchAll(): Promise<void> {
  stops.push(
    await rest.watch(
      `/api/v1/namespaces/${NS}/pods`,
      {},
      (e: WatchEvent) => {
        const p = e.object as {
          metadata: { name: string; labels?: Record<string, string> };
          status?: { phase?: string; containerStatuses?: { state?: { terminated?: unknown } }[] };
        };
        const done = p.status?.phase === "Succeeded" || p.status?.phase === "Failed" || p.status?.containerStatuses?.some((c) => c.state?.terminated);
        const key = p.metadata.labels?.["netdiag.dev/diagnosis"] ?? p.metadata.name;
        if (!seen.podSeen.has(key)) seen.podSeen.set(key, performance.now());
        if (done && !seen.podDone.has(key)) seen.podDone.set(key, performance.now());
      },
      () => {},
    ),
  );
  stops.push(
    await rest.watch(
      `/apis/netdiag.dev/v1alpha1/namespaces/${NS}/networkdiagnoses`,
      {},
      (e: WatchEvent) => {
        const d = e.object as { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } };
        if (d.status?.conditions?.some((c) => c.type === "Completed" && c.status === "True") && !seen.completed.has(d.metadata.name))
          seen.completed.set(d.metadata.name, performance.now());
      },
      () => {},
    ),
  );
}

async function until(what: () => number | undefined, timeoutMs: number, label: string): Promise<number> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const t = what();
    if (t !== undefined) return t;
    if (performance.now() > end) throw new Error(`${label}: no answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function netdiag(path: Path, i: number): Promise<{ ms: number; overheadMs: number; toPodMs: number; podMs: number; root?: string }> {
  const name = `${path.name}-${i}`;
  const t0 = performance.now();
  await rest.create(`/apis/netdiag.dev/v1alpha1/namespaces/${NS}/networkdiagnoses`, {
    apiVersion: "netdiag.dev/v1alpha1",
    kind: "NetworkDiagnosis",
    metadata: { name, namespace: NS },
    spec: { targets: [{ name: path.service, service: { name: path.service, port: 80 } }], timeoutSeconds: 30 },
  });
  const t1 = await until(() => seen.completed.get(name), 90_000, name);
  const podDone = seen.podDone.get(name);
  const d = await rest.get<{ status?: { rootCause?: { code: string } } }>(`/apis/netdiag.dev/v1alpha1/namespaces/${NS}/networkdiagnoses/${name}`);
  const podSeen = seen.podSeen.get(name);
  return {
    ms: t1 - t0,
    overheadMs: podDone === undefined ? NaN : t1 - podDone,
    toPodMs: podSeen === undefined ? NaN : podSeen - t0,
    podMs: podSeen === undefined || podDone === undefined ? NaN : podDone - podSeen,
    ...(d.status?.rootCause ? { root: d.status.rootCause.code } : {}),
  };
}

async function bare(path: Path, i: number): Promise<number> {
  const name = `bare-${path.name}-${i}`;
  const t0 = performance.now();
  await rest.create(`/api/v1/namespaces/${NS}/pods`, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: NS, labels: { app: "bare" } },
    spec: { restartPolicy: "Never", containers: [{ name: "netshoot", image: IMAGE, imagePullPolicy: "IfNotPresent", command: path.bare }] },
  });
  const t1 = await until(() => seen.podDone.get(name), 60_000, name);
  return t1 - t0;
}

const median = (xs: number[]) => {
  const s = [...xs].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)] ?? NaN) : NaN;
};
const p90 = (xs: number[]) => {
  const s = [...xs].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.ceil(s.length * 0.9) - 1)] ?? NaN) : NaN;
};
const sec = (ms: number) => (ms / 1000).toFixed(2);

kubectl(["delete", "namespace", NS, "--wait=true", "--ignore-not-found"], { allowFail: true });
apply([
  { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } },
  pod("backend"),
  pod("dropped"),
  svc("backend", "backend", 5678),
  svc("refused", "backend", 9999),
  svc("dropped", "dropped", 5678),
  policy("allow-backend", "backend", [{}]),
  policy("deny-dropped", "dropped", []),
]);
kubectl(["-n", NS, "rollout", "status", "deploy/backend", "deploy/dropped", "--timeout=120s"]);
await watchAll();
const results = new Map(
  PATHS.map((p) => [
    p.name,
    { netdiag: [] as number[], bare: [] as number[], overhead: [] as number[], toPod: [] as number[], pod: [] as number[], roots: new Set<string>() },
  ]),
);
try {
  for (let i = 0; i < N; i++) {
    for (const path of PATHS) {
      const r = results.get(path.name);
      if (!r) continue;
      // alternate the order within a pair so neither side always runs on a warmer cluster
      const first = i % 2 === 0;
      if (first) r.bare.push(await bare(path, i));
      const n = await netdiag(path, i);
      r.netdiag.push(n.ms);
      r.overhead.push(n.overheadMs);
      r.toPod.push(n.toPodMs);
      r.pod.push(n.podMs);
      r.roots.add(n.root ?? "Healthy");
      if (!first) r.bare.push(await bare(path, i));
      console.error(`run ${i + 1}/${N} ${path.name}: netdiag ${sec(n.ms)} s (${n.root ?? "Healthy"}), bare ${sec(r.bare[r.bare.length - 1] ?? NaN)} s`);
    }
  }
} finally {
  for (const s of stops) s();
}
console.log(`\nspeed to a verdict, ${N} pairs per path (create → verdict; bare: create → netshoot pod terminated)`);
console.log("path      netdiag median  bare median  ratio  difference  netdiag verdicts");
for (const [name, r] of results) {
  const a = median(r.netdiag);
  const b = median(r.bare);
  console.log(
    `${name.padEnd(9)} ${sec(a).padStart(9)} s   ${sec(b).padStart(8)} s  ${(a / b).toFixed(2).padStart(5)}×  ${("+" + sec(a - b)).padStart(8)} s  ${[...r.roots].join(",")}`,
  );
}
console.log("\nwhere netdiag's time goes (medians): create → probe pod exists | pod exists → terminated | terminated → Completed");
for (const [name, r] of results) console.log(`${name.padEnd(9)} ${sec(median(r.toPod))} s | ${sec(median(r.pod))} s | ${sec(median(r.overhead))} s`);
const all = [...results.values()].flatMap((r) => r.overhead);
console.log(`operator overhead (probe pod terminated → Completed, as watched): median ${sec(median(all))} s, p90 ${sec(p90(all))} s`);
kubectl(["delete", "namespace", NS, "--wait=false"], { allowFail: true });
process.exit(0);
