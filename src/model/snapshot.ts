/**
 * The cluster snapshot the analyzers read: plain Kubernetes objects in their JSON wire
 * format (as in YAML manifests or API responses). Only the fields the analyzers read are
 * declared; everything else passes through untouched. The reconcile gathers a live
 * snapshot; `netdiag analyze` builds one from manifests (see `offline/`).
 *
 * `indexSnapshot` (re-exported here) builds the lookup maps that keep analysis fast on
 * big clusters.
 *
 * @module
 */

import type { LabelMap, LabelSelector, ObjectMeta } from "../api/meta.ts";

export type { LabelMap, LabelSelector, LabelSelectorRequirement, ObjectMeta } from "../api/meta.ts";

export interface Namespace {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  status?: { phase?: string };
}

export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  targetPort?: number | string;
  appProtocol?: string;
}

export interface Service {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    type?: string;
    selector?: LabelMap;
    ports?: ServicePort[];
    clusterIP?: string;
    clusterIPs?: string[];
    externalName?: string;
    /** type LoadBalancer: which load-balancer controller is asked (absent: the cloud provider's). */
    loadBalancerClass?: string;
  };
  /** Present on every Service the API server returns; absent in a manifest from git. */
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] | null } };
}

export interface Endpoint {
  addresses: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  targetRef?: { kind?: string; name?: string; namespace?: string };
  nodeName?: string;
}

/** discovery.k8s.io/v1 EndpointSlice; `kubernetes.io/service-name` names its Service. */
export interface EndpointSlice {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  addressType?: string;
  endpoints?: Endpoint[] | null;
  ports?: { name?: string; port?: number; protocol?: string; appProtocol?: string }[] | null;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

/** A container probe (readiness, liveness). */
export interface ContainerProbe {
  tcpSocket?: { port: number | string; host?: string };
  httpGet?: { path?: string; port: number | string; scheme?: string; host?: string };
  grpc?: { port: number };
  exec?: { command?: string[] };
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface Container {
  name: string;
  image?: string;
  args?: string[];
  command?: string[];
  ports?: ContainerPort[];
  readinessProbe?: ContainerProbe;
}

export interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: Record<string, unknown>;
    terminated?: { reason?: string; exitCode?: number; message?: string };
  };
  lastState?: { terminated?: { reason?: string; exitCode?: number; message?: string } };
}

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** A pod's DNS settings (what a probe standing in for it copies). */
export interface PodDns {
  dnsPolicy?: string;
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] };
  hostAliases?: { ip: string; hostnames?: string[] }[];
}

export interface PodSpec extends PodDns {
  containers: Container[];
  nodeName?: string;
  hostNetwork?: boolean;
  /** Names only (the cache keeps no more). */
  ephemeralContainers?: { name: string }[];
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: PodSpec;
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    hostIP?: string;
    conditions?: PodCondition[];
    containerStatuses?: ContainerStatus[];
  };
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector | null;
  namespaceSelector?: LabelSelector | null;
  ipBlock?: { cidr: string; except?: string[] } | null;
}

export interface NetworkPolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

export interface NetworkPolicy {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    podSelector?: LabelSelector | null;
    policyTypes?: string[];
    ingress?: { from?: NetworkPolicyPeer[] | null; ports?: NetworkPolicyPort[] | null }[] | null;
    egress?: { to?: NetworkPolicyPeer[] | null; ports?: NetworkPolicyPort[] | null }[] | null;
  };
}

export interface Node {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { unschedulable?: boolean; podCIDR?: string };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export interface ConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  data?: Record<string, string>;
}

export interface PodTemplate {
  metadata?: { labels?: LabelMap; annotations?: Record<string, string> };
  spec?: PodSpec;
}

export interface DaemonSet {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { selector?: LabelSelector; template?: PodTemplate };
  status?: { desiredNumberScheduled?: number; numberReady?: number; numberUnavailable?: number };
}

export interface Deployment {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { replicas?: number; selector?: LabelSelector; template?: PodTemplate };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

/**
 * Everything the analyzers may look at. Arrays may be empty or absent: an absent kind is
 * "not known", never "broken" (offline analysis has no nodes, no kube-proxy, no CNI).
 * configMaps, daemonSets and deployments need only cover kube-system.
 */
export interface Snapshot {
  namespaces?: Namespace[];
  services?: Service[];
  endpointSlices?: EndpointSlice[];
  pods?: Pod[];
  networkPolicies?: NetworkPolicy[];
  nodes?: Node[];
  configMaps?: ConfigMap[];
  daemonSets?: DaemonSet[];
  deployments?: Deployment[];
}
