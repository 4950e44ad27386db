/**
 * The node inspection result (docs/adr/0013-node-inspection.md): what the node probe
 * (`node-probe/netdiag-node-inspect`) reports on its result channel, the same one as the
 * probe contract (ADR 0003: termination message, one JSON line). Public API: add fields,
 * never rename. Socket addresses stay in /proc's hex form; src/probe/node-inspection.ts
 * decodes them.
 *
 * @module
 */
import { z } from "zod";

const Count = z.number().int().min(0);
/** [rxPackets, rxErrors, rxDropped, txPackets, txErrors, txDropped] from /proc/net/dev. */
const DevCounters = z.array(Count).length(6);

export const NodeInspectionSchema = z.object({
  version: z.literal(1),
  kind: z.literal("node-inspection"),
  runId: z.string().max(40),
  node: z.string().max(253),
  /** Wall time between the two samples of the counters. */
  sampleMs: z.number().int().min(0),
  conntrack: z.object({ count: Count, max: Count }).optional(),
  /** Tcp OutSegs / RetransSegs from /proc/net/snmp, before and after the sample. */
  tcp: z
    .array(z.object({ outSegs: Count, retransSegs: Count }))
    .length(2)
    .optional(),
  interfaces: z
    .array(z.object({ name: z.string().max(32), before: DevCounters, after: DevCounters }))
    .max(16)
    .default([]),
  /** Per target pod (by uid): found = a process of the pod was found; listen = LISTEN sockets' local addresses in hex. */
  pods: z
    .array(
      z.object({
        uid: z.string().max(36),
        found: z.boolean(),
        listen: z
          .array(z.string().regex(/^([0-9A-F]{8}|[0-9A-F]{32}):[0-9A-F]{4}$/))
          .max(32)
          .default([]),
      }),
    )
    .max(64)
    .default([]),
  /** `ip route get <target pod IP>` from the node: ok = a route exists (its text), else the error (e.g. "RTNETLINK answers: No route to host"). */
  routes: z
    .array(z.object({ ip: z.string().max(45), ok: z.boolean(), route: z.string().max(200) }))
    .max(16)
    .default([]),
  /**
   * kube-proxy's rule for each target ClusterIP:port (only when the admin granted the node
   * probe NET_ADMIN, ADR 0013): present, missing, no-endpoints (kube-proxy rejects: the
   * Service has no ready endpoints) or unknown (mode not found: IPVS, an eBPF replacement …).
   */
  services: z
    .array(
      z.object({
        ip: z.string().max(45),
        port: z.number().int().min(1).max(65535),
        protocol: z.enum(["TCP", "UDP", "SCTP"]),
        mode: z.enum(["iptables", "nftables", "unknown"]),
        rule: z.enum(["present", "missing", "no-endpoints", "unknown"]),
      }),
    )
    .max(32)
    .default([]),
});
export type NodeInspection = z.infer<typeof NodeInspectionSchema>;
