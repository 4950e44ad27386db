/**
 * Builds the probe PLAN of a diagnosis: for each target, what to check, resolved against
 * the cluster snapshot.
 *
 * - Service target: DNS of `<svc>.<ns>.svc.<domain>`; route to the ClusterIP; TCP to
 *   ClusterIP:port (role clusterIP) and to every endpoint, ready and not ready, from the
 *   EndpointSlices (role endpoint, with the pod name and `ready`); ping and path MTU
 *   toward an endpoint pod (a ClusterIP need not answer ICMP); HTTP when the Service port
 *   is named http or has appProtocol http; TLS for https. Headless: endpoints only.
 * - URL / host target: the host is resolved exactly as written (so a short name in the
 *   wrong namespace fails as it does for the app); route, ping, trace, TCP (role host);
 *   HTTP for URLs, TLS for https. When the host names a cluster Service, its endpoints
 *   are checked too.
 * - Tenancy (docs/security.md): the plan travels in the probe pod's env, which the
 *   diagnosis' namespace can read. A Service in another namespace is probed through its
 *   name and ClusterIP only (what any pod of the namespace can resolve): never its pod
 *   IPs or pod names.
 *
 * @module
 */
import type { Spec, Target } from "../api/spec.ts";
import { findServicePort, containerPortFor, targetPortOf } from "../model/ports.ts";
import { isReady } from "../model/pod-state.ts";
import { foreignNamespace, type ResolvedTarget, resolveTarget } from "../model/resolve.ts";
import { type IndexedSnapshot, indexSnapshot, key } from "../model/snapshot-index.ts";
import type { Service, ServicePort, Snapshot } from "../model/snapshot.ts";
import { compileSelector } from "../model/selector.ts";
import { ContractVersion, type PlanCheck, type ProbePlan } from "../api/probe-contract.ts";
import type { Denied } from "./confirm.ts";

export interface PlanInput {
  namespace: string;
  spec: Pick<Spec, "targets" | "timeoutSeconds">;
  snapshot: Snapshot;
  runId: string;
  clusterDomain?: string;
  /** Admin opt-in (ADR 0008): the probe may use raw-socket tools. */
  rawSockets?: boolean;
  /** Confirm window and what the static verdict denies (confirm.ts); absent: no NetworkPolicies, nothing to confirm. */
  confirm?: { afterSeconds: number; denied: ReadonlyMap<string, ReadonlySet<Denied>> };
}

/** At most this many endpoints per target (the result must fit a termination message). */
export const MAX_ENDPOINTS = 8;

interface EndpointAddr {
  ip: string;
  port: number;
  pod?: string;
  ready: boolean;
}

function endpoints(idx: IndexedSnapshot, svc: Service, sp: ServicePort): EndpointAddr[] {
  const ns = svc.metadata.namespace ?? "default";
  const slices = idx.slicesByService.get(key(ns, svc.metadata.name));
  const out: EndpointAddr[] = [];
  if (slices) {
    for (const s of slices) {
      const port = (s.ports ?? []).find((p) => (p.name ?? "") === (sp.name ?? ""))?.port;
      if (port === undefined) continue;
      for (const e of s.endpoints ?? []) {
        const ip = e.addresses[0];
        if (!ip) continue;
        const a: EndpointAddr = { ip, port, ready: e.conditions?.ready !== false };
        if (e.targetRef?.name) a.pod = e.targetRef.name;
        out.push(a);
      }
    }
  } else if (svc.spec?.selector && Object.keys(svc.spec.selector).length > 0) {
    const m = compileSelector({ matchLabels: svc.spec.selector });
    for (const p of idx.podsByNamespace.get(ns) ?? []) {
      const port = containerPortFor(p, targetPortOf(sp), sp.protocol);
      if (!m.matches(p.metadata.labels) || !p.status?.podIP || port === undefined) continue;
      out.push({ ip: p.status.podIP, port, pod: p.metadata.name, ready: isReady(p) });
    }
  }
  return out.sort((a, b) => Number(b.ready) - Number(a.ready)).slice(0, MAX_ENDPOINTS);
}

function isHttp(sp: ServicePort, scheme: "http" | "https"): boolean {
  const names = [sp.name ?? "", (sp.appProtocol ?? "").toLowerCase()];
  return names.some((n) => n === scheme || n.startsWith(`${scheme}-`));
}

function endpointChecks(eps: readonly EndpointAddr[]): PlanCheck[] {
  return eps.map((e) => ({ check: "tcp", host: e.ip, port: e.port, role: "endpoint", ...(e.pod ? { pod: e.pod } : {}), ready: String(e.ready) }));
}

