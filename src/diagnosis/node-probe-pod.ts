/**
 * The node probe pod (docs/adr/0013-node-inspection.md), as data. Pure. It exists only
 * for one run, only in the operator's own namespace (never a tenant's), only when the
 * admin enabled node inspection, and reads the node without changing it:
 *
 * - hostPID: to find a target pod's processes (/proc/<pid>/cgroup names the pod uid) and
 *   read the listening sockets of the pod's own network namespace (/proc/<pid>/net/tcp);
 *   no exec into the app, no ephemeral container.
 * - hostNetwork: the node's counters (/proc/net/dev, /proc/net/snmp) and conntrack
 *   (/proc/sys/net/netfilter) are those of the node's network namespace.
 * - root with capabilities dropped except SYS_PTRACE: /proc/<pid>/net of another user's
 *   process needs ptrace read access; nothing else (no NET_ADMIN: it cannot change a rule).
 *   Only when the admin also enabled the rules (`--node-inspection-rules`): NET_ADMIN and
 *   NET_RAW, what iptables-save (nft backend: netlink; legacy: a raw socket) and
 *   `nft list` need to read kube-proxy's rules for the target ClusterIPs.
 * - read-only root filesystem, no service account token, no privilege escalation,
 *   seccomp RuntimeDefault, tight resources and activeDeadlineSeconds.
 *
 * It is deleted with the run; the label netdiag.dev/diagnosis-uid ties it to its
 * diagnosis (an ownerReference cannot cross namespaces).
 *
 * @module
 */
import { Labels, ManagerName } from "../api/group.ts";

export const NodeProbeLabel = "netdiag.dev/node-probe";
export const DiagnosisUidLabel = "netdiag.dev/diagnosis-uid";

export interface NodeProbePodInput {
  /** The operator's namespace: the only one node probes run in. */
  namespace: string;
  diagnosis: { name: string; namespace: string; uid: string };
  runId: string;
  node: string;
  /** Uids of the target pods on this node whose sockets are read. */
  podUids: string[];
  image: string;
  script: string;
  sampleSeconds?: number;
  /** Target pod IPs whose route from this node is looked up (`ip route get`). */
  routes?: string[];
  /** Target ClusterIP:port/protocol whose kube-proxy rule is looked up (only with rules). */
  services?: { ip: string; port: number; protocol: string }[];
  /** The admin enabled reading kube-proxy's rules: NET_ADMIN + NET_RAW (ADR 0013). */
  rules?: boolean;
}

/** `ndnode-<runId>-<hash of node>`: a DNS label, unique per run and node. */
export function nodeProbePodName(runId: string, node: string): string {
  let h = 2166136261;
  for (const c of node) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return `ndnode-${runId}-${h.toString(36)}`;
}

export function buildNodeProbePod(i: NodeProbePodInput): Record<string, unknown> {
  const plan = {
    version: 1,
    runId: i.runId,
    pods: i.podUids.slice(0, 64),
    sampleSeconds: i.sampleSeconds ?? 1,
    ...(i.routes?.length ? { routes: i.routes.slice(0, 16) } : {}),
    ...(i.rules && i.services?.length ? { services: i.services.slice(0, 32), rules: true } : {}),
  };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: nodeProbePodName(i.runId, i.node),
      namespace: i.namespace,
      labels: { [NodeProbeLabel]: "true", [Labels.RunId]: i.runId, [DiagnosisUidLabel]: i.diagnosis.uid, [Labels.ManagedBy]: ManagerName },
      annotations: { "netdiag.dev/diagnosis": `${i.diagnosis.namespace}/${i.diagnosis.name}` },
    },
    spec: {
      nodeName: i.node,
      hostPID: true,
      hostNetwork: true,
      dnsPolicy: "ClusterFirstWithHostNet",
      restartPolicy: "Never",
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      activeDeadlineSeconds: 30,
      terminationGracePeriodSeconds: 1,
      // it must stand on the node it inspects, whatever that node's taints
      tolerations: [{ operator: "Exists" }],
      securityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        {
          name: "probe", // the container name collect.ts reads the result of
          image: i.image,
          imagePullPolicy: "IfNotPresent",
          command: ["/bin/bash", "-c", i.script, "netdiag-node-inspect"],
          env: [
            { name: "NETDIAG_NODE_PLAN", value: JSON.stringify(plan) },
            { name: "NETDIAG_TERMINATION_LOG", value: "/dev/termination-log" },
            { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
          ],
          terminationMessagePath: "/dev/termination-log",
          terminationMessagePolicy: "File",
          resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "500m", memory: "64Mi" } },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"], add: i.rules ? ["SYS_PTRACE", "NET_ADMIN", "NET_RAW"] : ["SYS_PTRACE"] },
          },
        },
      ],
    },
  };
}
