/**
 * An offline Snapshot from manifest objects (any order, any kinds): objects are sorted
 * into the snapshot by kind; pods are synthesised from workloads; Services get stable
 * fake ClusterIPs and EndpointSlices from their selectors; namespaces, kube-system, the
 * kube-dns Service and a CoreDNS pod are assumed when the manifests do not have them.
 * Objects of other kinds are ignored.
 *
 * @module
 */
import type { ConfigMap, DaemonSet, Deployment, EndpointSlice, Namespace, NetworkPolicy, Node, Pod, Service, Snapshot } from "../../model/snapshot.ts";
import { coreDnsPod, kubeDnsService, withNamespaces } from "./cluster-defaults.ts";
import { sliceFor, withClusterIP } from "./synth-slices.ts";
import { podsOf, withAssumedStatus, type Workload, WorkloadKinds } from "./workload-pods.ts";

/** Any Kubernetes object as parsed from YAML/JSON. */
export interface ManifestObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

function named(o: ManifestObject): o is ManifestObject & { kind: string; metadata: { name: string } } {
  return typeof o.kind === "string" && typeof o.metadata?.name === "string";
}

/**
 * Builds the snapshot. `extraNamespaces` (e.g. the diagnosis' namespace) are assumed to
 * exist as well.
 */
export function snapshotFromObjects(objects: readonly ManifestObject[], extraNamespaces: readonly string[] = []): Snapshot {
  const namespaces: Namespace[] = [];
  const services: Service[] = [];
  const slices: EndpointSlice[] = [];
  const pods: Pod[] = [];
  const networkPolicies: NetworkPolicy[] = [];
  const nodes: Node[] = [];
  const configMaps: ConfigMap[] = [];
  const daemonSets: DaemonSet[] = [];
  const deployments: Deployment[] = [];
  const referenced = new Set(extraNamespaces);
  const withNs = <T extends ManifestObject>(o: T): T =>
    o.kind === "Namespace" || o.kind === "Node" ? o : ({ ...o, metadata: { ...o.metadata, namespace: o.metadata?.namespace ?? "default" } } as T);
  for (const raw of objects) {
    if (!named(raw)) continue;
    const o = withNs(raw);
    if (o.metadata?.namespace) referenced.add(o.metadata.namespace);
    switch (o.kind) {
      case "Namespace":
        namespaces.push(o as unknown as Namespace);
        break;
      case "Service":
        services.push(withClusterIP(o as unknown as Service));
        break;
      case "EndpointSlice":
        slices.push(o as unknown as EndpointSlice);
        break;
      case "Pod":
        pods.push(withAssumedStatus(o as unknown as Pod));
        break;
      case "NetworkPolicy":
        networkPolicies.push(o as unknown as NetworkPolicy);
        break;
      case "Node":
        nodes.push(o as unknown as Node);
        break;
      case "ConfigMap":
        configMaps.push(o as unknown as ConfigMap);
        break;
      default:
        if (!(WorkloadKinds as readonly string[]).includes(o.kind)) break;
        pods.push(...podsOf(o as unknown as Workload));
        if (o.kind === "DaemonSet") daemonSets.push(o as unknown as DaemonSet);
        if (o.kind === "Deployment") deployments.push(o as unknown as Deployment);
    }
  }
  const kubeSystem = (p: { metadata: { namespace?: string; name: string; labels?: Record<string, string> } }) => p.metadata.namespace === "kube-system";
  if (!services.some((s) => kubeSystem(s) && s.metadata.name === "kube-dns")) services.push(kubeDnsService);
  const dnsPods = pods.some((p) => kubeSystem(p) && p.metadata.labels?.["k8s-app"] === "kube-dns");
  if (!dnsPods && !deployments.some((d) => kubeSystem(d) && d.metadata.name === "coredns")) pods.push(coreDnsPod);
  const podsByNs = new Map<string, Pod[]>();
  for (const p of pods) podsByNs.set(p.metadata.namespace ?? "default", [...(podsByNs.get(p.metadata.namespace ?? "default") ?? []), p]);
  const sliced = new Set(slices.map((s) => `${s.metadata.namespace}/${s.metadata.labels?.["kubernetes.io/service-name"]}`));
  for (const svc of services) {
    if (sliced.has(`${svc.metadata.namespace}/${svc.metadata.name}`)) continue;
    const s = sliceFor(svc, podsByNs.get(svc.metadata.namespace ?? "default") ?? []);
    if (s) slices.push(s);
  }
  return {
    namespaces: withNamespaces(namespaces, referenced),
    services,
    endpointSlices: slices,
    pods,
    networkPolicies,
    nodes,
    configMaps,
    daemonSets,
    deployments,
  };
}
