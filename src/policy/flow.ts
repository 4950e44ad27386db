/**
 * The verdict of NetworkPolicy on one flow (source -> destination, protocol/port),
 * with full networking.k8s.io/v1 semantics: a pod is isolated in a direction only when
 * some policy selecting it has that policy type; then a connection needs an allowing
 * egress rule at the source AND an allowing ingress rule at the destination.
 *
 * Denials come with the reasons in words, rule by rule, e.g. "no egress rule of policy
 * web-egress (shop) allows UDP/53 to kube-system/coredns-0".
 *
 * @module
 */
import type { ContainerPort, LabelMap } from "../model/snapshot.ts";
import { cidrContains } from "../model/ip.ts";
import type { CompiledPeer, CompiledPolicy, CompiledPort, CompiledRule, PolicyIndex } from "../model/policy-index.ts";
import { labelsText } from "../model/selector.ts";

/** One end of a flow: a pod (namespace set) or a bare address. */
export interface FlowPeer {
  /** Display name, e.g. "shop/web-0" or "203.0.113.7". */
  name: string;
  /** The pod's namespace; absent for an address outside the cluster. */
  namespace?: string;
  labels?: LabelMap;
  ip?: string;
  /** Container ports, to resolve named ports at the destination. */
  ports?: readonly ContainerPort[];
}

export interface FlowQuery {
  from: FlowPeer;
  to: FlowPeer;
  protocol: string;
  port: number;
}

export interface RuleRef {
  policy: string;
  namespace: string;
  rule: number;
}

export interface SideVerdict {
  direction: "egress" | "ingress";
  /** Some policy selects the pod for this direction. */
  isolated: boolean;
  allowed: boolean;
  /** The policies that isolate the pod in this direction. */
  policies: { name: string; namespace: string }[];
  /** The first rule that admitted the flow. */
  allowedBy?: RuleRef;
  /** An ipBlock rule could not be judged because the address is unknown. */
  undecided: boolean;
  /** Why no rule matched (only when denied). */
  reasons: string[];
  /** One sentence: what decided this side. */
  text: string;
}

export interface FlowVerdict {
  allowed: boolean;
  egress: SideVerdict;
  ingress: SideVerdict;
  /** One or two sentences that say what decided the verdict. */
  text: string;
}

type Match = true | false | "unknown";

function portText(p: CompiledPort): string {
  if (p.port === undefined) return `${p.protocol}/any`;
  if (p.endPort !== undefined) return `${p.protocol}/${p.port}-${p.endPort}`;
  return `${p.protocol}/${p.port}`;
}

function portsMatch(ports: readonly CompiledPort[] | undefined, q: FlowQuery): boolean {
  if (!ports) return true;
  return ports.some((p) => {
    if (p.protocol !== q.protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === "number") return p.endPort !== undefined ? q.port >= p.port && q.port <= p.endPort : q.port === p.port;
    return (q.to.ports ?? []).some((c) => c.name === p.port && c.containerPort === q.port && (c.protocol ?? "TCP").toUpperCase() === q.protocol);
  });
}

function peerMatch(peer: CompiledPeer, policyNs: string, other: FlowPeer, index: PolicyIndex, why?: string[]): Match {
  if (peer.ipBlock) {
    if (!other.ip) return "unknown";
    const b = peer.ipBlock;
    const inside = b.cidr !== undefined && cidrContains(b.cidr, other.ip) && !b.except.some((e) => cidrContains(e, other.ip ?? ""));
    if (!inside) why?.push(`${other.ip} is not in ipBlock ${b.text}${b.except.length ? ` except ${b.except.map((e) => e.text).join(",")}` : ""}`);
    return inside;
  }
  if (other.namespace === undefined) {
    why?.push(`${other.name} is not a pod, and the peer selects pods`);
    return false;
  }
  if (peer.namespaces) {
    const nsLabels = index.namespaceLabels(other.namespace);
    if (!peer.namespaces.matches(nsLabels)) {
      why?.push(`namespaceSelector ${peer.namespaces.text} does not match namespace ${other.namespace} (${labelsText(nsLabels)})`);
      return false;
    }
  } else if (other.namespace !== policyNs) {
    why?.push(`the peer selects pods in ${policyNs} only, ${other.name} is in ${other.namespace}`);
    return false;
  }
  if (peer.pods && !peer.pods.matches(other.labels)) {
    why?.push(`podSelector ${peer.pods.text} does not match ${other.name} (${labelsText(other.labels) || "no labels"})`);
    return false;
  }
  return true;
}

