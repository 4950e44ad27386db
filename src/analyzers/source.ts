/**
 * Where the probe stands: the labels it takes (those of a live pod matching
 * `spec.source.podSelector`, minus controller hash labels) so NetworkPolicies treat it
 * like that pod; by default a probe pod labelled `netdiag.dev/probe: "true"`.
 *
 * @module
 */
import { Labels as OwnedLabels } from "../api/group.ts";
import type { Spec } from "../api/spec.ts";
import type { Finding } from "../api/status.ts";
import type { FlowPeer } from "../policy/flow.ts";
import { compileSelector, labelsText } from "../model/selector.ts";
import { finding } from "./finding.ts";
import { isReady } from "../model/pod-state.ts";
import { indexSnapshot } from "../model/snapshot-index.ts";
import type { LabelMap, Pod, Snapshot } from "../model/snapshot.ts";

/** LabelMap a controller stamps on pods; a probe must not copy them. */
export const ControllerLabels = ["pod-template-hash", "controller-revision-hash", "pod-template-generation"] as const;

export interface SourceLabels {
  /** The labels for the probe; undefined when no live pod matches the selector. */
  labels: LabelMap | undefined;
  /** The pod the labels were taken from. */
  pod?: Pod;
  /** SourcePodNotFound when the selector matches no live pod. */
  findings: Finding[];
}

function liveness(p: Pod): number {
  if (p.metadata.deletionTimestamp) return 0;
  if (isReady(p)) return 3;
  return p.status?.phase === "Running" ? 2 : 1;
}

/**
 * The labels the probe takes.
 * @example sourceLabels("shop", spec, snapshot).labels // { app: "frontend", tier: "web" }
 */
export function sourceLabels(namespace: string, spec: Pick<Spec, "source">, snapshot: Snapshot): SourceLabels {
  const named = spec.source?.pod?.name;
  if (named) {
    // probing from inside that very pod (ephemeral container): it is the source, labels and IP
    const pod = (indexSnapshot(snapshot).podsByNamespace.get(namespace) ?? []).find((p) => p.metadata.name === named && liveness(p) > 0);
    if (!pod)
      return {
        labels: undefined,
        findings: [
          finding("SourcePodNotFound", "Warning", {
            message: `Pod ${namespace}/${named} (spec.source.pod) does not exist or is not live: there is no pod to probe from`,
            remediation: `Name a running pod of namespace ${namespace} in spec.source.pod.name (kubectl get pods -n ${namespace})`,
            escalateTo: "User",
          }),
        ],
      };
    const labels: LabelMap = { ...pod.metadata.labels };
    for (const l of ControllerLabels) delete labels[l];
    return { labels, pod, findings: [] };
  }
  const selector = spec.source?.podSelector;
  if (!selector) return { labels: { [OwnedLabels.Probe]: "true" }, findings: [] };
  const m = compileSelector(selector);
  const pods = (indexSnapshot(snapshot).podsByNamespace.get(namespace) ?? []).filter((p) => m.matches(p.metadata.labels) && liveness(p) > 0);
  const best = pods.sort((a, b) => liveness(b) - liveness(a))[0];
  if (!best) {
    return {
      labels: undefined,
      findings: [
        finding("SourcePodNotFound", "Warning", {
          message: `No live pod in namespace ${namespace} matches the source selector ${m.text}; the probe cannot take its labels, so NetworkPolicies may treat it differently from the real client`,
          remediation: `Fix spec.source.podSelector or start the client workload in ${namespace}`,
          escalateTo: "User",
        }),
      ],
    };
  }
  const labels: LabelMap = { ...best.metadata.labels };
  for (const l of ControllerLabels) delete labels[l];
  return { labels, pod: best, findings: [] };
}

/** The source as a policy peer (labels fall back to the selector's matchLabels). */
export function sourcePeer(namespace: string, spec: Pick<Spec, "source">, src: SourceLabels, podIP?: string): FlowPeer {
  const labels = src.labels ?? spec.source?.podSelector?.matchLabels ?? { [OwnedLabels.Probe]: "true" };
  const name = src.pod ? `${namespace}/${src.pod.metadata.name}` : `${namespace}/probe (${labelsText(labels)})`;
  const peer: FlowPeer = { name, namespace, labels };
  const ip = podIP ?? src.pod?.status?.podIP;
  if (ip) peer.ip = ip;
  return peer;
}
