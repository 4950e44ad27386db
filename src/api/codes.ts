/**
 * Finding codes, layers, severities, escalation targets, condition types and reasons of
 * the NetworkDiagnosis API. These strings are a public API (status, Events, metrics,
 * alerts and GitOps health checks match on them): add freely, never rename.
 *
 * @module
 */

/** The method's layers, in the order the seeds check them (stop at the first failure). */
export const Layers = ["Objects", "DNS", "L3", "L4", "L7", "TLS", "Policy", "MTU", "Node", "Expectation", "Probe"] as const;
export type Layer = (typeof Layers)[number];

/**
 * The rows of the per-target layer table (status.targets[].layers), in method order, and
 * the `check` label value of netdiag_probe_success / the `phase` of
 * netdiag_probe_duration_seconds for each. Which findings show in which row is decided by
 * the method table (src/analyzers/method.ts).
 */
export const TargetRows = ["Objects", "DNS", "L3", "L4", "L7", "TLS"] as const;
export type TargetRow = (typeof TargetRows)[number];
export const RowMetricCheck: Readonly<Record<TargetRow, string>> = { Objects: "objects", DNS: "dns", L3: "icmp", L4: "tcp", L7: "http", TLS: "tls" };

/** How bad a finding is. Critical and Warning make a diagnosis unhealthy; Info never does. */
export const Severities = ["Critical", "Warning", "Info"] as const;
export type Severity = (typeof Severities)[number];

/** Which team owns the fix (seed systematic-troubleshooting.txt, part 5). */
export const EscalationTargets = ["App", "Platform/CNI", "Cloud/Infra", "Kernel/OS", "User"] as const;
export type EscalateTo = (typeof EscalationTargets)[number];

/**
 * Every finding code with the layer it belongs to. The layer decides the primary root
 * cause: the first failing layer in method order wins.
 */
export const FindingCodes = {
  // Objects: does the target exist, is it wired right?
  NamespaceNotFound: "Objects",
  ServiceNotFound: "Objects",
  ServiceSelectorMatchesNoPods: "Objects",
  ServiceEndpointsNotReady: "Objects",
  TargetPortMismatch: "Objects",
  NamedPortNotFound: "Objects",
  PodNotRunning: "Objects",
  PodNotReady: "Objects",
  ShortNameCrossNamespace: "Objects",
  SourcePodNotFound: "Objects",
  ServicePortNotFound: "Objects",
  /** A type LoadBalancer Service without an address (EXTERNAL-IP <pending>): the cloud / load-balancer controller's job, not kube-proxy's. */
  LoadBalancerPending: "Objects",
  // DNS: does the name resolve, to the right IP, fast?
  DNSServiceUnavailable: "DNS",
  DNSResolutionFailed: "DNS",
  DNSServerUnreachable: "DNS",
  DNSEgressBlocked: "DNS",
  DNSUpstreamFailure: "DNS",
  DNSSlowLookups: "DNS",
  // L3: can packets get there?
  NoRouteToHost: "L3",
  ICMPBlocked: "L3",
  PathMTUMismatch: "MTU",
  CrossNodeUnreachable: "L3",
  // L4: does the port accept?
  ConnectionRefused: "L4",
  AppListeningOnLoopback: "L4",
  AppListeningOnOtherPort: "L4",
  ConnectionTimedOut: "L4",
  NetworkPolicyDenied: "L4",
  UnexplainedDrop: "L4",
  /** The source pod reaches itself through its own Service: NetworkPolicy does not apply to that flow (ADR 0015). */
  SelfTrafficExempt: "L4",
  ServiceVIPUnreachable: "L4",
  KubeProxyUnhealthy: "L4",
  CNIAgentUnhealthy: "L4",
  // L7: does the app answer correctly?
  HTTPErrorStatus: "L7",
  HTTPUnexpectedStatus: "L7",
  HTTPSlowResponse: "L7",
  // TLS
  TLSHandshakeFailed: "TLS",
  TLSCertificateExpired: "TLS",
  TLSCertificateExpiringSoon: "TLS",
  TLSNameMismatch: "TLS",
  TLSUntrustedIssuer: "TLS",
  // Node
  NodeNotReady: "Node",
  NodeSkipped: "Node",
  ConntrackTableNearFull: "Node",
  InterfaceDrops: "Node",
  TCPRetransmitsHigh: "Node",
  /** Node inspection is off or a node probe could not report (ADR 0013): what the run could not see. Info. */
  NodeInspectionUnavailable: "Node",
  // Expectation
  ExpectedBlockButReachable: "Expectation",
  // Probe: the check could not run. Never a network failure of the target.
  ProbeNotScheduled: "Probe",
  /** The API server refused to create the probe pod (Pod Security, quota, a webhook, RBAC). */
  ProbePodRejected: "Probe",
  ProbeImagePullFailed: "Probe",
  ProbeTimedOut: "Probe",
  ProbeFailed: "Probe",
  ToolMissing: "Probe",
} as const satisfies Record<string, Layer>;

export type FindingCode = keyof typeof FindingCodes;
export const FindingCodeNames = Object.keys(FindingCodes) as FindingCode[];

/** Condition types written to status.conditions. */
export const ConditionTypes = {
  /** The last run finished (True), is running (False, reason Running) or cannot run (False, reason InvalidSpec). */
  Completed: "Completed",
  /** Every target behaved as expected (True), a finding says why not (False), or not known yet (Unknown). */
  Healthy: "Healthy",
  /** The spec is within the operator's admin policy (True), or something it asked for was replaced or refused (False). */
  SpecAllowed: "SpecAllowed",
} as const;
export type ConditionType = (typeof ConditionTypes)[keyof typeof ConditionTypes];

/** Condition reasons (CamelCase, stable). */
export const Reasons = {
  /** The spec failed validation; the message says what to fix. No retry until the spec changes. */
  InvalidSpec: "InvalidSpec",
  /** A run is in progress. */
  Running: "Running",
  /** The run finished. */
  RunFinished: "RunFinished",
  /** All targets passed every layer. */
  AllChecksPassed: "AllChecksPassed",
  /** No run has finished yet. */
  NotYetRun: "NotYetRun",
  /** Checks could not run (probe problems); health unknown. */
  ProbeProblem: "ProbeProblem",
  /** The spec asks for something the operator's admin policy does not allow; no run until the spec or the policy changes. */
  NotAllowedByPolicy: "NotAllowedByPolicy",
  /** spec.probeImage is not on the admin's allowlist: the default image ran instead. */
  ProbeImageNotAllowed: "ProbeImageNotAllowed",
  /** The spec is within the admin's policy. */
  WithinPolicy: "WithinPolicy",
} as const;
export type Reason = (typeof Reasons)[keyof typeof Reasons];
