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
  };
  const r = ConfigSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (!r.success) {
    throw new ConfigError(r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
  const c = r.data;
  if (!c.kubeconfig && !c.inCluster) {
    if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) return { ...c, inCluster: true };
    throw new ConfigError("no cluster to talk to: pass --kubeconfig PATH (or set KUBECONFIG), or run in a pod with --in-cluster");
  }
  if (c.kubeconfig && !existsSync(c.kubeconfig)) throw new ConfigError(`kubeconfig ${c.kubeconfig} does not exist`);
  return c;
}
