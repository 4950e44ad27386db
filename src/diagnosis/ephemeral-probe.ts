/**
 * The probe from inside the real source pod (`spec.source.pod`, docs/adr/0014-probe-in-pod.md):
 * what `kubectl debug -it <pod> --image=nicolaka/netshoot --target=<container>` does, as
 * data. Pure. An ephemeral container sees the pod's IP, node, routes, DNS config, hostAliases
 * and sidecar interception — the app's network exactly.
 *
 * Ephemeral containers are append-only: they stay in the pod spec until the pod is replaced.
 * So: one per run, named `netdiag-<runId>` (recognizable in `kubectl describe pod`), never
 * on a schedule (the spec refuses it), refused once a pod carries MAX_EPHEMERAL of ours, and
 * only where the admin granted the operator `pods/ephemeralcontainers` (a separate,
 * opt-in ClusterRole).
 *
 * It runs the same probe program with the same plan and reports the same way (termination
 * message), as the probe user, without privilege: it passes Pod Security `restricted`.
 * Unlike a probe pod it cannot bring a volume or resources (the API forbids both for
 * ephemeral containers): its root filesystem stays writable for the probe's temp files.
 *
 * @module
 */
import type { ProbePodView } from "./collect.ts";
import { PROBE_UID, probeProcess } from "./probe-pod.ts";

/** Ephemeral containers of ours a pod may carry before a run refuses to add another. */
export const MAX_EPHEMERAL = 5;
export const EPHEMERAL_PREFIX = "netdiag-";

export function ephemeralName(runId: string): string {
  return `${EPHEMERAL_PREFIX}${runId}`;
}

/** How many of the pod's ephemeral containers are ours. */
export function ourEphemeralCount(pod: { spec?: { ephemeralContainers?: { name: string }[] } }): number {
  return (pod.spec?.ephemeralContainers ?? []).filter((c) => c.name.startsWith(EPHEMERAL_PREFIX)).length;
}

export interface EphemeralInput {
  runId: string;
  image: string;
  script: string;
  planJson: string;
  /** The container whose process namespace it joins; absent: none. */
  targetContainer?: string;
}

/** The ephemeral container, for a strategic merge patch of pods/<name>/ephemeralcontainers. */
export function buildEphemeralContainer(i: EphemeralInput): Record<string, unknown> {
  return {
    name: ephemeralName(i.runId),
    ...probeProcess(i.image, i.script, i.planJson),
    ...(i.targetContainer ? { targetContainerName: i.targetContainer } : {}),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: PROBE_UID,
      runAsGroup: PROBE_UID,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}

interface PodWithEphemeral {
  metadata: { name: string };
  status?: {
    phase?: string;
    ephemeralContainerStatuses?: { name: string; state?: NonNullable<NonNullable<ProbePodView["status"]>["containerStatuses"]>[number]["state"] }[];
  };
}

/**
 * The source pod seen as a probe pod of this run (for classifyProbePod): its ephemeral
 * container's status as the "probe" container, created when the run added it. A pod that
 * ended before the probe did is a probe failure, never a network verdict.
 */
export function ephemeralView(pod: PodWithEphemeral, runId: string, addedAt: string): ProbePodView {
  const s = pod.status?.ephemeralContainerStatuses?.find((c) => c.name === ephemeralName(runId));
  const ended = pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
  return {
    metadata: { name: `${pod.metadata.name} (ephemeral container ${ephemeralName(runId)})`, creationTimestamp: addedAt },
    status: {
      phase: ended && !s?.state?.terminated ? pod.status?.phase : "Running",
      ...(ended ? { reason: "the source pod ended before the probe reported" } : {}),
      containerStatuses: s ? [{ name: "probe", ...(s.state ? { state: s.state } : {}) }] : [],
    },
  };
}
