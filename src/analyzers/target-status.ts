/**
 * The per-target layer table of the status: for each layer of the method, Passed /
 * Failed / Warning / Skipped and the latency the probe measured, plus whether the target
 * was reachable, which address was probed, the DNS lookup time and the served
 * certificate's notAfter (what netdiag_dns_lookup_time_seconds and
 * netdiag_tls_cert_expiry_timestamp_seconds export).
 *
 * @module
 */
import { type TargetRow, TargetRows } from "../api/codes.ts";
import type { Finding, TargetStatus } from "../api/status.ts";
import type { Observation, TargetContext } from "./context.ts";
import { checksOfRow, rowOf } from "./method.ts";
import { attempts, reach, roleOf } from "./observed/reach.ts";

type LayerOutcome = NonNullable<TargetStatus["layers"]>[number];

function obs(ctx: TargetContext, ...checks: string[]): Observation[] {
  return ctx.observations.filter((o) => checks.includes(o.check.check));
}

function evidence(ctx: TargetContext, layer: TargetRow): { ran: boolean; latencyMs?: number | undefined } {
  const offline = ctx.observations.length === 0;
  switch (layer) {
    case "Objects":
      return { ran: ctx.resolved.service !== undefined };
    case "DNS": {
      const d = obs(ctx, "dns")[0];
      return { ran: d !== undefined || (offline && ctx.resolved.dnsName !== undefined), latencyMs: d?.check.detail.queryTimeMs ?? d?.check.durationMs };
    }
    case "L3":
      return { ran: obs(ctx, ...checksOfRow("L3")).length > 0 };
    case "L4": {
      const t = obs(ctx, "tcp").find((o) => roleOf(o) !== "endpoint") ?? obs(ctx, "tcp")[0];
      return { ran: t !== undefined || (offline && ctx.path.length > 0), latencyMs: t?.check.detail.connectMs ?? t?.check.durationMs };
    }
    case "L7": {
      // an HTTP check that never connected judged nothing at L7 (the lower row says why):
      // Skipped, never Passed
      const h = obs(ctx, "http")[0];
      return { ran: h !== undefined && reach(h.check) === "connected", latencyMs: h?.check.detail.timings?.total ?? h?.check.durationMs };
    }
    case "TLS": {
      const t = obs(ctx, "tls")[0];
      return { ran: t !== undefined, latencyMs: t?.check.durationMs };
    }
    default:
      return { ran: false };
  }
}

function address(ctx: TargetContext): string | undefined {
  const ip = ctx.service?.spec?.clusterIP;
  if (ctx.servicePort && ip && ip !== "None") return `${ip}:${ctx.servicePort.port}`;
  if (ctx.resolved.host && ctx.resolved.port) return `${ctx.resolved.host}:${ctx.resolved.port}`;
  return undefined;
}

/** The status row of one target, from its context and the findings about it. */
export function targetStatus(ctx: TargetContext, findings: readonly Finding[]): TargetStatus {
  const mine = findings.filter((f) => f.target === ctx.target.name || f.target === undefined);
  const layers = TargetRows.map((layer) => {
    const here = mine.filter((f) => rowOf(f) === layer);
    const ev = evidence(ctx, layer);
    const outcome = here.some((f) => f.severity === "Critical")
      ? "Failed"
      : here.some((f) => f.severity === "Warning")
        ? "Warning"
        : ev.ran || here.length > 0
          ? "Passed"
          : "Skipped";
    const row: LayerOutcome = { layer, outcome };
    const worst = here.find((f) => f.severity !== "Info");
    if (worst) row.detail = worst.code;
    if (ev.latencyMs !== undefined) row.latencyMs = ev.latencyMs;
    return row;
  });
  const tries = attempts(ctx);
  const status: TargetStatus = { name: ctx.target.name, expect: ctx.resolved.expect, layers };
  if (tries.length > 0) status.reachable = tries.some((o) => reach(o.check) === "connected");
  else if (ctx.path.length > 0) status.reachable = ctx.path.some((f) => f.verdict.allowed && !f.assumed);
  const addr = address(ctx);
  if (addr) status.address = addr;
  const dns = obs(ctx, "dns").find((o) => o.check.outcome === "ok");
  const lookupMs = dns?.check.detail.queryTimeMs ?? dns?.check.durationMs;
  if (lookupMs !== undefined) status.dnsLookupMs = lookupMs;
  const notAfter = obs(ctx, "tls").find((o) => o.check.detail.notAfter)?.check.detail.notAfter;
  if (notAfter) status.certificateNotAfter = notAfter;
  return status;
}
