/**
 * Cache transforms: keep what the analyzers read, drop the rest. A pod keeps its labels,
 * owner references, phase/conditions/container states, IPs, node, its DNS settings
 * (dnsPolicy unless ClusterFirst, dnsConfig, hostAliases: a probe standing in for it copies
 * them), the names of its ephemeral containers and their states, and per container its
 * name, image, args, ports and readiness probe.
 *
 * @module
 */
import type { Obj } from "../k8s/rest.ts";

type Meta = Record<string, unknown> & { annotations?: Record<string, string> };

function stripMeta(m: Meta | undefined): Meta | undefined {
  if (!m) return m;
  const { managedFields: _m, annotations, ...rest } = m;
  if (!annotations) return rest;
  const kept = Object.fromEntries(Object.entries(annotations).filter(([k]) => k !== "kubectl.kubernetes.io/last-applied-configuration"));
  return Object.keys(kept).length ? { ...rest, annotations: kept } : rest;
}

export function stripObject(o: Obj): Obj {
  return { ...o, metadata: stripMeta(o.metadata as Meta) as Obj["metadata"] };
}

interface PodLike {
  spec?: { containers?: Record<string, unknown>[]; nodeName?: string; hostNetwork?: boolean; [k: string]: unknown };
  status?: Record<string, unknown>;
}

export function stripPod(o: Obj): Obj {
  const p = o as Obj & PodLike;
  const containers = (p.spec?.containers ?? []).map((c) => ({
    name: c.name,
    image: c.image,
    ...(c.args ? { args: c.args } : {}),
    ...(c.command ? { command: c.command } : {}),
    ...(c.ports ? { ports: c.ports } : {}),
    ...(c.readinessProbe ? { readinessProbe: c.readinessProbe } : {}),
  }));
  const s = p.status ?? {};
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: stripMeta(o.metadata as Meta) as Obj["metadata"],
    spec: {
      containers,
      ...(p.spec?.nodeName ? { nodeName: p.spec.nodeName } : {}),
      ...(p.spec?.hostNetwork ? { hostNetwork: true } : {}),
      ...(p.spec?.dnsPolicy && p.spec.dnsPolicy !== "ClusterFirst" ? { dnsPolicy: p.spec.dnsPolicy } : {}),
      ...(p.spec?.dnsConfig ? { dnsConfig: p.spec.dnsConfig } : {}),
      ...(p.spec?.hostAliases ? { hostAliases: p.spec.hostAliases } : {}),
      ...(Array.isArray(p.spec?.ephemeralContainers)
        ? { ephemeralContainers: (p.spec.ephemeralContainers as { name?: unknown }[]).map((c) => ({ name: c.name })) }
        : {}),
    },
    status: {
      phase: s.phase,
      reason: s.reason,
      message: s.message,
      podIP: s.podIP,
      podIPs: s.podIPs,
      hostIP: s.hostIP,
      conditions: s.conditions,
      containerStatuses: s.containerStatuses,
      ...(s.ephemeralContainerStatuses ? { ephemeralContainerStatuses: s.ephemeralContainerStatuses } : {}),
    },
  };
}

const KEPT_CONFIGMAPS = new Set(["coredns", "kube-proxy"]);

export function stripKubeSystemConfigMap(o: Obj): Obj {
  const base = stripObject(o);
  return KEPT_CONFIGMAPS.has(String(o.metadata?.name)) ? base : { ...base, data: {} };
}
