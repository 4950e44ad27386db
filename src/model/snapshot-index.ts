/**
 * Lookup maps over a Snapshot (by namespace, by name) and the NetworkPolicy index, built
 * once per snapshot object (memoized), so analysis stays fast on big clusters.
 *
 * @module
 */
import { buildPolicyIndex, type PolicyIndex } from "./policy-index.ts";
import type { ConfigMap, DaemonSet, Deployment, EndpointSlice, LabelMap, Namespace, Node, Pod, Service, Snapshot } from "./snapshot.ts";

export interface IndexedSnapshot {
  snapshot: Snapshot;
  namespaces: Map<string, Namespace>;
  /** key "namespace/name". */
  services: Map<string, Service>;
  /** Service name -> Services of that name in every namespace. */
  servicesByName: Map<string, Service[]>;
  podsByNamespace: Map<string, Pod[]>;
  /** key "namespace/name". */
  pods: Map<string, Pod>;
  /** key "namespace/service-name" (label kubernetes.io/service-name). */
  slicesByService: Map<string, EndpointSlice[]>;
  nodes: Map<string, Node>;
  /** key "namespace/name". */
  configMaps: Map<string, ConfigMap>;
  daemonSets: DaemonSet[];
  /** key "namespace/name". */
  deployments: Map<string, Deployment>;
  policies: PolicyIndex;
  /** Whether the snapshot includes kube-system objects at all (else nothing is known about them). */
  knowsKubeSystem: boolean;
}

/** "namespace/name". */
export function key(namespace: string | undefined, name: string): string {
  return `${namespace ?? "default"}/${name}`;
}

function push<T>(map: Map<string, T[]>, k: string, v: T): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

function byKey<T extends { metadata: { name: string; namespace?: string } }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((o) => [key(o.metadata.namespace, o.metadata.name), o]));
}

const memo = new WeakMap<Snapshot, IndexedSnapshot>();

/**
 * Indexes a snapshot. Calling it again with the same snapshot object returns the same
 * index (the reconcile may share one snapshot across diagnoses).
 */
export function indexSnapshot(s: Snapshot): IndexedSnapshot {
  const cached = memo.get(s);
  if (cached) return cached;
  const namespaces = new Map((s.namespaces ?? []).map((n) => [n.metadata.name, n]));
  const servicesByName = new Map<string, Service[]>();
  for (const svc of s.services ?? []) push(servicesByName, svc.metadata.name, svc);
  const podsByNamespace = new Map<string, Pod[]>();
  for (const p of s.pods ?? []) push(podsByNamespace, p.metadata.namespace ?? "default", p);
  const slicesByService = new Map<string, EndpointSlice[]>();
  for (const es of s.endpointSlices ?? []) {
    const svc = es.metadata.labels?.["kubernetes.io/service-name"];
    if (svc) push(slicesByService, key(es.metadata.namespace, svc), es);
  }
  const nsLabels = new Map<string, LabelMap>([...namespaces].map(([n, o]) => [n, o.metadata.labels ?? {}]));
  const idx: IndexedSnapshot = {
    snapshot: s,
    namespaces,
    services: byKey(s.services ?? []),
    servicesByName,
    podsByNamespace,
    pods: byKey(s.pods ?? []),
    slicesByService,
    nodes: new Map((s.nodes ?? []).map((n) => [n.metadata.name, n])),
    configMaps: byKey(s.configMaps ?? []),
    daemonSets: s.daemonSets ?? [],
    deployments: byKey(s.deployments ?? []),
    policies: buildPolicyIndex(s.networkPolicies ?? [], nsLabels),
    knowsKubeSystem: namespaces.has("kube-system") || (podsByNamespace.get("kube-system")?.length ?? 0) > 0,
  };
  memo.set(s, idx);
  return idx;
}
