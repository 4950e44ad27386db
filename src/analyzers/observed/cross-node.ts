/**
 * CrossNodeUnreachable: the same backend pod answers a probe standing on one node and
 * drops the connections of a probe on another — the pod network between the two nodes
 * is broken (routes between the nodes' pod CIDRs, the overlay, a node firewall), not
 * the app and not NetworkPolicy (both probes carry the same labels, so the same
 * policies judge them). Needs evidence from both sides: a connect that worked to a pod
 * on node B (from B itself or from a third node) and a timeout to a pod on B from node
 * A. A single probe on one node is enough when the Service has pods on both: its own
 * node's pod answers, the other node's pod does not.
 *
 * The cluster DNS counts too: lookups that time out from probes on nodes without a
 * CoreDNS pod while a probe on another node resolves are the same fault seen through
 * DNS (dnsNodeSplit; the DNS step then reports DNSServerUnreachable as a Warning that
 * points here, since the DNS service itself works).
 *
 * @module
 */
import type { Finding } from "../../api/status.ts";
import type { Observation, TargetAnalyzer, TargetContext } from "../context.ts";
import { finding } from "../finding.ts";
import { isReady } from "../../model/pod-state.ts";
import { clusterDns } from "../dns/cluster-dns.ts";
import { reach, roleOf } from "./reach.ts";

/** Lookups that fail only from nodes without a ready CoreDNS pod, while another node's probe resolves. */
export interface DnsNodeSplit {
  failing: Observation[];
  working: Observation;
  dnsNodes: string[];
}

export function dnsNodeSplit(ctx: TargetContext): DnsNodeSplit | undefined {
  const dns = ctx.observations.filter((o) => o.check.check === "dns" && o.node !== undefined);
  const working = dns.find((o) => o.check.outcome === "ok");
  if (!working) return undefined;
  const dnsNodes = [
    ...new Set(
      clusterDns(ctx.idx)
        .pods.filter(isReady)
        .flatMap((p) => (p.spec?.nodeName ? [p.spec.nodeName] : [])),
    ),
  ].sort();
  if (dnsNodes.length === 0) return undefined;
  const failing = dns.filter((o) => o.check.outcome === "dns-timeout" && !dnsNodes.includes(o.node as string) && o.node !== working.node);
  return failing.length > 0 ? { failing, working, dnsNodes } : undefined;
}

/** What node inspection saw of the route from `node` to these pod IPs (`ip route get`), as evidence lines. */
export function routeLines(ctx: TargetContext, node: string, ips: readonly string[]): string[] {
  const i = ctx.nodeInspections?.find((n) => n.node === node);
  if (!i) return [];
  return i.routes.filter((r) => ips.includes(r.ip)).map((r) => `node ${node}: ip route get ${r.ip} -> ${r.ok ? r.route : `${r.route} (no route)`}`);
}

interface Attempt {
  probe: string;
  from: string;
  to: string;
  pod: string;
  addr: string;
  ip: string;
  reach: ReturnType<typeof reach>;
}

/** Endpoint (pod IP) connects whose probe node and backend node are both known. */
function endpointAttempts(ctx: TargetContext): Attempt[] {
  const nodeOfPod = new Map<string, string>();
  const nodeOfIp = new Map<string, string>();
  for (const p of ctx.backends) {
    if (!p.spec?.nodeName) continue;
    nodeOfPod.set(p.metadata.name, p.spec.nodeName);
    if (p.status?.podIP) nodeOfIp.set(p.status.podIP, p.spec.nodeName);
  }
  const out: Attempt[] = [];
  for (const o of ctx.observations) {
    if (o.check.check !== "tcp" || roleOf(o) !== "endpoint" || o.node === undefined) continue;
    const i = o.check.detail.input ?? {};
    const pod = String(i["pod"] ?? "");
    const host = String(i["host"] ?? "");
    const to = nodeOfPod.get(pod) ?? nodeOfIp.get(host);
    if (to === undefined) continue;
    out.push({ probe: o.probe, from: o.node, to, pod: pod || host, addr: `${host}:${String(i["port"] ?? "?")}`, ip: host, reach: reach(o.check) });
  }
  return out;
}

