/**
 * The node agents of the data path, found in kube-system: kube-proxy (and its mode from
 * the kube-proxy ConfigMap) and the CNI (calico, cilium, flannel, weave, kindnet,
 * kube-router, antrea, ovn) by DaemonSet or pod names. Unhealthy = a DaemonSet with fewer
 * ready than desired pods, or agent pods not Ready.
 *
 * @module
 */
import { isReady, notRunningReason } from "../../model/pod-state.ts";
import type { IndexedSnapshot } from "../../model/snapshot-index.ts";
import type { DaemonSet, Pod } from "../../model/snapshot.ts";

export const CniNames = ["calico", "cilium", "flannel", "weave", "kindnet", "kube-router", "antrea", "ovn"] as const;

export interface Agent {
  /** kube-proxy or a CNI name. */
  name: string;
  daemonSets: DaemonSet[];
  pods: Pod[];
  /** "calico-node-x on node-2: CrashLoopBackOff", … */
  problems: string[];
}

function agent(idx: IndexedSnapshot, name: string, match: (n: string) => boolean): Agent | undefined {
  const daemonSets = idx.daemonSets.filter((d) => (d.metadata.namespace ?? "kube-system") === "kube-system" && match(d.metadata.name));
  const pods = (idx.podsByNamespace.get("kube-system") ?? []).filter((p) => match(p.metadata.name) || match(p.metadata.labels?.["k8s-app"] ?? ""));
  if (daemonSets.length === 0 && pods.length === 0) return undefined;
  const problems: string[] = [];
  for (const d of daemonSets) {
    const want = d.status?.desiredNumberScheduled;
    const ready = d.status?.numberReady;
    if (want !== undefined && ready !== undefined && ready < want) problems.push(`DaemonSet ${d.metadata.name}: ${ready} of ${want} pods ready`);
  }
  for (const p of pods)
    if (!isReady(p)) problems.push(`${p.metadata.name}${p.spec?.nodeName ? ` on ${p.spec.nodeName}` : ""}: ${notRunningReason(p) ?? "not Ready"}`);
  return { name, daemonSets, pods, problems };
}

/** The kube-proxy agent, when the snapshot has one. */
export function kubeProxy(idx: IndexedSnapshot): Agent | undefined {
  return agent(idx, "kube-proxy", (n) => n === "kube-proxy" || n.startsWith("kube-proxy-"));
}

/** kube-proxy mode from its ConfigMap ("iptables" by default, "ipvs", "nftables"). */
export function kubeProxyMode(idx: IndexedSnapshot): string | undefined {
  const cm = idx.configMaps.get("kube-system/kube-proxy");
  if (!cm) return undefined;
  const conf = Object.values(cm.data ?? {}).join("\n");
  const m = conf.match(/^\s*mode:\s*"?([a-z]*)"?/m);
  return m?.[1] || "iptables";
}

/** Every CNI agent the snapshot shows. */
export function cniAgents(idx: IndexedSnapshot): Agent[] {
  return CniNames.map((cni) => agent(idx, cni, (n) => n === cni || n.startsWith(`${cni}-`))).filter((a): a is Agent => a !== undefined);
}
