/**
 * The probe pod, as data. Pure: the same inputs give the same pod. Admitted by Pod
 * Security `restricted` (DESIGN.md §8, docs/security.md): a numeric non-root uid, no
 * capabilities at all, seccomp RuntimeDefault, no privilege escalation, read-only root
 * filesystem with an emptyDir /tmp, no service account token, resource limits and
 * activeDeadlineSeconds. Ping and path-MTU use unprivileged ICMP sockets, opened to the
 * probe's group by the safe sysctl `net.ipv4.ping_group_range`; only when the admin opts
 * in to raw sockets (`rawSockets`) does the probe run as root with NET_RAW, which
 * `baseline` and `restricted` namespaces refuse. The probe program ships inline as the argument of `bash -c`
 * (our own constant text); the plan reaches it as data in an env var, never as code.
 * A probe that impersonates a source pod's labels is made never-Ready so no Service
 * routes traffic to it.
 *
 * @module
 */
import { ApiVersion, Kind, Labels, ManagerName } from "../api/group.ts";
import type { PodDns } from "../model/snapshot.ts";

/**
 * A probe is short-lived and bursty (its checks run at once, each a shell, dig, curl or
 * jq): a small request for scheduling, a one-core limit so a 500m cap does not stretch a
 * one-second probe to four (measured with scripts/bench-verdict, ADR 0010).
 */
export const ProbeResources = { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "1", memory: "128Mi" } } as const;

export interface ProbePodInput {
  diagnosis: { name: string; namespace: string; uid: string };
  runId: string;
  index: number;
  image: string;
  planJson: string;
  script: string;
  timeoutSeconds: number;
  /**
   * The confirm window (ADR 0010): the probe checks at once and re-tests what enforcement
   * lag could explain this long after it started; its deadline grows by as much.
   */
  settleSeconds?: number;
  /** Labels copied from a live source pod (impersonation); makes the probe never-Ready. */
  sourceLabels?: Record<string, string>;
  nodeName?: string;
  tolerations?: unknown[];
  /** Admin opt-in: root with NET_RAW for raw-socket tools (not admitted by baseline/restricted). */
  rawSockets?: boolean;
  /** The source pod's DNS settings, copied so the probe resolves names as the app does. */
  dns?: PodDns;
}

/** The DNS settings of a source pod a probe copies: dnsPolicy (not hostNetwork's), dnsConfig, hostAliases. */
export function copiedDns(pod: { spec?: PodDns } | undefined): PodDns | undefined {
  const s = pod?.spec;
  if (!s) return undefined;
  const out: PodDns = {};
  // ClusterFirstWithHostNet is ClusterFirst for a pod without hostNetwork; None needs its dnsConfig
  if (s.dnsPolicy && s.dnsPolicy !== "ClusterFirst" && s.dnsPolicy !== "ClusterFirstWithHostNet" && (s.dnsPolicy !== "None" || s.dnsConfig))
    out.dnsPolicy = s.dnsPolicy;
  if (s.dnsConfig) out.dnsConfig = s.dnsConfig;
  if (s.hostAliases?.length) out.hostAliases = s.hostAliases;
  return Object.keys(out).length ? out : undefined;
}

/** The probe's numeric uid and gid (no passwd entry needed; `restricted` wants a number). */
export const PROBE_UID = 65532;

/** `<diagnosis>-<runId>-<n>`, trimmed so the whole name stays a valid DNS label (≤ 63). */
export function probePodName(diagnosis: string, runId: string, index: number): string {
  const suffix = `-${runId}-${index}`;
  return `${diagnosis.slice(0, 63 - suffix.length).replace(/[-.]+$/, "")}${suffix}`;
}

/**
 * The probe program as a container runs it (the probe contract, ADR 0003): image, command,
 * the plan and the fields the probe reads from its environment, the termination message.
 * Shared by the probe pod and the ephemeral probe container (ephemeral-probe.ts).
 */
export function probeProcess(image: string, script: string, planJson: string) {
  return {
    image,
    imagePullPolicy: "IfNotPresent",
    command: ["/bin/bash", "-c", script, "netdiag-probe"],
    env: [
      { name: "NETDIAG_PLAN", value: planJson },
      { name: "NETDIAG_TERMINATION_LOG", value: "/dev/termination-log" },
      { name: "TMPDIR", value: "/tmp" },
      { name: "HOME", value: "/tmp" },
      { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
      { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
    ],
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
  };
}

/** Label value of at most 63 characters. */
const labelValue = (v: string) => v.slice(0, 63).replace(/[-._]+$/, "");

export function buildProbePod(i: ProbePodInput): Record<string, unknown> {
  const impersonating = i.sourceLabels !== undefined;
  const labels: Record<string, string> = {
    ...(i.sourceLabels ?? {}),
    [Labels.Probe]: "true",
    [Labels.Diagnosis]: labelValue(i.diagnosis.name),
    [Labels.RunId]: i.runId,
    [Labels.ManagedBy]: ManagerName,
  };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: probePodName(i.diagnosis.name, i.runId, i.index),
      namespace: i.diagnosis.namespace,
      labels,
      annotations: { "netdiag.dev/probe-index": String(i.index) },
      ownerReferences: [{ apiVersion: ApiVersion, kind: Kind, name: i.diagnosis.name, uid: i.diagnosis.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      restartPolicy: "Never",
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      activeDeadlineSeconds: i.timeoutSeconds + (i.settleSeconds ?? 0),
      terminationGracePeriodSeconds: 1,
      ...(i.nodeName ? { nodeName: i.nodeName } : {}),
      ...(i.tolerations?.length ? { tolerations: i.tolerations } : {}),
      ...(i.dns ?? {}),
      securityContext: i.rawSockets
        ? { seccompProfile: { type: "RuntimeDefault" } }
        : {
            runAsNonRoot: true,
            runAsUser: PROBE_UID,
            runAsGroup: PROBE_UID,
            seccompProfile: { type: "RuntimeDefault" },
            sysctls: [{ name: "net.ipv4.ping_group_range", value: `${PROBE_UID} ${PROBE_UID}` }],
          },
      containers: [
        {
          name: "probe",
          ...probeProcess(i.image, i.script, i.planJson),
          resources: ProbeResources,
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            ...(i.rawSockets ? { runAsUser: 0, capabilities: { drop: ["ALL"], add: ["NET_RAW"] } } : { runAsNonRoot: true, capabilities: { drop: ["ALL"] } }),
          },
          volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
          ...(impersonating ? { readinessProbe: { exec: { command: ["/bin/false"] }, periodSeconds: 3600, failureThreshold: 1 } } : {}),
        },
      ],
      volumes: [{ name: "tmp", emptyDir: { sizeLimit: "16Mi" } }],
    },
  };
}