export const crossNodeResults: TargetAnalyzer = (ctx) => {
  const all = endpointAttempts(ctx);
  const broken = new Map<string, { from: string; to: string; failed: Attempt[]; worked: Attempt }>();
  for (const a of all) {
    if (a.reach !== "dropped" || a.from === a.to) continue;
    // proof that node B serves, from another node than the failing one
    const proof = all.find((w) => w.reach === "connected" && w.to === a.to && w.from !== a.from);
    if (!proof) continue;
    const k = `${a.from}->${a.to}`;
    const entry = broken.get(k) ?? { from: a.from, to: a.to, failed: [], worked: proof };
    entry.failed.push(a);
    broken.set(k, entry);
  }
  const out: Finding[] = [];
  const split = dnsNodeSplit(ctx);
  if (split) {
    const from = [...new Set(split.failing.map((o) => o.node as string))].sort();
    out.push(
      finding("CrossNodeUnreachable", "Critical", {
        target: ctx.target.name,
        source: split.failing[0]?.probe,
        message: `Cluster DNS runs only on node${split.dnsNodes.length > 1 ? "s" : ""} ${split.dnsNodes.join(", ")}; lookups from node${from.length > 1 ? "s" : ""} ${from.join(", ")} time out while the probe on node ${split.working.node} resolves: the pod network between the nodes drops traffic`,
        evidence: [
          ...split.failing.map((o) => `probe ${o.probe} on node ${o.node}: lookup of ${String(o.check.detail.input?.["name"] ?? "?")} timed out`),
          `probe ${split.working.probe} on node ${split.working.node}: lookup of ${String(split.working.check.detail.input?.["name"] ?? "?")} resolved`,
          `ready CoreDNS pods run on node${split.dnsNodes.length > 1 ? "s" : ""} ${split.dnsNodes.join(", ")}`,
        ],
        remediation: `Check the route from node ${from.join(", ")} to the pod CIDR of ${split.dnsNodes.join(", ")} (ip route get <CoreDNS pod IP> on the node), the overlay and the node firewall; spreading CoreDNS over more nodes (or NodeLocal DNSCache) only hides it`,
        escalateTo: "Platform/CNI",
      }),
    );
  }
  for (const b of broken.values()) {
    // a pod on the failing node that this probe reached shows the probe itself works
    const local = all.find((x) => x.from === b.from && x.to === b.from && x.reach === "connected");
    const evidence = [
      ...b.failed.map((f) => `probe ${f.probe} on node ${f.from} -> pod ${f.pod} (${f.addr}) on node ${f.to}: timeout`),
      `probe ${b.worked.probe} on node ${b.worked.from} -> pod ${b.worked.pod} (${b.worked.addr}) on node ${b.worked.to}: connected`,
      ...(local ? [`probe ${local.probe} on node ${local.from} -> pod ${local.pod} (${local.addr}) on its own node: connected`] : []),
      ...routeLines(ctx, b.from, [...new Set(b.failed.map((f) => f.ip))]),
    ];
    const noRoute = ctx.nodeInspections?.find((n) => n.node === b.from)?.routes.some((r) => !r.ok && b.failed.some((f) => f.ip === r.ip));
    out.push(
      finding("CrossNodeUnreachable", "Critical", {
        target: ctx.target.name,
        source: b.failed[0]?.probe,
        message: `Pods on node ${b.to} answer from node ${b.worked.from} but connections from node ${b.from} time out: the pod network between nodes ${b.from} and ${b.to} drops traffic${noRoute ? ` (node ${b.from} has no route to node ${b.to}'s pods)` : ""}`,
        evidence,
        remediation: `Check the route from node ${b.from} to node ${b.to}'s pod CIDR (ip route get <pod IP> on ${b.from}), the overlay between the nodes (VXLAN/Geneve port, BGP sessions of the CNI) and the node firewall or cloud security group between them`,
        escalateTo: "Platform/CNI",
      }),
    );
  }
  return out;
};
