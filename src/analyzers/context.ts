/**
 * What an analyzer sees. A TargetContext holds one target of one diagnosis with
 * everything resolved once: the Service and port it designates, the pods behind it, the
 * source as a policy peer, the probe observations of that target, and the static
 * NetworkPolicy verdicts of the path. A ClusterContext serves the cluster-wide checks
 * (cluster DNS, kube-proxy, CNI agents) that run once per diagnosis.
 *
 * @module
 */
import type { Spec, Target } from "../api/spec.ts";
import type { Finding } from "../api/status.ts";
import type { FlowPeer, FlowVerdict } from "../policy/flow.ts";
import type { NodeInspection } from "../api/node-inspection.ts";
import type { CheckResult, ProbeResult } from "../api/probe-contract.ts";
import type { ResolvedTarget } from "../model/resolve.ts";
import type { IndexedSnapshot } from "../model/snapshot-index.ts";
import type { Pod, Service, ServicePort } from "../model/snapshot.ts";

/** One probe pod's outcome, as the reconcile supplies it. */
export interface ProbeReport {
  pod: string;
  node?: string;
  result?: ProbeResult;
  failure?: { code: "ProbeNotScheduled" | "ProbePodRejected" | "ProbeImagePullFailed" | "ProbeTimedOut" | "ProbeFailed"; message: string };
}

/** A socket a target pod listens on (target-side inspection, e.g. `ss -tln` in its netns). */
export interface ListeningSocket {
  address: string;
  port: number;
  protocol?: string;
}

/** "namespace/pod" -> the sockets that pod listens on. Optional: only when inspection ran. */
export type TargetSockets = Record<string, ListeningSocket[]>;

/** What the reconcile says about node inspection in this run (ADR 0013). */
export interface NodeInspectionNote {
  enabled: boolean;
  failures: readonly { node: string; message: string }[];
}

/** One check result of this target, from one probe pod. */
export interface Observation {
  probe: string;
  node?: string;
  check: CheckResult;
}

/** The static NetworkPolicy verdict for the source -> one backend of the target. */
export interface PathFlow {
  peer: FlowPeer;
  protocol: string;
  port: number;
  verdict: FlowVerdict;
  /** True when no backend pod exists and the peer is a pod the selector would pick. */
  assumed: boolean;
  /**
   * Set when the peer is the source pod itself (ADR 0015): the verdict is then allowed,
   * and `policy` is what NetworkPolicy alone says (what another pod with its labels gets).
   */
  self?: { policy: FlowVerdict };
}

/**
 * Which other namespaces a finding may name when a short name points at a Service that
 * lives elsewhere (docs/security.md): only namespaces labelled netdiag.dev/discoverable=true,
 * or all (a single-tenant cluster, or offline analysis of one's own manifests).
 */
export type NamespaceHints = "labelled" | "all";

export interface TargetContext {
  idx: IndexedSnapshot;
  namespace: string;
  spec: Spec;
  clusterDomain: string;
  now: Date;
  target: Target;
  resolved: ResolvedTarget;
  service?: Service;
  servicePort?: ServicePort;
  /** Pods the Service selector matches. */
  backends: Pod[];
  source: FlowPeer;
  observations: Observation[];
  /** Some probe returned results for this target. */
  probed: boolean;
  targetSockets?: TargetSockets;
  /** Node inspections of the run (ADR 0013): routes and kube-proxy rules per node; absent without inspection. */
  nodeInspections?: readonly NodeInspection[];
  path: PathFlow[];
  /** Findings of the analyzers that already ran (this target and cluster-wide). */
  found: Finding[];
  namespaceHints: NamespaceHints;
}

export interface ClusterContext {
  idx: IndexedSnapshot;
  namespace: string;
  spec: Spec;
  probes: ProbeReport[];
  now: Date;
  /** What probe placement decided before the run (NodeSkipped), made by diagnosis/placement.ts. */
  placement: readonly Finding[];
  /** Findings about the source (SourcePodNotFound), from source.ts, computed once per evaluation. */
  sourceFindings: readonly Finding[];
  /** Node inspections of this run (ADR 0013); empty when the admin has not enabled node inspection. */
  nodeInspections: readonly NodeInspection[];
  /** Whether the run had node inspection, and the node probes that could not report; absent offline. */
  nodeInspection?: NodeInspectionNote;
}

export type TargetAnalyzer = (ctx: TargetContext) => Finding[];
export type ClusterAnalyzer = (ctx: ClusterContext) => Finding[];
