/**
 * The probe contract, TypeScript side: the PLAN the operator hands to the probe program
 * (JSON in an env var or a mounted file) and the RESULT the probe writes to its
 * termination message and logs. Version 1.
 *
 * Plan checks may carry extra string fields (e.g. `ready`, `service`); the probe echoes
 * the whole check back in the result's `detail.input`. Results are parsed leniently:
 * unknown fields pass through, unknown outcomes become "error".
 *
 * @module
 */
import { z } from "zod";

export const ContractVersion = 1;

/** Where a TCP connect goes: the Service VIP, one endpoint pod, or a host as written. */
export const TcpRoles = ["clusterIP", "endpoint", "host"] as const;
export type TcpRole = (typeof TcpRoles)[number];

/** Extra fields: strings (echoed back), or numbers such as timeoutSeconds. */
const extra = z.union([z.string(), z.number()]);
export const DnsCheckSchema = z.object({ check: z.literal("dns"), name: z.string().min(1) }).catchall(extra);
export const HostCheckSchema = z.object({ check: z.enum(["route", "icmp", "trace", "mtu"]), host: z.string().min(1) }).catchall(extra);
export const TcpCheckSchema = z
  .object({
    check: z.literal("tcp"),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    role: z.enum(TcpRoles),
    pod: z.string().optional(),
  })
  .catchall(extra);
export const HttpCheckSchema = z.object({ check: z.literal("http"), url: z.string().min(1) }).catchall(extra);
export const TlsCheckSchema = z
  .object({ check: z.literal("tls"), host: z.string().min(1), port: z.number().int().min(1).max(65535), sni: z.string().optional() })
  .catchall(extra);

/** Every check kind a plan can ask for. */
export const CheckKinds = ["dns", "route", "icmp", "trace", "mtu", "tcp", "http", "tls"] as const;
export type CheckKind = (typeof CheckKinds)[number];

export const PlanCheckSchema = z.union([DnsCheckSchema, HostCheckSchema, TcpCheckSchema, HttpCheckSchema, TlsCheckSchema]);
export type PlanCheck = z.infer<typeof PlanCheckSchema>;
export type TcpCheck = z.infer<typeof TcpCheckSchema>;

export const ProbePlanSchema = z.object({
  version: z.literal(ContractVersion),
  runId: z.string().min(1),
  timeoutSeconds: z.number().int().min(1),
  /** Admin opt-in (ADR 0008): raw-socket tools (traceroute, mtr, ping via raw ICMP); the pod then runs as root with NET_RAW. */
  rawSockets: z.boolean().optional(),
  /**
   * Confirm window (ADR 0010): when set, the probe re-tests, once this many seconds after
   * it started, every dns/tcp/http check that failed (timeout, unreachable) and every one
   * marked `confirm: "connected"` that worked; the second outcome counts, the first is
   * kept as detail.firstOutcome.
   */
  confirmAfterSeconds: z.number().int().min(1).max(30).optional(),
  targets: z.array(z.object({ name: z.string().min(1), checks: z.array(PlanCheckSchema) })),
});
export type ProbePlan = z.infer<typeof ProbePlanSchema>;

/** Every outcome a check can have. */
export const Outcomes = [
  "ok",
  "refused",
  "timeout",
  "no-route",
  "unreachable",
  "nxdomain",
  "servfail",
  "dns-timeout",
  "http-status",
  "tls-name-mismatch",
  "tls-expired",
  "tls-untrusted",
  "tls-error",
  "mtu-exceeded",
  "tool-missing",
  /** The kernel refused the socket the check needs (unprivileged ICMP outside net.ipv4.ping_group_range): the check could not run. */
  "not-permitted",
  "error",
] as const;
export type Outcome = (typeof Outcomes)[number];

const num = z.number().optional().catch(undefined);
const str = z.string().optional().catch(undefined);

export const CheckDetailSchema = z.looseObject({
  input: z.looseObject({}).optional().catch(undefined),
  // dns
  addresses: z.array(z.string()).optional().catch(undefined),
  queryTimeMs: num,
  perServer: z
    .array(z.looseObject({ server: z.string(), outcome: z.string(), queryTimeMs: num }))
    .optional()
    .catch(undefined),
  // tcp
  connectMs: num,
  // http
  status: num,
  timings: z.looseObject({ dns: num, connect: num, tls: num, firstByte: num, total: num }).optional().catch(undefined),
  bodyExcerpt: str,
  // tls
  problems: z.array(z.string()).optional().catch(undefined),
  notAfter: str,
  daysLeft: num,
  protocol: str,
  cipher: str,
  // mtu
  pathMtu: num,
  interfaceMtu: num,
  // any outcome: why it failed
  reason: str,
  message: str,
});
export type CheckDetail = z.infer<typeof CheckDetailSchema>;

export const CheckResultSchema = z.looseObject({
  check: z.string(),
  outcome: z.enum(Outcomes).catch("error"),
  durationMs: z.number().catch(0),
  detail: CheckDetailSchema.catch({}).default({}),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const ProbeContextSchema = z.looseObject({
  resolvConf: z
    .looseObject({
      nameservers: z.array(z.string()).catch([]).default([]),
      search: z.array(z.string()).catch([]).default([]),
      ndots: z.number().optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  interfaces: z.array(z.unknown()).optional().catch(undefined),
  routes: z.array(z.unknown()).optional().catch(undefined),
});

export const ProbeResultSchema = z.looseObject({
  version: z.literal(ContractVersion),
  runId: z.string().nullish().catch(null),
  node: z.string().nullish().catch(null),
  podIP: z.string().nullish().catch(null),
  context: ProbeContextSchema.optional().catch(undefined),
  truncated: z.boolean().optional().catch(undefined),
  /** Absent in the minimal truncated form: then nothing is known about the targets. */
  targets: z
    .array(z.looseObject({ name: z.string(), checks: z.array(CheckResultSchema).catch([]) }))
    .catch([])
    .default([]),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;
export type ProbeResultInput = z.input<typeof ProbeResultSchema>;
