/**
 * What a target designates: the name a client resolves, the host and port it connects
 * to, and — when the name is a cluster Service — which Service. A short name resolves in
 * the SOURCE namespace (the diagnosis' namespace), exactly as a pod's search path does.
 *
 * Recognised Service forms: `svc` (tentative: may also be a search-domain host),
 * `svc.ns` (when namespace ns exists), `svc.ns.svc`, `svc.ns.svc.<cluster domain>`.
 *
 * @module
 */
import { parseHttpUrl, type Target } from "../api/spec.ts";
import { parseIp } from "./ip.ts";
import type { IndexedSnapshot } from "./snapshot-index.ts";

export interface ServiceRef {
  namespace: string;
  name: string;
  /** The Service port, by number or by name. */
  port: number | string;
  /** How the target names the Service. */
  form: "spec" | "short" | "name.ns" | "name.ns.svc" | "fqdn";
}

export interface ResolvedTarget {
  name: string;
  expect: "Reachable" | "Blocked";
  /** The name a client resolves; absent for IP addresses. */
  dnsName?: string;
  /** Host as written (url and host targets). */
  host?: string;
  /** Port the client connects to (url and host targets). */
  port?: number;
  scheme?: "http" | "https";
  url?: string;
  /** The Service the target designates, when it designates one. */
  service?: ServiceRef;
  /** Why the target cannot be resolved (an unusable url); host, port and service are then absent. */
  problem?: string;
}

/**
 * The scheme, host and port a url target connects to; never throws. A URL that
 * `validateSpec` would refuse comes back as a problem that says what to fix.
 * @example urlEndpoint("https://[::1]/") // { scheme: "https", host: "::1", port: 443 }
 */
export function urlEndpoint(url: string): { scheme: "http" | "https"; host: string; port: number } | { problem: string } {
  const r = parseHttpUrl(url);
  if (!r.ok) return { problem: `url ${r.problem}` };
  const scheme = r.url.protocol === "https:" ? "https" : "http";
  const port = r.url.port ? Number(r.url.port) : scheme === "https" ? 443 : 80;
  return { scheme, host: r.url.hostname.replace(/^\[|\]$/g, ""), port };
}

/**
 * The namespace of the Service a target designates, when it is not `namespace` (the
 * diagnosis' own): another namespace's objects, shown only as the tenancy rule allows.
 */
export function foreignNamespace(resolved: Pick<ResolvedTarget, "service">, namespace: string): string | undefined {
  const ns = resolved.service?.namespace;
  return ns !== undefined && ns !== namespace ? ns : undefined;
}

/** True for names only the cluster can resolve (`*.svc.<domain>`). */
export function isClusterName(name: string, clusterDomain: string): boolean {
  const n = name.replace(/\.$/, "");
  return n.endsWith(`.svc.${clusterDomain}`) || n.endsWith(".svc") || !n.includes(".");
}

/** Maps a host name to the Service it designates, if any. */
export function serviceFromHost(host: string, port: number, sourceNs: string, idx: IndexedSnapshot, clusterDomain: string): ServiceRef | undefined {
  if (parseIp(host)) return undefined;
  const labels = host.replace(/\.$/, "").split(".");
  const [name = "", ns = ""] = labels;
  if (labels.length === 1) return { namespace: sourceNs, name, port, form: "short" };
  if (labels.length === 2 && idx.namespaces.has(ns)) return { namespace: ns, name, port, form: "name.ns" };
  if (labels.length === 3 && labels[2] === "svc") return { namespace: ns, name, port, form: "name.ns.svc" };
  if (labels.length > 3 && labels[2] === "svc" && labels.slice(3).join(".") === clusterDomain) return { namespace: ns, name, port, form: "fqdn" };
  return undefined;
}

/** Resolves one target of a diagnosis in `namespace`. */
export function resolveTarget(target: Target, namespace: string, idx: IndexedSnapshot, clusterDomain = "cluster.local"): ResolvedTarget {
  const base: ResolvedTarget = { name: target.name, expect: target.expect ?? "Reachable" };
  if (target.service) {
    const ns = target.service.namespace ?? namespace;
    base.dnsName = `${target.service.name}.${ns}.svc.${clusterDomain}`;
    base.service = { namespace: ns, name: target.service.name, port: target.service.port, form: "spec" };
    return base;
  }
  let host = target.host ?? "";
  let port = target.port ?? 0;
  if (target.url) {
    const u = urlEndpoint(target.url);
    if ("problem" in u) return { ...base, problem: u.problem };
    base.url = target.url;
    base.scheme = u.scheme;
    host = u.host;
    port = u.port;
  }
  base.host = host;
  base.port = port;
  if (!parseIp(host)) base.dnsName = host;
  const svc = serviceFromHost(host, port, namespace, idx, clusterDomain);
  if (svc) base.service = svc;
  return base;
}
