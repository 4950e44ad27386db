/**
 * Probe observations classified for the connection checks: did the attempt reach a
 * listening socket (connected — an HTTP status or a TLS error still means the TCP
 * connection worked), was it refused, dropped (timeout), or unroutable?
 *
 * @module
 */
import type { CheckResult } from "../../api/probe-contract.ts";
import type { Observation, TargetContext } from "../context.ts";

export type Reach = "connected" | "refused" | "dropped" | "unroutable" | "other";

export function reach(c: CheckResult): Reach {
  switch (c.outcome) {
    case "ok":
    case "http-status":
    case "tls-name-mismatch":
    case "tls-expired":
    case "tls-untrusted":
    case "tls-error":
      return "connected";
    case "refused":
      return "refused";
    case "timeout":
      return "dropped";
    case "no-route":
    case "unreachable":
      return "unroutable";
    default:
      return "other";
  }
}

/** The role of a tcp check ("clusterIP", "endpoint", "host"), or "http". */
export function roleOf(o: Observation): string {
  if (o.check.check === "http") return "http";
  return String(o.check.detail.input?.["role"] ?? "host");
}

/** "10.96.0.12:80 (ClusterIP)" / "10.244.1.5:8080 (pod api-0)" / the URL. */
export function attemptText(o: Observation): string {
  const i = o.check.detail.input ?? {};
  if (o.check.check === "http") return String(i["url"] ?? "the URL");
  const where = `${String(i["host"] ?? "?")}:${String(i["port"] ?? "?")}`;
  const role = roleOf(o);
  return role === "clusterIP" ? `${where} (ClusterIP)` : role === "endpoint" ? `${where} (pod ${String(i["pod"] ?? "?")})` : where;
}

/** TCP and HTTP attempts of the target (the ones that tell whether a connection works). */
export function attempts(ctx: TargetContext): Observation[] {
  return ctx.observations.filter((o) => (o.check.check === "tcp" || o.check.check === "http") && reach(o.check) !== "other");
}

/** True when an earlier finding for this target explains a failure at the Objects layer. */
export function objectsBroken(ctx: TargetContext): boolean {
  return ctx.found.some((f) => f.layer === "Objects" && f.severity === "Critical" && f.target === ctx.target.name);
}

/**
 * True for an attempt at the source pod's own IP when the probe runs inside that pod
 * (spec.source.pod): the kernel answers it over loopback, it never leaves the pod — it
 * proves nothing about the network, the Service path or NetworkPolicy (ADR 0015).
 */
export function loopbackToSelf(ctx: TargetContext, o: Observation): boolean {
  if (!ctx.spec.source?.pod || roleOf(o) !== "endpoint") return false;
  const pod = String(o.check.detail.input?.["pod"]);
  return ctx.path.some((f) => f.self && f.peer.name === `${f.peer.namespace ?? ""}/${pod}`);
}
