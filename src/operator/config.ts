/**
 * Operator configuration from flags and environment, validated by zod. The cluster
 * connection is chosen explicitly — a kubeconfig file, or in-cluster credentials when
 * running in a pod — never client-node's silent fallback to localhost:8080.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { z } from "zod";

export const DEFAULT_PROBE_IMAGE = "nicolaka/netshoot:v0.13";
const IN_CLUSTER_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/** A comma-separated list (flag or env) or an array: trimmed, empties dropped. */
const list = z.union([z.array(z.string()), z.string().transform((v) => v.split(","))]).transform((a) => a.map((x) => x.trim()).filter((x) => x.length > 0));
/** A taint a probe may tolerate: `key` or `key:Effect`. */
const TAINT = /^[A-Za-z0-9][-A-Za-z0-9_./]*(:(NoSchedule|PreferNoSchedule|NoExecute))?$/;
const boolish = z.union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")]);

export const ConfigSchema = z.object({
  kubeconfig: z.string().min(1).optional(),
  inCluster: boolish.default(false),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  probeImage: z.string().min(1).default(DEFAULT_PROBE_IMAGE),
  leaderElection: boolish.default(true),
  leaseNamespace: z.string().min(1).default("netdiag-system"),
  leaseName: z.string().min(1).default("netdiag-operator"),
  leaseDurationSeconds: z.coerce.number().int().min(2).max(300).default(15),
  identity: z.string().min(1),
  concurrency: z.coerce.number().int().min(1).max(64).default(4),
  logLevel: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]).default("info"),
  /** Probe pods Pending longer than this are reported as ProbeNotScheduled. */
  probePendingTimeoutSeconds: z.coerce.number().int().min(1).max(3600).default(60),
  /**
   * When the cluster has NetworkPolicies, probes wait this long before their checks:
   * enforcers program a new pod's rules asynchronously, and a probe checked before that
   * would see a world its source pod does not (a false alarm or a false all-clear).
   */
  probeSettleSeconds: z.coerce.number().int().min(0).max(30).default(3),
  /** How many failed runs' probe pods to keep per diagnosis for `kubectl logs`. */
  keepFailedRuns: z.coerce.number().int().min(0).max(10).default(1),
  // The admin's policy (src/diagnosis/admin-policy.ts, docs/security.md).
  /** The operator's own namespace (POD_NAMESPACE): its diagnoses may always fan out to nodes. */
  operatorNamespace: z.string().min(1).default("netdiag-system"),
  /** Images a spec may pick with spec.probeImage: exact references or `prefix*`. Empty: only the default. */
  probeImageAllowlist: list
    .pipe(
      z.array(
        z
          .string()
          .min(1)
          .max(512)
          .regex(/^[^\s,]+$/, "an image reference without spaces"),
      ),
    )
    .default([]),
  /** Namespaces whose diagnoses may use spec.source.nodes (`*` = every namespace). */
  nodeFanOutNamespaces: list.pipe(z.array(z.string().regex(/^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/, "a namespace name or *"))).default([]),
  /** Whether node probes may stand on control-plane nodes. */
  probeControlPlaneNodes: boolish.default(false),
  /** Taints node probes may tolerate (`key` or `key:Effect`); nodes with other NoSchedule/NoExecute taints are skipped. */
  probeTolerateTaints: list.pipe(z.array(z.string().regex(TAINT, "key or key:Effect (NoSchedule, PreferNoSchedule, NoExecute)"))).default([]),
  /** Whether spec.source.podSelector may copy a live pod's labels (within the diagnosis' namespace only). */
  allowImpersonation: boolish.default(true),
  /** Probes run as root with NET_RAW for raw-socket tools; such pods fail Pod Security baseline/restricted. */
  probeRawSockets: boolish.default(false),
  /**
   * Node inspection for every diagnosis (ADR 0013): a read-only node probe pod per node on
   * the path, in the operator's namespace only (hostPID/hostNetwork, SYS_PTRACE): target
   * sockets, conntrack, interface drops, TCP retransmits.
   */
  nodeInspection: boolish.default(false),
  /**
   * With node inspection: also read kube-proxy's rules for the target ClusterIPs
   * (iptables-save / nft list, ADR 0013). Gives the node probe NET_ADMIN and NET_RAW —
   * the capabilities to list netfilter rules, which also allow changing them — so it is a
   * second, separate opt-in.
   */
  nodeInspectionRules: boolish.default(false),
  /**
   * Which other namespaces a finding may name when a short name points at a Service that
   * lives elsewhere: `labelled` (only namespaces labelled netdiag.dev/discoverable=true) or `all`.
   */
  namespaceHints: z.enum(["labelled", "all"], { message: "labelled or all" }).default("labelled"),
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Reads flags (`--probe-image X`) over env (`NETDIAG_PROBE_IMAGE=X`); throws ConfigError saying what to fix. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      kubeconfig: { type: "string" },
      "in-cluster": { type: "boolean" },
      port: { type: "string" },
      "probe-image": { type: "string" },
      "leader-election": { type: "string" },
      "lease-namespace": { type: "string" },
      "lease-name": { type: "string" },
      "lease-duration-seconds": { type: "string" },
      identity: { type: "string" },
      concurrency: { type: "string" },
      "log-level": { type: "string" },
      "probe-pending-timeout-seconds": { type: "string" },
      "keep-failed-runs": { type: "string" },
      "probe-settle-seconds": { type: "string" },
      "probe-image-allowlist": { type: "string" },
      "node-fanout-namespaces": { type: "string" },
      "probe-control-plane-nodes": { type: "string" },
      "probe-tolerate-taints": { type: "string" },
      "allow-impersonation": { type: "string" },
      "probe-raw-sockets": { type: "string" },
      "node-inspection": { type: "string" },
      "node-inspection-rules": { type: "string" },
      "namespace-hints": { type: "string" },
    },
    strict: true,
  });
  const pick = (flag: keyof typeof values, envName: string) => values[flag] ?? env[envName] ?? undefined;
  const raw = {
    kubeconfig: pick("kubeconfig", "KUBECONFIG"),
    inCluster: pick("in-cluster", "NETDIAG_IN_CLUSTER"),
    port: pick("port", "NETDIAG_PORT"),
    probeImage: pick("probe-image", "NETDIAG_PROBE_IMAGE"),
    leaderElection: pick("leader-election", "NETDIAG_LEADER_ELECTION"),
    leaseNamespace: pick("lease-namespace", "POD_NAMESPACE"),
    leaseName: pick("lease-name", "NETDIAG_LEASE_NAME"),
    leaseDurationSeconds: pick("lease-duration-seconds", "NETDIAG_LEASE_DURATION_SECONDS"),
    identity: pick("identity", "POD_NAME") ?? `${hostname()}-${process.pid}`,
    concurrency: pick("concurrency", "NETDIAG_CONCURRENCY"),
    logLevel: pick("log-level", "NETDIAG_LOG_LEVEL"),
    probePendingTimeoutSeconds: pick("probe-pending-timeout-seconds", "NETDIAG_PROBE_PENDING_TIMEOUT_SECONDS"),
    keepFailedRuns: pick("keep-failed-runs", "NETDIAG_KEEP_FAILED_RUNS"),
    probeSettleSeconds: pick("probe-settle-seconds", "NETDIAG_PROBE_SETTLE_SECONDS"),
    operatorNamespace: env.POD_NAMESPACE || undefined,
    probeImageAllowlist: pick("probe-image-allowlist", "NETDIAG_PROBE_IMAGE_ALLOWLIST"),
    nodeFanOutNamespaces: pick("node-fanout-namespaces", "NETDIAG_NODE_FANOUT_NAMESPACES"),
    probeControlPlaneNodes: pick("probe-control-plane-nodes", "NETDIAG_PROBE_CONTROL_PLANE_NODES"),
    probeTolerateTaints: pick("probe-tolerate-taints", "NETDIAG_PROBE_TOLERATE_TAINTS"),
    allowImpersonation: pick("allow-impersonation", "NETDIAG_ALLOW_IMPERSONATION"),
    probeRawSockets: pick("probe-raw-sockets", "NETDIAG_PROBE_RAW_SOCKETS"),
    nodeInspection: pick("node-inspection", "NETDIAG_NODE_INSPECTION"),
    nodeInspectionRules: pick("node-inspection-rules", "NETDIAG_NODE_INSPECTION_RULES"),
    namespaceHints: pick("namespace-hints", "NETDIAG_NAMESPACE_HINTS"),
  };
  const r = ConfigSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (!r.success) {
    throw new ConfigError(r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
  const c = r.data;
  if (c.nodeInspectionRules && !c.nodeInspection)
    throw new ConfigError(
      "node-inspection-rules reads kube-proxy's rules from the node probes of node inspection: set node-inspection=true as well, or drop node-inspection-rules",
    );
  if (!c.kubeconfig && !c.inCluster) {
    if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) return { ...c, inCluster: true };
    throw new ConfigError("no cluster to talk to: pass --kubeconfig PATH (or set KUBECONFIG), or run in a pod with --in-cluster");
  }
  if (c.kubeconfig && !existsSync(c.kubeconfig)) throw new ConfigError(`kubeconfig ${c.kubeconfig} does not exist`);
  return c;
}
