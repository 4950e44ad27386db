/**
 * The operator's view of the cluster: one informer per kind the analyzers read, plus the
 * NetworkDiagnosis objects. Gather reads these caches — no list calls per reconcile.
 * Transforms strip what is never read (managedFields, last-applied annotations, volumes,
 * env, resources…) so memory stays bounded on large clusters.
 *
 * @module
 */
import type { Snapshot } from "../model/snapshot.ts";
import { Group, Plural, Version } from "../api/group.ts";
import { Informer } from "../k8s/informer.ts";
import type { Obj, Rest } from "../k8s/rest.ts";
import { stripObject, stripPod, stripKubeSystemConfigMap } from "./strip.ts";

export type InformerName =
  "diagnoses" | "pods" | "services" | "endpointSlices" | "namespaces" | "networkPolicies" | "nodes" | "configMaps" | "daemonSets" | "deployments";

const SOURCES: Record<InformerName, { path: string; transform: (o: Obj) => Obj }> = {
  diagnoses: { path: `/apis/${Group}/${Version}/${Plural}`, transform: stripObject },
  pods: { path: "/api/v1/pods", transform: stripPod },
  services: { path: "/api/v1/services", transform: stripObject },
  endpointSlices: { path: "/apis/discovery.k8s.io/v1/endpointslices", transform: stripObject },
  namespaces: { path: "/api/v1/namespaces", transform: stripObject },
  networkPolicies: { path: "/apis/networking.k8s.io/v1/networkpolicies", transform: stripObject },
  nodes: { path: "/api/v1/nodes", transform: stripObject },
  configMaps: { path: "/api/v1/namespaces/kube-system/configmaps", transform: stripKubeSystemConfigMap },
  daemonSets: { path: "/apis/apps/v1/namespaces/kube-system/daemonsets", transform: stripObject },
  deployments: { path: "/apis/apps/v1/namespaces/kube-system/deployments", transform: stripObject },
};

export class ClusterCache {
  readonly informers: Record<InformerName, Informer<Obj>>;
  /** The last snapshot, reused until an informer reports a change (it is read-only). */
  private cached: Snapshot | undefined;

  constructor(rest: Rest, hooks: { onRestart?: (name: InformerName, reason: string) => void; log?: (msg: string, err?: unknown) => void } = {}) {
    const make = (name: InformerName) =>
      new Informer<Obj>(rest, {
        path: SOURCES[name].path,
        transform: SOURCES[name].transform,
        onRestart: (r) => hooks.onRestart?.(name, r),
        ...(hooks.log ? { log: hooks.log } : {}),
      });
    this.informers = Object.fromEntries((Object.keys(SOURCES) as InformerName[]).map((n) => [n, make(n)])) as Record<InformerName, Informer<Obj>>;
    for (const i of Object.values(this.informers)) i.on(() => (this.cached = undefined));
  }

  start(): void {
    for (const i of Object.values(this.informers)) i.start();
  }
  stop(): void {
    for (const i of Object.values(this.informers)) i.stop();
  }
  async synced(): Promise<void> {
    await Promise.all(Object.values(this.informers).map((i) => i.waitForSync()));
  }

  /**
   * A snapshot for the analyzers, read from the caches. The same object is returned until
   * something changes, so its index (built by the analyzers, cached per snapshot) is
   * built once per change, not once per reconcile.
   */
  snapshot(): Snapshot {
    if (this.cached) return this.cached;
    const l = (n: InformerName) => this.informers[n].list() as never[];
    this.cached = {
      namespaces: l("namespaces"),
      services: l("services"),
      endpointSlices: l("endpointSlices"),
      pods: l("pods"),
      networkPolicies: l("networkPolicies"),
      nodes: l("nodes"),
      configMaps: l("configMaps"),
      daemonSets: l("daemonSets"),
      deployments: l("deployments"),
    };
    return this.cached;
  }
}
