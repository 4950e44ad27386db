/**
 * The flows a target's traffic takes, judged statically by NetworkPolicy: source ->
 * each backend pod on the container port the Service's targetPort lands on (policies
 * see pod IPs after the ClusterIP DNAT), or source -> the external address. Without
 * backend pods, the flow goes to an assumed pod carrying the Service's selector labels,
 * so a deny is still visible while the selector is broken.
 *
 * A flow from the source pod to itself (the source is a backend of the Service it asks
 * for) is allowed whatever the policies say: upstream documents that a pod cannot block
 * access to itself (ADR 0015). Its `self` keeps what policy alone would say — the verdict
 * any *other* pod with the same labels gets, e.g. a second replica or a probe pod.
 *
 * @module
 */
import { evaluateFlow, type FlowPeer, type FlowVerdict, type SideVerdict } from "../policy/flow.ts";
import { labelsText } from "../model/selector.ts";
import type { Observation, PathFlow } from "./context.ts";
import { containerPortFor, targetPortOf } from "../model/ports.ts";
import type { ResolvedTarget } from "../model/resolve.ts";
import type { IndexedSnapshot } from "../model/snapshot-index.ts";
import type { Pod, Service, ServicePort } from "../model/snapshot.ts";

const MAX_BACKENDS = 50;

/** The pod as a policy peer. */
export function podPeer(pod: Pod): FlowPeer {
  const ns = pod.metadata.namespace ?? "default";
  const peer: FlowPeer = {
    name: `${ns}/${pod.metadata.name}`,
    namespace: ns,
    labels: pod.metadata.labels ?? {},
    ports: (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []),
  };
  if (pod.status?.podIP) peer.ip = pod.status.podIP;
  return peer;
}

/**
 * The verdict of the source pod reaching itself: allowed, saying why, and what policy
 * would say to another pod with its labels.
 * @example selfVerdict(peer, denied).text // "shop/api-0 is the source pod itself: ..."
 */
export function selfVerdict(peer: FlowPeer, policy: FlowVerdict): FlowVerdict {
  const text = `${peer.name} is the source pod itself: NetworkPolicy does not apply to a pod's traffic to itself (upstream: a pod cannot block access to itself)${policy.allowed ? "" : `; another pod with its labels would be denied: ${policy.text}`}`;
  const side = (v: SideVerdict): SideVerdict => ({ ...v, allowed: true, undecided: false, reasons: [], text });
  return { allowed: true, egress: side(policy.egress), ingress: side(policy.ingress), text };
}

function externalIp(resolved: ResolvedTarget, observations: readonly Observation[]): string | undefined {
  if (resolved.host && resolved.dnsName === undefined) return resolved.host;
  for (const o of observations) if (o.check.check === "dns" && o.check.detail.addresses?.[0]) return o.check.detail.addresses[0];
  return undefined;
}

export interface PathInput {
  idx: IndexedSnapshot;
  resolved: ResolvedTarget;
  service?: Service | undefined;
  servicePort?: ServicePort | undefined;
  backends: readonly Pod[];
  source: FlowPeer;
  observations: readonly Observation[];
}

/** Every flow of the target's path with its verdict. */
export function pathFlows(i: PathInput): PathFlow[] {
  const judge = (peer: FlowPeer, protocol: string, port: number, assumed: boolean): PathFlow => ({
    peer,
    protocol,
    port,
    assumed,
    verdict: evaluateFlow(i.idx.policies, { from: i.source, to: peer, protocol, port }),
  });
  if (!i.service) {
    if (i.resolved.service || i.resolved.port === undefined) return [];
    const ip = externalIp(i.resolved, i.observations);
    const peer: FlowPeer = { name: i.resolved.host ?? "?" };
    if (ip) peer.ip = ip;
    return [judge(peer, "TCP", i.resolved.port, false)];
  }
  const sp = i.servicePort;
  const selector = i.service.spec?.selector;
  if (!sp || !selector || Object.keys(selector).length === 0) return [];
  const protocol = (sp.protocol ?? "TCP").toUpperCase();
  const tp = targetPortOf(sp);
  const ns = i.service.metadata.namespace ?? "default";
  if (i.backends.length === 0) {
    const port = typeof tp === "number" ? tp : /^\d+$/.test(tp) ? Number(tp) : undefined;
    if (port === undefined) return [];
    return [judge({ name: `${ns} pods ${labelsText(selector)}`, namespace: ns, labels: selector }, protocol, port, true)];
  }
  const flows: PathFlow[] = [];
  for (const pod of i.backends.slice(0, MAX_BACKENDS)) {
    const port = containerPortFor(pod, tp, protocol);
    if (port === undefined) continue;
    const flow = judge(podPeer(pod), protocol, port, false);
    // the source peer of a live pod is named "<ns>/<pod>" like podPeer (source.ts); a probe
    // pod without one never matches ("<ns>/probe (labels)")
    if (flow.peer.name === i.source.name) flows.push({ ...flow, verdict: selfVerdict(flow.peer, flow.verdict), self: { policy: flow.verdict } });
    else flows.push(flow);
  }
  return flows;
}
