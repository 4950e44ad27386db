/**
 * NetworkPolicies pre-parsed for fast flow verdicts: selectors compiled, CIDRs parsed,
 * policyTypes defaulted, grouped by namespace.
 *
 * Defaulting follows the API server: without `policyTypes`, a policy is an Ingress
 * policy, and also an Egress policy when it has at least one egress rule. A rule without
 * peers (`from`/`to` absent or empty) admits every peer; without `ports`, every port.
 *
 * @module
 */
import type { LabelMap, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from "./snapshot.ts";
import { type Cidr, parseCidr } from "./ip.ts";
import { compileSelector, type Matcher } from "./selector.ts";

export interface CompiledPeer {
  /** Pod selector; absent with a namespace selector = every pod of those namespaces. */
  pods?: Matcher;
  /** Namespace selector; absent = the policy's own namespace. */
  namespaces?: Matcher;
  ipBlock?: { cidr: Cidr | undefined; except: Cidr[]; text: string };
}

export interface CompiledPort {
  protocol: string;
  port?: number | string;
  endPort?: number;
}

export interface CompiledRule {
  /** 1-based rule number as users count them in YAML. */
  number: number;
  /** undefined = every peer. */
  peers?: CompiledPeer[];
  /** undefined = every port. */
  ports?: CompiledPort[];
}

export interface CompiledPolicy {
  name: string;
  namespace: string;
  podSelector: Matcher;
  /** Present when the policy isolates the pods it selects for ingress. */
  ingress?: CompiledRule[];
  /** Present when the policy isolates the pods it selects for egress. */
  egress?: CompiledRule[];
}

export interface PolicyIndex {
  byNamespace: Map<string, CompiledPolicy[]>;
  /** LabelMap of each known namespace (kubernetes.io/metadata.name always set). */
  namespaceLabels(namespace: string): LabelMap;
}

function compilePeer(p: NetworkPolicyPeer): CompiledPeer {
  const peer: CompiledPeer = {};
  if (p.podSelector) peer.pods = compileSelector(p.podSelector);
  if (p.namespaceSelector) peer.namespaces = compileSelector(p.namespaceSelector);
  if (p.ipBlock) {
    const except = (p.ipBlock.except ?? []).map(parseCidr).filter((c): c is Cidr => c !== undefined);
    peer.ipBlock = { cidr: parseCidr(p.ipBlock.cidr), except, text: p.ipBlock.cidr };
  }
  return peer;
}

function compilePort(p: NetworkPolicyPort): CompiledPort {
  const port: CompiledPort = { protocol: (p.protocol ?? "TCP").toUpperCase() };
  if (p.port !== undefined && p.port !== null) port.port = p.port;
  if (p.endPort !== undefined && p.endPort !== null) port.endPort = p.endPort;
  return port;
}

function compileRules(rules: readonly { peers?: NetworkPolicyPeer[] | null; ports?: NetworkPolicyPort[] | null }[]): CompiledRule[] {
  return rules.map((r, i) => {
    const rule: CompiledRule = { number: i + 1 };
    if (r.peers && r.peers.length > 0) rule.peers = r.peers.map(compilePeer);
    if (r.ports && r.ports.length > 0) rule.ports = r.ports.map(compilePort);
    return rule;
  });
}

/** Compiles one policy (policyTypes defaulted). */
export function compilePolicy(np: NetworkPolicy): CompiledPolicy {
  const spec = np.spec ?? {};
  const egressRules = spec.egress ?? [];
  const types = spec.policyTypes && spec.policyTypes.length > 0 ? spec.policyTypes : egressRules.length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
  const compiled: CompiledPolicy = {
    name: np.metadata.name,
    namespace: np.metadata.namespace ?? "default",
    podSelector: compileSelector(spec.podSelector ?? {}),
  };
  if (types.includes("Ingress")) compiled.ingress = compileRules((spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })));
  if (types.includes("Egress")) compiled.egress = compileRules(egressRules.map((r) => ({ peers: r.to, ports: r.ports })));
  return compiled;
}

/**
 * Builds the index. `namespaceLabels` maps a namespace to its labels; the
 * `kubernetes.io/metadata.name` label is always added, as the API server does.
 */
export function buildPolicyIndex(policies: readonly NetworkPolicy[], namespaceLabels: ReadonlyMap<string, LabelMap>): PolicyIndex {
  const byNamespace = new Map<string, CompiledPolicy[]>();
  for (const np of policies) {
    const c = compilePolicy(np);
    const list = byNamespace.get(c.namespace);
    if (list) list.push(c);
    else byNamespace.set(c.namespace, [c]);
  }
  const cache = new Map<string, LabelMap>();
  return {
    byNamespace,
    namespaceLabels(ns) {
      let l = cache.get(ns);
      if (!l) {
        l = { ...namespaceLabels.get(ns), "kubernetes.io/metadata.name": ns };
        cache.set(ns, l);
      }
      return l;
    },
  };
}
