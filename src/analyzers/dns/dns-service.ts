/**
 * DNSServiceUnavailable: the kube-dns Service exists but no CoreDNS endpoint is ready —
 * every lookup in the cluster fails. A cluster-wide check, judged only when the snapshot
 * includes the kube-dns Service (absence offline is not a fault).
 *
 * @module
 */
import type { ClusterAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";
import { notRunningReason } from "../../model/pod-state.ts";
import { clusterDns } from "./cluster-dns.ts";

export const dnsServiceAvailable: ClusterAnalyzer = (ctx) => {
  const dns = clusterDns(ctx.idx);
  if (!dns.service) return [];
  const id = `kube-dns Service kube-system/${dns.service.metadata.name}`;
  const replicas = dns.deployment?.spec?.replicas;
  // the message names the component and counts (shown to every namespace, tenancy.ts);
  // the pods' names are evidence (shown in kube-system only)
  const reasons = [...new Set(dns.pods.map((p) => notRunningReason(p) ?? p.status?.phase ?? "?"))];
  const podsText =
    dns.pods.length === 0
      ? `no CoreDNS pods (k8s-app=kube-dns) exist${replicas === 0 ? `; Deployment kube-system/coredns is scaled to 0 replicas` : ""}`
      : `${dns.pods.length} CoreDNS pod${dns.pods.length === 1 ? "" : "s"}: ${reasons.join(", ")}`;
  const podLines = dns.pods.map((p) => `pod ${p.metadata.name}: ${notRunningReason(p) ?? p.status?.phase ?? "?"}`);
  if (dns.readyEndpoints === 0) {
    return [
      finding("DNSServiceUnavailable", "Critical", {
        message: `Cluster DNS is down: the ${id} has no ready endpoints (${podsText}), so every name lookup in the cluster times out`,
        evidence: [`${id}: 0 ready of ${dns.totalEndpoints} endpoints`, ...podLines],
        remediation: "Restore CoreDNS: kubectl -n kube-system get deploy,pods -l k8s-app=kube-dns; scale it up or fix its pods",
        escalateTo: "Platform/CNI",
      }),
    ];
  }
  if (dns.readyEndpoints < dns.totalEndpoints) {
    return [
      finding("DNSServiceUnavailable", "Info", {
        message: `Cluster DNS is degraded: the ${id} has ${dns.readyEndpoints} of ${dns.totalEndpoints} endpoints ready (${podsText})`,
        evidence: podLines,
        escalateTo: "Platform/CNI",
      }),
    ];
  }
  return [];
};