function ruleMatch(rule: CompiledRule, policy: CompiledPolicy, other: FlowPeer, q: FlowQuery, index: PolicyIndex, why?: string[]): Match {
  const parts: string[] | undefined = why ? [] : undefined;
  let peerOk: Match = true;
  if (rule.peers) {
    peerOk = false;
    for (const peer of rule.peers) {
      const m = peerMatch(peer, policy.namespace, other, index, parts);
      if (m === true) {
        peerOk = true;
        break;
      }
      if (m === "unknown") peerOk = "unknown";
    }
  }
  const portOk = portsMatch(rule.ports, q);
  if (!portOk) parts?.push(`allows only ${(rule.ports ?? []).map(portText).join(", ")}, not ${q.protocol}/${q.port}`);
  if (why && parts && (peerOk !== true || !portOk)) why.push(`rule ${rule.number}: ${parts.join("; ") || "address unknown"}`);
  if (!portOk || peerOk === false) return false;
  return peerOk;
}

function judgeSide(direction: "egress" | "ingress", q: FlowQuery, index: PolicyIndex, explain: boolean): SideVerdict {
  const self = direction === "egress" ? q.from : q.to;
  const other = direction === "egress" ? q.to : q.from;
  const verdict: SideVerdict = { direction, isolated: false, allowed: true, policies: [], undecided: false, reasons: [], text: "" };
  if (self.namespace === undefined) {
    verdict.text = `${self.name} is outside the cluster; no ${direction} policy applies`;
    return verdict;
  }
  for (const policy of index.byNamespace.get(self.namespace) ?? []) {
    const rules = direction === "egress" ? policy.egress : policy.ingress;
    if (!rules || !policy.podSelector.matches(self.labels)) continue;
    verdict.isolated = true;
    verdict.policies.push({ name: policy.name, namespace: policy.namespace });
    if (verdict.allowedBy) continue;
    const why: string[] | undefined = explain ? [] : undefined;
    if (rules.length === 0) why?.push(`it has no ${direction} rules`);
    for (const rule of rules) {
      const m = ruleMatch(rule, policy, other, q, index, why);
      if (m === true) {
        verdict.allowedBy = { policy: policy.name, namespace: policy.namespace, rule: rule.number };
        break;
      }
      if (m === "unknown") verdict.undecided = true;
    }
    if (why && !verdict.allowedBy) verdict.reasons.push(`policy ${policy.name} (${policy.namespace}): ${why.join("; ")}`);
  }
  verdict.allowed = !verdict.isolated || verdict.allowedBy !== undefined;
  verdict.text = sideText(verdict, self, other, q);
  return verdict;
}

function sideText(v: SideVerdict, self: FlowPeer, other: FlowPeer, q: FlowQuery): string {
  const what = `${q.protocol}/${q.port}`;
  if (!v.isolated) return `no NetworkPolicy isolates ${self.name} (${labelsText(self.labels) || "no labels"}) for ${v.direction}`;
  if (v.allowedBy)
    return `${v.direction} rule ${v.allowedBy.rule} of policy ${v.allowedBy.policy} (${v.allowedBy.namespace}) allows ${what} ${v.direction === "egress" ? "to" : "from"} ${other.name}`;
  const names = v.policies.map((p) => `${p.name} (${p.namespace})`).join(", ");
  const plural = v.policies.length > 1 ? "policies" : "policy";
  return v.direction === "egress"
    ? `no egress rule of ${plural} ${names} allows ${what} to ${other.name}`
    : `no ingress rule of ${plural} ${names} admits ${what} from ${other.name}`;
}

/**
 * Judges one flow. Reasons are worked out only for denied sides, so the common
 * "allowed" case stays cheap.
 * @example evaluateFlow(index, { from: web, to: coredns, protocol: "UDP", port: 53 }).allowed
 */
export function evaluateFlow(index: PolicyIndex, q: FlowQuery): FlowVerdict {
  let egress = judgeSide("egress", q, index, false);
  if (!egress.allowed) egress = judgeSide("egress", q, index, true);
  let ingress = judgeSide("ingress", q, index, false);
  if (!ingress.allowed) ingress = judgeSide("ingress", q, index, true);
  const allowed = egress.allowed && ingress.allowed;
  const failing = [egress, ingress].filter((s) => !s.allowed);
  const text = allowed
    ? `${egress.text}; ${ingress.text}`
    : failing.map((s) => `${s.text}${s.reasons.length ? ` (${s.reasons.join("; ")})` : ""}`).join("; and ");
  return { allowed, egress, ingress, text };
}
