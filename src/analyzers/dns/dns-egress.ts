/**
 * DNSEgressBlocked: NetworkPolicy blocks the source's lookups (UDP/53) to the CoreDNS
 * pods. Judged against the pods, not the kube-dns ClusterIP: policies see pod IPs after
 * DNAT. Reported when the probe's lookup failed without an answer, or offline (no probe);
 * a probe that got an answer proves DNS is not blocked.
 *
 * @module
 */
import type { TargetAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";
import { evaluateFlow } from "../../policy/flow.ts";
import { dnsServerPeers } from "./cluster-dns.ts";

const ANSWERED = new Set(["ok", "nxdomain", "servfail"]);

export const dnsEgressAllowed: TargetAnalyzer = (ctx) => {
  if (ctx.resolved.dnsName === undefined) return [];
  const lookups = ctx.observations.filter((o) => o.check.check === "dns");
  if (lookups.some((o) => ANSWERED.has(o.check.outcome))) return [];
  const verdicts = dnsServerPeers(ctx.idx).map((to) => evaluateFlow(ctx.idx.policies, { from: ctx.source, to, protocol: "UDP", port: 53 }));
  if (verdicts.some((v) => v.allowed)) return [];
  const v = verdicts[0];
  if (!v) return [];
  const side = v.egress.allowed ? v.ingress : v.egress;
  const observed = lookups.find((o) => o.check.outcome === "dns-timeout");
  const policies = side.policies.map((p) => p.name).join(", ");
  return [
    finding("DNSEgressBlocked", "Critical", {
      target: ctx.target.name,
      source: observed?.probe,
      message: `DNS is blocked by NetworkPolicy ${policies}: ${side.text}, so ${ctx.resolved.dnsName} never resolves${observed ? " (the probe's lookup timed out)" : ""}`,
      evidence: [v.text, ...(observed ? [`probe ${observed.probe}: lookup of ${ctx.resolved.dnsName} timed out`] : [])],
      remediation:
        side.direction === "egress"
          ? `Add an egress rule to ${policies} allowing UDP and TCP port 53 to namespaceSelector kubernetes.io/metadata.name=kube-system with podSelector k8s-app=kube-dns`
          : `Allow ingress on UDP and TCP port 53 to the CoreDNS pods in policy ${policies} (kube-system)`,
      escalateTo: side.direction === "egress" ? "App" : "Platform/CNI",
    }),
  ];
};
