/**
 * Workloads for the integration tests: a namespace with a backend Deployment and Service
 * (made Running and Ready by the test kubelet so the real EndpointSlice controller
 * publishes them), and NetworkDiagnosis objects.
 *
 * @module
 */
import type { Rest } from "../../src/k8s/rest.ts";
import { apply, kubectl, waitFor } from "./harness.ts";
import { ensureNode, runPod } from "./kubelet.ts";

export const NODE = "lab-node-1";

/** An http-echo Deployment (it answers on a real node too) and its Service, port 80 -> `port`. */
export function workload(ns: string, app: string, port = 8080, extraLabels: Record<string, string> = {}) {
  return [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: app, namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app } },
        template: {
          metadata: { labels: { app, ...extraLabels } },
          spec: {
            containers: [
              {
                name: app,
                image: "hashicorp/http-echo",
                imagePullPolicy: "IfNotPresent",
                args: [`-text=${app}`, `-listen=:${port}`],
                ports: [{ name: "http", containerPort: port }],
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: app, namespace: ns },
      spec: { selector: { app }, ports: [{ name: "http", port: 80, targetPort: port }] },
    },
  ];
}

let ipSeq = 10;
/** Applies docs, then marks every pod of the namespace Running+Ready (or not) with an IP. */
export async function deployAndRun(rest: Rest, ns: string, docs: unknown[], opts: { ready?: (pod: string) => boolean } = {}): Promise<void> {
  await ensureNode(rest, NODE);
  await resetNamespace(rest, ns);
  kubectl(["create", "namespace", ns]);
  apply(docs);
  const want = docs
    .filter((d) => (d as { kind: string }).kind === "Deployment")
    .reduce((n, d) => n + ((d as { spec: { replicas?: number } }).spec.replicas ?? 1), 0);
  const pods = await waitFor(
    async () => {
      const l = await rest.list<{ metadata: { name: string; labels?: Record<string, string> }; spec: { nodeName?: string } }>(`/api/v1/namespaces/${ns}/pods`);
      const work = l.items.filter((p) => !p.metadata.labels?.["netdiag.dev/probe"]);
      return work.length >= want && work.every((p) => p.spec.nodeName) ? work : undefined;
    },
    30_000,
    `pods of ${ns} scheduled`,
  );
  for (const p of pods)
    await runPod(rest, ns, p.metadata.name, `198.18.${Math.floor(ipSeq / 250) + 1}.${(ipSeq++ % 250) + 2}`, opts.ready?.(p.metadata.name) ?? true);
}

export function diagnosis(ns: string, name: string, spec: Record<string, unknown>, annotations?: Record<string, string>) {
  return { apiVersion: "netdiag.dev/v1alpha1", kind: "NetworkDiagnosis", metadata: { name, namespace: ns, ...(annotations ? { annotations } : {}) }, spec };
}

export interface DiagStatus {
  observedGeneration?: number;
  conditions?: { type: string; status: string; reason: string; message: string }[];
  rootCause?: { code: string; message: string };
  findings?: { code: string; severity: string; message: string; source?: string }[];
  lastRun?: { id: string; completionTime?: string };
  activeRun?: { id: string };
  history?: { id: string }[];
  targets?: unknown[];
}

export async function getDiag(rest: Rest, ns: string, name: string): Promise<{ metadata: { uid: string; generation: number }; status?: DiagStatus }> {
  return rest.get(`/apis/netdiag.dev/v1alpha1/namespaces/${ns}/networkdiagnoses/${name}`);
}

export const cond = (s: DiagStatus | undefined, type: string) => s?.conditions?.find((c) => c.type === type);

/** Waits until the diagnosis' Completed condition is True for a run other than `afterRun`. */
export async function waitCompleted(rest: Rest, ns: string, name: string, afterRun?: string, timeoutMs = 30_000): Promise<DiagStatus> {
  return waitFor(
    async () => {
      const d = await getDiag(rest, ns, name);
      const s = d.status;
      return cond(s, "Completed")?.status === "True" && s?.lastRun?.id !== afterRun ? s : undefined;
    },
    timeoutMs,
    `${ns}/${name} Completed`,
  );
}

export async function probePods(rest: Rest, ns: string, diag?: string) {
  const l = await rest.list<{
    metadata: { name: string; labels: Record<string, string>; ownerReferences?: { uid: string; controller?: boolean; kind: string; name: string }[] };
    spec: Record<string, any>;
    status?: Record<string, any>;
  }>(`/api/v1/namespaces/${ns}/pods`, {
    labelSelector: `netdiag.dev/probe=true${diag ? `,netdiag.dev/diagnosis=${diag}` : ""}`,
  });
  return l.items;
}

/**
 * Deletes a test namespace and waits until it is gone. Pods bound to the test node have
 * no kubelet to confirm their graceful deletion, so they are force-deleted first.
 */
export async function resetNamespace(rest: Rest, ns: string): Promise<void> {
  kubectl(["-n", ns, "delete", "pods", "--all", "--grace-period=0", "--force"], { allowFail: true });
  kubectl(["delete", "namespace", ns, "--ignore-not-found", "--wait=false"], { allowFail: true });
  await waitFor(
    async () => {
      kubectl(["-n", ns, "delete", "pods", "--all", "--grace-period=0", "--force"], { allowFail: true });
      try {
        await rest.get(`/api/v1/namespaces/${ns}`);
        return false;
      } catch {
        return true;
      }
    },
    60_000,
    `namespace ${ns} deleted`,
    500,
  );
}
