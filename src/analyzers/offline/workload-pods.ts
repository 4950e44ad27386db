/**
 * Pods synthesised from workload templates (Deployment, StatefulSet, ReplicaSet,
 * DaemonSet) for offline analysis: `<workload>-<n>`, labels from the template, Running
 * and Ready — unless a readiness probe checks a port the container does not declare
 * while declaring others, which cannot pass. Bare Pods without status get the same.
 *
 * @module
 */
import { probePort } from "../../model/pod-state.ts";
import type { Container, Pod, PodSpec } from "../../model/snapshot.ts";
import { fakePodIP } from "./fake-ip.ts";

export const WorkloadKinds = ["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet"] as const;

export interface Workload {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { replicas?: number; template?: { metadata?: { labels?: Record<string, string> }; spec?: PodSpec } };
}

/** Why the container's readiness probe cannot pass, as far as manifests tell. */
export function readinessDoomed(c: Container): string | undefined {
  const rp = c.readinessProbe;
  const port = rp ? probePort(rp) : undefined;
  const declared = c.ports ?? [];
  if (port === undefined || declared.length === 0) return undefined;
  const ok = declared.some((p) => p.containerPort === Number(port) || p.name === String(port));
  return ok ? undefined : `readiness probe checks port ${port}, but container ${c.name} declares only ${declared.map((p) => p.containerPort).join(", ")}`;
}

/** Adds an assumed status (Running; Ready unless a readiness probe is doomed). */
export function withAssumedStatus(pod: Pod): Pod {
  if (pod.status?.phase) return pod;
  const ns = pod.metadata.namespace ?? "default";
  const containers = pod.spec?.containers ?? [];
  const doomed = containers.map((c) => ({ c, why: readinessDoomed(c) }));
  const unready = doomed.filter((d) => d.why !== undefined);
  const ready = unready.length === 0;
  return {
    ...pod,
    status: {
      phase: "Running",
      podIP: fakePodIP(`${ns}/${pod.metadata.name}`),
      conditions: [
        ready
          ? { type: "Ready", status: "True" }
          : { type: "Ready", status: "False", reason: "ContainersNotReady", message: `assumed from the manifest: ${unready.map((u) => u.why).join("; ")}` },
      ],
      containerStatuses: containers.map((c) => ({ name: c.name, ready: readinessDoomed(c) === undefined, restartCount: 0, state: { running: {} } })),
    },
  };
}

/** The pods a workload would run. */
export function podsOf(w: Workload): Pod[] {
  const n = w.kind === "DaemonSet" ? 1 : (w.spec?.replicas ?? 1);
  const ns = w.metadata.namespace ?? "default";
  const tpl = w.spec?.template;
  return Array.from({ length: n }, (_, i) =>
    withAssumedStatus({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: `${w.metadata.name}-${i}`,
        namespace: ns,
        labels: { ...tpl?.metadata?.labels },
        ownerReferences: [{ kind: w.kind, name: w.metadata.name }],
      },
      spec: tpl?.spec ?? { containers: [] },
    }),
  );
}
