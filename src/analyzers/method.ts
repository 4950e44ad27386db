/**
 * The method, top to bottom, as one table. Read it as the seeds' checklist: verify the
 * objects, then DNS, L3, L4, L7, TLS, the expectation, and what the probe could not do.
 *
 * The order of this table decides everything that has an order:
 * - execution: steps run in this order; a target step sees the findings of the steps
 *   before it (`ctx.found`), never of those after it;
 * - the root cause: the first Critical finding in step order (then code order within the
 *   step) wins; without a Critical, the first Warning. A network finding always beats a
 *   Probe-layer one (health is then unknown, see root-cause.ts);
 * - the target table: each step names the row of status.targets[].layers its findings
 *   show in, and the probe checks that make that row "ran";
 * - coverage: every public finding code is emitted by exactly one step, or is listed in
 *   RESERVED with the capability that will emit it (tested in method.test.ts).
 *
 * Scope says when a step runs: `cluster` once per diagnosis; `objects` per target, also
 * for a target that must be Blocked (downgraded to Info: a broken target is still
 * blocked); `reachable` per target, not for a Blocked one (failing is its expected
 * outcome); `any` per target, always.
 *
 * @module
 */
import type { FindingCode, TargetRow } from "../api/codes.ts";
import type { CheckKind } from "../api/probe-contract.ts";
import type { Finding } from "../api/status.ts";
import type { ClusterAnalyzer, TargetAnalyzer } from "./context.ts";
import { dnsEgressAllowed } from "./dns/dns-egress.ts";
import { dnsResults } from "./dns/dns-results.ts";
import { dnsServiceAvailable } from "./dns/dns-service.ts";
import { cniAgentsHealthy, kubeProxyHealthy } from "./node/agents-health.ts";
import { kubeProxyRules } from "./node/kube-proxy-rules.ts";
import { nodeCounters } from "./node/node-counters.ts";
import { nodesReady } from "./node/node-ready.ts";
import { endpointsReady } from "./objects/endpoints.ts";
import { loadBalancerAssigned } from "./objects/load-balancer.ts";
import { namespaceExists } from "./objects/namespace.ts";
import { podsRunning } from "./objects/pods.ts";
import { selectorMatchesPods } from "./objects/selector.ts";
import { serviceExists, servicePortExists } from "./objects/service.ts";
import { sourcePodExists } from "./objects/source-pod.ts";
import { targetPortDeclared } from "./objects/target-port.ts";
import { connectResults } from "./observed/connect.ts";
import { crossNodeResults } from "./observed/cross-node.ts";
import { expectation } from "./observed/expectation.ts";
import { httpResults } from "./observed/http.ts";
import { l3Results } from "./observed/l3.ts";
import { policyPath } from "./observed/policy.ts";
import { probeCheckProblems } from "./observed/probe-checks.ts";
import { tlsResults } from "./observed/tls.ts";
import { placementFindings, probeFailures } from "./probe-failures.ts";

export type Scope = "objects" | "reachable" | "any";

interface StepBase {
  /** What the step verifies, in the seeds' words. */
  checks: string;
  /** Every code the step may emit, most specific first (the tie-break within the step). */
  codes: readonly FindingCode[];
  /** The target-table row its findings show in (none: not a per-layer outcome). */
  row?: TargetRow;
  /** The probe checks it reads. */
  reads: readonly CheckKind[];
}
export interface TargetStep extends StepBase {
  scope: Scope;
  run: TargetAnalyzer;
}
export interface ClusterStep extends StepBase {
  scope: "cluster";
  run: ClusterAnalyzer;
  /** About kube-system's components: outside kube-system their pod names are not shown (tenancy.ts). */
  about?: "system";
}
export type Step = TargetStep | ClusterStep;

