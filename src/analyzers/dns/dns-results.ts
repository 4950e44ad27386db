/**
 * What the probe's lookups say: DNSUpstreamFailure (SERVFAIL for an external name: CoreDNS
 * cannot reach its `forward` upstream), DNSServerUnreachable (some nameservers do not
 * answer), DNSSlowLookups, and DNSResolutionFailed for NXDOMAIN / timeouts that no
 * earlier finding explains.
 *
 * @module
 */
import type { Finding } from "../../api/status.ts";
import type { TargetAnalyzer, TargetContext } from "../context.ts";
import { finding } from "../finding.ts";
import { isClusterName } from "../../model/resolve.ts";
import { dnsNodeSplit } from "../observed/cross-node.ts";
import { clusterDns, corefileUpstreams } from "./cluster-dns.ts";

export const SLOW_DNS_MS = 1000;

/**
 * The source pod's own DNS settings when they bypass the cluster DNS (dnsPolicy None with
 * other nameservers, or Default: the node's resolv.conf). The probe copies them, so a
 * failed lookup then says where the app's lookups really go.
 */
export function sourcePodDns(
  ctx: Pick<TargetContext, "source" | "idx" | "namespace">,
): { policy: string; nameservers: string[]; clusterDns?: string } | undefined {
  const name = ctx.source.name.split("/")[1];
  const pod = (ctx.idx.podsByNamespace.get(ctx.namespace) ?? []).find((p) => p.metadata.name === name);
  const policy = pod?.spec?.dnsPolicy;
  if (!pod || (policy !== "None" && policy !== "Default")) return undefined;
  const ip = clusterDns(ctx.idx).service?.spec?.clusterIP;
  const nameservers = pod.spec?.dnsConfig?.nameservers ?? [];
  if (ip && nameservers.includes(ip)) return undefined;
  return { policy, nameservers, ...(ip ? { clusterDns: ip } : {}) };
}

/** Codes that already explain a failed lookup. */
const EXPLAINS = new Set(["ShortNameCrossNamespace", "ServiceNotFound", "NamespaceNotFound", "DNSServiceUnavailable", "DNSEgressBlocked"]);

export const dnsResults: TargetAnalyzer = (ctx) => {
  const out: Finding[] = [];
  const split = dnsNodeSplit(ctx);
  const explained = ctx.found.some((f) => EXPLAINS.has(f.code) && f.severity !== "Info" && (f.target === undefined || f.target === ctx.target.name));
  for (const o of ctx.observations) {
    const c = o.check;
    if (c.check !== "dns") continue;
    const name = String(c.detail.input?.["name"] ?? ctx.resolved.dnsName ?? "?");
    const base = { target: ctx.target.name, source: o.probe };
    const failedServers = (c.detail.perServer ?? []).filter((s) => s.outcome !== "ok" && s.outcome !== "nxdomain");
    if (c.outcome === "ok") {
      if ((c.detail.queryTimeMs ?? 0) > SLOW_DNS_MS)
        out.push(
          finding("DNSSlowLookups", "Warning", {
            ...base,
            message: `Lookup of ${name} took ${c.detail.queryTimeMs} ms (over ${SLOW_DNS_MS} ms)`,
            remediation: "Check CoreDNS load and upstream latency; lower ndots or use FQDNs with a trailing dot",
            escalateTo: "Platform/CNI",
          }),
        );
      if (failedServers.length > 0)
        out.push(
          finding("DNSServerUnreachable", "Warning", {
            ...base,
            message: `Nameservers ${failedServers.map((s) => `${s.server} (${s.outcome})`).join(", ")} did not answer the lookup of ${name}; others did`,
            escalateTo: "Platform/CNI",
          }),
        );
      continue;
    }
    if (c.outcome === "servfail" && !isClusterName(name, ctx.clusterDomain)) {
      const up = corefileUpstreams(ctx.idx);
      out.push(
        finding("DNSUpstreamFailure", "Critical", {
          ...base,
          message: `Lookup of external name ${name} returned SERVFAIL: CoreDNS cannot reach its upstream resolver${up.length ? ` (Corefile forward . ${up.join(" ")})` : ""}`,
          remediation: "Check CoreDNS logs for upstream errors and the forward upstreams in the coredns ConfigMap",
          escalateTo: "Platform/CNI",
        }),
      );
      continue;
    }
    if (!["nxdomain", "dns-timeout", "servfail"].includes(c.outcome) || explained) continue;
    if (split?.failing.includes(o)) {
      // DNS works from another node: the path between the nodes is at fault (L3, CrossNodeUnreachable)
      out.push(
        finding("DNSServerUnreachable", "Warning", {
          ...base,
          message: `Lookup of ${name} timed out from node ${o.node} but resolves from node ${split.working.node}: CoreDNS runs only on ${split.dnsNodes.join(", ")} and is not reachable across nodes (see CrossNodeUnreachable)`,
          escalateTo: "Platform/CNI",
        }),
      );
      continue;
    }
    const allDown = c.outcome === "dns-timeout" && failedServers.length > 0 && failedServers.length === (c.detail.perServer ?? []).length;
    // the app's own dnsConfig/dnsPolicy sends its lookups elsewhere (the probe copied them)
    const own = sourcePodDns(ctx);
    const where = own
      ? own.policy === "None"
        ? `: the source pod's dnsPolicy None sends every lookup to ${own.nameservers.join(", ") || "no nameserver"} (its dnsConfig), not to the cluster DNS${own.clusterDns ? ` ${own.clusterDns}` : ""}`
        : `: the source pod's dnsPolicy Default uses the node's resolv.conf, not the cluster DNS${own.clusterDns ? ` ${own.clusterDns}` : ""}, so cluster names do not resolve`
      : "";
    out.push(
      finding(allDown ? "DNSServerUnreachable" : "DNSResolutionFailed", "Critical", {
        ...base,
        message: `Lookup of ${name} failed: ${c.outcome === "nxdomain" ? "NXDOMAIN (the name does not exist)" : c.outcome === "servfail" ? "SERVFAIL" : "no nameserver answered (timeout)"}${where}`,
        evidence: [
          ...failedServers.map((s) => `${s.server}: ${s.outcome}`),
          ...(own
            ? [
                `source pod ${ctx.source.name}: dnsPolicy ${own.policy}${own.nameservers.length ? `, dnsConfig.nameservers ${own.nameservers.join(", ")}` : ""} (${ctx.spec.source?.pod ? "the probe ran inside that pod" : "copied by the probe"})`,
              ]
            : []),
        ],
        remediation: own
          ? `Give the pod dnsPolicy: ClusterFirst (or put the cluster DNS${own.clusterDns ? ` ${own.clusterDns}` : ""} in its dnsConfig.nameservers with the cluster's search domains)`
          : c.outcome === "nxdomain"
            ? "Check the spelling and namespace of the name; short names resolve only in the client's namespace"
            : "Check that the pod can reach its nameservers (kube-dns ClusterIP) on UDP/TCP 53",
        escalateTo: own || c.outcome === "nxdomain" ? "App" : "Platform/CNI",
      }),
    );
  }
  return out;
};
