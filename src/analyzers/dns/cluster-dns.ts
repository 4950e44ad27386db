/**
 * The cluster DNS as the snapshot shows it: the kube-dns Service in kube-system, its
 * ready endpoints, the CoreDNS pods (k8s-app=kube-dns) and the Corefile's `forward`
 * upstreams. For policy checks, the CoreDNS pods are the destination of a lookup (the
 * kube-dns ClusterIP is DNATed to them before policies see the packet); offline, an
 * assumed CoreDNS pod stands in.
 *
 * @module
 */
import type { FlowPeer } from "../../policy/flow.ts";
import { compileSelector } from "../../model/selector.ts";
import { podPeer } from "../path-flows.ts";
import { isReady } from "../../model/pod-state.ts";
import { type IndexedSnapshot, key } from "../../model/snapshot-index.ts";
import type { Deployment, Pod, Service } from "../../model/snapshot.ts";

export const DnsLabels = { "k8s-app": "kube-dns" } as const;

export interface ClusterDns {
  service?: Service;
  pods: Pod[];
  readyEndpoints: number;
  totalEndpoints: number;
  deployment?: Deployment;
}

/** The kube-dns Service (by name, else by label) and what backs it. */
export function clusterDns(idx: IndexedSnapshot): ClusterDns {
  const service =
    idx.services.get("kube-system/kube-dns") ??
    (idx.snapshot.services ?? []).find((s) => s.metadata.namespace === "kube-system" && s.metadata.labels?.["k8s-app"] === "kube-dns");
  const selector = compileSelector({ matchLabels: service?.spec?.selector ?? DnsLabels });
  const pods = (idx.podsByNamespace.get("kube-system") ?? []).filter((p) => selector.matches(p.metadata.labels));
  const slices = service ? idx.slicesByService.get(key("kube-system", service.metadata.name)) : undefined;
  const endpoints = slices ? slices.flatMap((s) => s.endpoints ?? []) : undefined;
  const out: ClusterDns = {
    pods,
    readyEndpoints: endpoints ? endpoints.filter((e) => e.conditions?.ready !== false).length : pods.filter(isReady).length,
    totalEndpoints: endpoints ? endpoints.length : pods.length,
  };
  if (service) out.service = service;
  const deployment = idx.deployments.get("kube-system/coredns");
  if (deployment) out.deployment = deployment;
  return out;
}

/** The pods a DNS lookup lands on, as policy peers. */
export function dnsServerPeers(idx: IndexedSnapshot): FlowPeer[] {
  const pods = clusterDns(idx).pods;
  if (pods.length > 0) return pods.slice(0, 5).map(podPeer);
  return [
    {
      name: "kube-system/kube-dns pods (k8s-app=kube-dns)",
      namespace: "kube-system",
      labels: { ...DnsLabels },
      ports: [
        { name: "dns", containerPort: 53, protocol: "UDP" },
        { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
      ],
    },
  ];
}

/** Upstreams of the Corefile's `forward .` directive, e.g. ["/etc/resolv.conf"] or ["8.8.8.8"]. */
export function corefileUpstreams(idx: IndexedSnapshot): string[] {
  const corefile = idx.configMaps.get("kube-system/coredns")?.data?.["Corefile"];
  const m = corefile?.match(/^\s*forward\s+\.\s+([^{\n]+)/m);
  return m?.[1]?.trim().split(/\s+/) ?? [];
}