// prettier-ignore
export const Method: readonly Step[] = [
  // Objects: does the target exist, is it wired right?
  { run: sourcePodExists, scope: "cluster", reads: [], codes: ["SourcePodNotFound"], checks: "a live pod matches spec.source.podSelector (its labels are copied)" },
  { run: namespaceExists, scope: "objects", row: "Objects", reads: [], codes: ["NamespaceNotFound"], checks: "the target's namespace exists" },
  { run: serviceExists, scope: "objects", row: "Objects", reads: [], codes: ["ShortNameCrossNamespace", "ServiceNotFound"], checks: "the Service exists where the client looks (short name vs namespace)" },
  { run: servicePortExists, scope: "objects", row: "Objects", reads: [], codes: ["ServicePortNotFound"], checks: "the Service has the port asked for" },
  { run: selectorMatchesPods, scope: "objects", row: "Objects", reads: [], codes: ["ServiceSelectorMatchesNoPods"], checks: "the selector matches pods (did you mean?)" },
  { run: targetPortDeclared, scope: "objects", row: "Objects", reads: [], codes: ["TargetPortMismatch", "NamedPortNotFound"], checks: "targetPort lands on a declared container port (numeric and named)" },
  { run: podsRunning, scope: "objects", row: "Objects", reads: [], codes: ["PodNotRunning"], checks: "the selected pods run" },
  { run: endpointsReady, scope: "objects", row: "Objects", reads: [], codes: ["ServiceEndpointsNotReady", "PodNotReady"], checks: "the endpoints are ready (names the failing readiness probe)" },
  { run: loadBalancerAssigned, scope: "objects", row: "Objects", reads: [], codes: ["LoadBalancerPending"], checks: "a type LoadBalancer Service has its external address (EXTERNAL-IP not <pending>)" },
  // DNS: does the name resolve, to the right IP, fast?
  { run: dnsEgressAllowed, scope: "reachable", row: "DNS", reads: [], codes: ["DNSEgressBlocked"], checks: "NetworkPolicy lets the source query CoreDNS" },
  { run: dnsServiceAvailable, scope: "cluster", about: "system", row: "DNS", reads: [], codes: ["DNSServiceUnavailable"], checks: "the kube-dns Service has ready CoreDNS endpoints" },
  { run: dnsResults, scope: "reachable", row: "DNS", reads: ["dns"], codes: ["DNSUpstreamFailure", "DNSServerUnreachable", "DNSResolutionFailed", "DNSSlowLookups"], checks: "the name resolves, fast, and CoreDNS reaches its upstream" },
  // L3: can packets get there?
  { run: nodesReady, scope: "reachable", row: "L3", reads: [], codes: ["NodeNotReady"], checks: "the nodes on the path are Ready" },
  { run: l3Results, scope: "reachable", row: "L3", reads: ["route", "icmp", "mtu", "trace"], codes: ["NoRouteToHost", "PathMTUMismatch", "ICMPBlocked"], checks: "routes, ICMP, path MTU" },
  { run: crossNodeResults, scope: "reachable", row: "L3", reads: ["tcp"], codes: ["CrossNodeUnreachable"], checks: "a pod that answers from one node also answers from the others (pod network between nodes)" },
  // L4: does the port accept?
  { run: policyPath, scope: "reachable", row: "L4", reads: ["tcp", "http"], codes: ["NetworkPolicyDenied", "UnexplainedDrop", "SelfTrafficExempt"], checks: "the NetworkPolicy verdict, cross-checked with the probe (a pod reaching itself is exempt)" },
  { run: connectResults, scope: "reachable", row: "L4", reads: ["tcp", "http"], codes: ["AppListeningOnLoopback", "AppListeningOnOtherPort", "ServiceVIPUnreachable", "ConnectionRefused", "ConnectionTimedOut"], checks: "refused vs timeout, pod IP vs ClusterIP" },
  { run: kubeProxyHealthy, scope: "cluster", about: "system", row: "L4", reads: [], codes: ["KubeProxyUnhealthy"], checks: "kube-proxy pods are ready (mode from its ConfigMap)" },
  { run: kubeProxyRules, scope: "reachable", row: "L4", reads: [], codes: [], checks: "kube-proxy programmed the target's ClusterIP on every inspected node (node inspection with rules)" },
  { run: cniAgentsHealthy, scope: "cluster", about: "system", row: "L4", reads: [], codes: ["CNIAgentUnhealthy"], checks: "the CNI agent pods are ready" },
  // L7: does the app answer correctly?
  { run: httpResults, scope: "reachable", row: "L7", reads: ["http"], codes: ["HTTPErrorStatus", "HTTPUnexpectedStatus", "HTTPSlowResponse"], checks: "HTTP status and timings" },
  // TLS
  { run: tlsResults, scope: "reachable", row: "TLS", reads: ["tls"], codes: ["TLSCertificateExpired", "TLSNameMismatch", "TLSUntrustedIssuer", "TLSHandshakeFailed", "TLSCertificateExpiringSoon"], checks: "verify, SAN, expiry" },
  // Node limits (node inspection, ADR 0013)
  { run: nodeCounters, scope: "cluster", reads: [], codes: ["ConntrackTableNearFull", "InterfaceDrops", "TCPRetransmitsHigh", "NodeInspectionUnavailable"], checks: "conntrack table, interface drops, TCP retransmits of the nodes on the path (node inspection)" },
  // Expectation: expect: Blocked holds
  { run: expectation, scope: "any", reads: ["tcp", "http"], codes: ["ExpectedBlockButReachable"], checks: "a target that must be blocked is blocked" },
  // Probe: what could not be checked — never a network failure of the target
  { run: placementFindings, scope: "cluster", reads: [], codes: ["NodeSkipped"], checks: "which nodes the probes could not stand on (decided by placement)" },
  { run: probeFailures, scope: "cluster", reads: [], codes: ["ProbePodRejected", "ProbeImagePullFailed", "ProbeNotScheduled", "ProbeTimedOut", "ProbeFailed"], checks: "every probe pod ran and reported" },
  { run: probeCheckProblems, scope: "any", reads: [], codes: ["ToolMissing"], checks: "every check could run (tool present, socket permitted)" },
];