function targetChecks(t: Target, r: ResolvedTarget, namespace: string, idx: IndexedSnapshot): PlanCheck[] {
  const checks: PlanCheck[] = [];
  if (r.dnsName) checks.push({ check: "dns", name: r.dnsName });
  const svc = r.service ? idx.services.get(key(r.service.namespace, r.service.name)) : undefined;
  const sp = svc && r.service ? findServicePort(svc, r.service.port) : undefined;
  // another namespace's pods stay out of this namespace's probe env (tenancy rule)
  const eps = svc && sp && foreignNamespace(r, namespace) === undefined ? endpoints(idx, svc, sp) : [];
  const ping = eps[0]?.ip;
  if (t.service) {
    if (!svc || !sp) return checks;
    const vip = svc.spec?.clusterIP;
    const headless = !vip || vip === "None";
    if (!headless) checks.push({ check: "route", host: vip }, { check: "tcp", host: vip, port: sp.port, role: "clusterIP" });
    checks.push(...endpointChecks(eps));
    const pingHost = ping ?? (headless ? undefined : vip);
    if (pingHost) checks.push({ check: "icmp", host: pingHost }, { check: "mtu", host: pingHost });
    if (isHttp(sp, "http")) checks.push({ check: "http", url: `http://${r.dnsName}:${sp.port}/` });
    if (isHttp(sp, "https")) checks.push({ check: "tls", host: r.dnsName ?? "", port: sp.port, sni: r.dnsName ?? "" });
    return checks;
  }
  const host = r.host ?? "";
  const port = r.port ?? 0;
  checks.push({ check: "route", host }, { check: "icmp", host: ping ?? host });
  if (!svc) checks.push({ check: "trace", host });
  checks.push({ check: "tcp", host, port, role: "host" }, ...endpointChecks(eps));
  if (r.url) checks.push({ check: "http", url: r.url });
  if (r.scheme === "https" || (!r.url && port === 443)) checks.push({ check: "tls", host, port, sni: host });
  checks.push({ check: "mtu", host: ping ?? host });
  return checks;
}

/**
 * Per-check timeout: a quarter of the run's budget, 2..8 s, so that the slowest check
 * (and so the whole probe, which runs checks concurrently) ends well inside the probe
 * pod's activeDeadlineSeconds. ICMP-based checks (ping, path MTU, traceroute) get at most
 * 3 s: a filtered ping must not hold the run (ICMP lost is not "network down").
 */
export function checkTimeouts(runTimeoutSeconds: number): { check: number; icmp: number } {
  const check = Math.max(2, Math.min(8, Math.floor(runTimeoutSeconds / 4)));
  return { check, icmp: Math.min(3, check) };
}

const ICMP_CHECKS = new Set(["icmp", "mtu", "trace"]);

/**
 * A TCP connect inside the cluster (a ClusterIP, a pod IP, a Service name) crosses a
 * network whose RTT is well under a millisecond: no SYN-ACK within 2 s — the first SYN
 * and its retransmit at 1 s both unanswered — is a drop. External hosts, DNS (retries),
 * HTTP and TLS (slow apps) keep the run's check budget. ADR 0010.
 */
export const IN_CLUSTER_CONNECT_SECONDS = 2;

function inCluster(c: PlanCheck, serviceTarget: boolean): boolean {
  if (c.check === "http") return serviceTarget;
  if (c.check !== "tcp") return false;
  const role = (c as { role?: unknown }).role;
  return role === "clusterIP" || role === "endpoint" || (role === "host" && serviceTarget);
}

/**
 * The plan for one run.
 * @example buildPlan({ namespace: "shop", spec, snapshot, runId: "r1" }).targets[0].checks
 */
export function buildPlan(i: PlanInput): ProbePlan {
  const idx = indexSnapshot(i.snapshot);
  const domain = i.clusterDomain ?? "cluster.local";
  const t = checkTimeouts(i.spec.timeoutSeconds);
  return {
    version: ContractVersion,
    runId: i.runId,
    timeoutSeconds: t.check,
    ...(i.rawSockets ? { rawSockets: true } : {}),
    ...(i.confirm ? { confirmAfterSeconds: i.confirm.afterSeconds } : {}),
    targets: i.spec.targets.map((x) => {
      const r = resolveTarget(x, i.namespace, idx, domain);
      const serviceTarget = r.service !== undefined;
      const denied = i.confirm?.denied.get(x.name);
      return {
        name: x.name,
        checks: targetChecks(x, r, i.namespace, idx)
          .map((c) =>
            ICMP_CHECKS.has(c.check) && t.icmp < t.check
              ? { ...c, timeoutSeconds: t.icmp }
              : inCluster(c, serviceTarget) && IN_CLUSTER_CONNECT_SECONDS < t.check
                ? c.check === "http"
                  ? { ...c, connectTimeoutSeconds: IN_CLUSTER_CONNECT_SECONDS } // the request keeps the budget: slow apps
                  : { ...c, timeoutSeconds: IN_CLUSTER_CONNECT_SECONDS }
                : c,
          )
          .map((c) =>
            denied && ((c.check === "dns" && denied.has("dns")) || ((c.check === "tcp" || c.check === "http") && denied.has("connect")))
              ? { ...c, confirm: "connected" }
              : c,
          ),
      };
    }),
  };
}
