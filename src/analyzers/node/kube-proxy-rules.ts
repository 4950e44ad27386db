/**
 * kube-proxy's rule for the target's ClusterIP, per node (node inspection with the rules
 * setting, ADR 0013): what `iptables -t nat -L KUBE-SERVICES | grep <ip>` (or `nft list
 * map ip kube-proxy service-ips`) on the node shows a senior engineer. A node whose
 * kube-proxy runs (its KUBE-SERVICES chain or nftables table exists) but has no rule for a
 * Service that has ready endpoints cannot reach that Service through its ClusterIP:
 * KubeProxyUnhealthy, naming the node and the address. A mode not found (IPVS, an eBPF
 * replacement) claims nothing; "no-endpoints" (kube-proxy rejects) is the Objects step's
 * business (ServiceEndpointsNotReady / ServiceSelectorMatchesNoPods).
 *
 * A Service younger than kube-proxy's sync needs (30 s: the default syncPeriod; a sync is
 * normally at most a second behind) is only a Warning: the rule may not be written yet.
 *
 * @module
 */
import type { NodeInspection } from "../../api/node-inspection.ts";
import type { Finding } from "../../api/status.ts";
import type { TargetAnalyzer, TargetContext } from "../context.ts";
import { finding } from "../finding.ts";
import { isReady } from "../../model/pod-state.ts";

export const YOUNG_SERVICE_MS = 30_000;

type Rule = NodeInspection["services"][number];

export interface RuleFact {
  node: string;
  rule: Rule;
}

/** The rule facts for this target's ClusterIP:port, one per inspected node that reported it. */
export function vipRules(ctx: TargetContext): RuleFact[] {
  const ip = ctx.service?.spec?.clusterIP;
  const port = ctx.servicePort?.port;
  if (!ip || ip === "None" || !port) return [];
  const proto = (ctx.servicePort?.protocol ?? "TCP").toUpperCase();
  const out: RuleFact[] = [];
  for (const i of ctx.nodeInspections ?? []) {
    const r = i.services.find((s) => s.ip === ip && s.port === port && s.protocol === proto);
    if (r) out.push({ node: i.node || "?", rule: r });
  }
  return out;
}

export function ruleText(f: RuleFact): string {
  const addr = `${f.rule.ip}:${f.rule.port}/${f.rule.protocol}`;
  switch (f.rule.rule) {
    case "present":
      return `node ${f.node}: kube-proxy rule for ${addr} present (${f.rule.mode} mode)`;
    case "missing":
      return f.rule.mode === "nftables"
        ? `node ${f.node}: no element for ${addr} in kube-proxy's service-ips map (nftables mode)`
        : `node ${f.node}: no KUBE-SVC rule for ${addr} in KUBE-SERVICES (iptables mode)`;
    case "no-endpoints":
      return `node ${f.node}: kube-proxy rejects ${addr} (the Service has no ready endpoints)`;
    default:
      return `node ${f.node}: kube-proxy's rules not found (mode unknown: IPVS or a kube-proxy replacement?)`;
  }
}

export const kubeProxyRules: TargetAnalyzer = (ctx) => {
  const facts = vipRules(ctx);
  const missing = facts.filter((f) => f.rule.rule === "missing");
  if (missing.length === 0) return [];
  const ready = ctx.backends.some(isReady);
  if (!ready) return []; // no ready endpoint: kube-proxy has nothing to program; the Objects step says why
  const created = Date.parse(ctx.service?.metadata.creationTimestamp ?? "");
  const young = Number.isFinite(created) && ctx.now.getTime() - created < YOUNG_SERVICE_MS;
  const nodes = missing.map((f) => f.node);
  const r = missing[0]?.rule as Rule;
  const svc = `${ctx.service?.metadata.namespace}/${ctx.service?.metadata.name}`;
  const out: Finding[] = [
    finding("KubeProxyUnhealthy", young ? "Warning" : "Critical", {
      target: ctx.target.name,
      message: `kube-proxy on node${nodes.length > 1 ? "s" : ""} ${nodes.join(", ")} has not programmed the ClusterIP ${r.ip}:${r.port} of Service ${svc}: pods there cannot reach it through its ClusterIP${young ? " (the Service is new: kube-proxy may not have synced yet)" : ""}`,
      evidence: facts.map(ruleText),
      remediation: `On ${nodes.join(", ")}: check kube-proxy's logs and its sync (curl localhost:10256/healthz, kubeproxy_sync_proxy_rules_last_timestamp_seconds); restart kube-proxy there to rewrite the rules; find what deletes them (another agent flushing iptables, a firewall manager)`,
      escalateTo: "Platform/CNI",
    }),
  ];
  return out;
};