/**
 * Codes no step emits yet, each with the open capability that will. A code may be public
 * before its analyzer exists (codes are added, never renamed).
 */
export const RESERVED: Readonly<Partial<Record<FindingCode, string>>> = {};

/** Codes one step owns and another also emits, with why. */
export const SHARED: Readonly<Partial<Record<FindingCode, string>>> = {
  KubeProxyUnhealthy:
    "kube-proxy pods not ready (kubeProxyHealthy, cluster-wide) and a node whose kube-proxy has no rule for the target's ClusterIP (kubeProxyRules, node inspection) are the same fault for the reader: kube-proxy is not doing its job there",
  ProbeFailed:
    "a probe pod that failed (probeFailures) and a single check that could not run (probeCheckProblems) are the same finding for the reader: the probe could not check this",
};

const position = new Map<string, { step: number; code: number; row?: TargetRow }>();
Method.forEach((s, step) => s.codes.forEach((code, i) => position.set(code, { step, code: i, ...(s.row ? { row: s.row } : {}) })));

/** The step a code belongs to, and its place in it; unknown codes sort last. */
export function placeOf(code: string): { step: number; code: number; row?: TargetRow } {
  return position.get(code) ?? { step: Method.length, code: 0 };
}

/** The target-table row a finding shows in. */
export function rowOf(f: Pick<Finding, "code">): TargetRow | undefined {
  return placeOf(f.code).row;
}

/** The probe checks that make a target-table row count as "ran". */
export function checksOfRow(row: TargetRow): CheckKind[] {
  return [...new Set(Method.filter((s) => s.row === row).flatMap((s) => s.reads))];
}

export const clusterSteps = Method.filter((s): s is ClusterStep => s.scope === "cluster");
export const targetSteps = Method.filter((s): s is TargetStep => s.scope !== "cluster");
