/**
 * The test acting as kubelet on the level-1 lab (which has no kubelet): a Node object
 * the real scheduler binds pods to, and pod status writes through the real /status
 * subresource — Running and Ready with a pod IP for workloads (so the real EndpointSlice
 * controller publishes them), and terminated with a termination message for probes.
 *
 * @module
 */
import type { Rest } from "../../src/k8s/rest.ts";

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

export async function ensureNode(
  rest: Rest,
  name: string,
  opts: { ready?: boolean; unschedulable?: boolean; labels?: Record<string, string>; taints?: unknown[] } = {},
): Promise<void> {
  // The API server taints a new Node not-ready (TaintNodesByCondition); a real kubelet's
  // node lifecycle clears it, here the test does.
  const body = {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...(opts.labels ?? {}) } },
    spec: { unschedulable: opts.unschedulable ?? false, taints: opts.taints ?? [] },
  };
  try {
    await rest.create("/api/v1/nodes", body);
  } catch {}
  await rest.patch(`/api/v1/nodes/${name}`, { metadata: { labels: body.metadata.labels }, spec: body.spec }, "MergePatch");
  await rest.patch(
    `/api/v1/nodes/${name}/status`,
    {
      status: {
        conditions: [
          {
            type: "Ready",
            status: opts.ready === false ? "False" : "True",
            reason: opts.ready === false ? "KubeletNotReady" : "KubeletReady",
            message: "set by the test kubelet",
            lastHeartbeatTime: now(),
            lastTransitionTime: now(),
          },
        ],
        capacity: { cpu: "8", memory: "16Gi", pods: "110" },
        allocatable: { cpu: "8", memory: "16Gi", pods: "110" },
        addresses: [{ type: "InternalIP", address: "198.18.0.1" }],
      },
    },
    "StrategicMergePatch",
  );
}

const podStatus = (ns: string, name: string) => `/api/v1/namespaces/${ns}/pods/${name}/status`;

/** Marks a pod Running with an IP, Ready or not. */
export async function runPod(rest: Rest, ns: string, name: string, ip: string, ready = true): Promise<void> {
  const pod = await rest.get<{ spec: { containers: { name: string; image: string }[] } }>(`/api/v1/namespaces/${ns}/pods/${name}`);
  await rest.patch(
    podStatus(ns, name),
    {
      status: {
        phase: "Running",
        podIP: ip,
        podIPs: [{ ip }],
        hostIP: "198.18.0.1",
        startTime: now(),
        conditions: [
          { type: "PodScheduled", status: "True", lastTransitionTime: now() },
          { type: "Initialized", status: "True", lastTransitionTime: now() },
          { type: "ContainersReady", status: ready ? "True" : "False", lastTransitionTime: now() },
          { type: "Ready", status: ready ? "True" : "False", lastTransitionTime: now() },
        ],
        containerStatuses: pod.spec.containers.map((c) => ({
          name: c.name,
          image: c.image,
          imageID: "",
          ready,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: now() } },
        })),
      },
    },
    "MergePatch",
  );
}

/** Finishes a probe pod: Succeeded, its container terminated with this termination message (and reason, as the kubelet writes it: Completed, Error, OOMKilled). */
export async function finishProbe(
  rest: Rest,
  ns: string,
  name: string,
  message: string,
  exitCode = 0,
  reason = exitCode === 0 ? "Completed" : "Error",
): Promise<void> {
  await rest.patch(
    podStatus(ns, name),
    {
      status: {
        phase: exitCode === 0 ? "Succeeded" : "Failed",
        podIP: "198.18.0.250",
        containerStatuses: [
          {
            name: "probe",
            image: "nicolaka/netshoot",
            imageID: "",
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode, reason, ...(message ? { message } : {}), startedAt: now(), finishedAt: now() } },
          },
        ],
      },
    },
    "MergePatch",
  );
}

export async function failImagePull(rest: Rest, ns: string, name: string): Promise<void> {
  await rest.patch(
    podStatus(ns, name),
    {
      status: {
        phase: "Pending",
        containerStatuses: [
          {
            name: "probe",
            image: "nicolaka/netshoot",
            imageID: "",
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: "ImagePullBackOff", message: 'Back-off pulling image "nicolaka/netshoot:v0.13"' } },
          },
        ],
      },
    },
    "MergePatch",
  );
}

export async function exceedDeadline(rest: Rest, ns: string, name: string): Promise<void> {
  await rest.patch(
    podStatus(ns, name),
    { status: { phase: "Failed", reason: "DeadlineExceeded", message: "Pod was active on the node longer than the specified deadline" } },
    "MergePatch",
  );
}

interface PodItem {
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec: { containers: { env?: { name: string; value?: string }[] }[] };
  status?: { phase?: string; containerStatuses?: unknown[] };
}

/**
 * Acts as kubelet for every probe pod (label netdiag.dev/probe=true) in `namespaces`
 * that has not run yet: `respond` returns the termination message to finish it with, or
 * undefined to leave it alone. Returns a stop function.
 */
export function autoKubelet(rest: Rest, namespaces: string[], respond: (pod: PodItem, plan: unknown) => string | undefined): () => void {
  let stopped = false;
  const done = new Set<string>();
  const loop = async () => {
    while (!stopped) {
      for (const ns of namespaces) {
        try {
          const list = await rest.list<PodItem>(`/api/v1/namespaces/${ns}/pods`, { labelSelector: "netdiag.dev/probe=true" });
          for (const p of list.items) {
            const key = `${ns}/${p.metadata.name}`;
            if (done.has(key) || p.status?.containerStatuses?.length) continue;
            const planText = p.spec.containers[0]?.env?.find((e) => e.name === "NETDIAG_PLAN")?.value;
            const msg = respond(p, planText ? JSON.parse(planText) : undefined);
            if (msg === undefined) continue;
            done.add(key);
            await finishProbe(rest, ns, p.metadata.name, msg);
          }
        } catch {
          // the namespace may not exist yet, or the pod went away: try again
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  void loop();
  return () => {
    stopped = true;
  };
}
