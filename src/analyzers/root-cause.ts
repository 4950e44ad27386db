/**
 * The root-cause engine: orders findings (severity, then the method's layer order, then
 * how specific a code is within its layer) and picks the primary root cause — the first
 * Critical/Warning finding that is not a Probe problem. Info never makes a diagnosis
 * unhealthy. When only the probe failed, health is unknown: healthy=false,
 * probeProblem=true, and the root cause is the probe finding, never a network code.
 *
 * @module
 */
import { type FindingCode, Layers, Severities } from "../api/codes.ts";
import type { Finding, RootCause } from "../api/status.ts";

/** Within a layer, the more specific (explaining) codes first. */
export const Specificity: readonly FindingCode[] = [
  "NamespaceNotFound",
  "ShortNameCrossNamespace",
  "ServiceNotFound",
  "ServicePortNotFound",
  "ServiceSelectorMatchesNoPods",
  "TargetPortMismatch",
  "NamedPortNotFound",
  "PodNotRunning",
  "ServiceEndpointsNotReady",
  "PodNotReady",
  "SourcePodNotFound",
  "DNSEgressBlocked",
  "DNSServiceUnavailable",
  "DNSUpstreamFailure",
  "DNSServerUnreachable",
  "DNSResolutionFailed",
  "DNSSlowLookups",
  "NoRouteToHost",
  "CrossNodeUnreachable",
  "NetworkPolicyDenied",
  "AppListeningOnLoopback",
  "AppListeningOnOtherPort",
  "ServiceVIPUnreachable",
  "KubeProxyUnhealthy",
  "CNIAgentUnhealthy",
  "ConnectionRefused",
  "UnexplainedDrop",
  "ConnectionTimedOut",
  "HTTPErrorStatus",
  "HTTPUnexpectedStatus",
  "HTTPSlowResponse",
  "TLSCertificateExpired",
  "TLSNameMismatch",
  "TLSUntrustedIssuer",
  "TLSHandshakeFailed",
  "TLSCertificateExpiringSoon",
];

function rank(f: Finding): [number, number, number] {
  const s = Specificity.indexOf(f.code as FindingCode);
  return [Severities.indexOf(f.severity), Layers.indexOf(f.layer), s < 0 ? Specificity.length : s];
}

/** Sorted copy: severity, then layer order, then specificity (stable otherwise). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, r: [...rank(f), i] }))
    .sort((a, b) => a.r.reduce((acc, v, k) => acc || v - (b.r[k] ?? 0), 0))
    .map((x) => x.f);
}

export interface Judgement {
  healthy: boolean;
  probeProblem: boolean;
  rootCause?: RootCause;
}

function toRootCause(f: Finding): RootCause {
  const rc: RootCause = { code: f.code, layer: f.layer, message: f.message };
  if (f.target !== undefined) rc.target = f.target;
  if (f.remediation !== undefined) rc.remediation = f.remediation;
  if (f.escalateTo !== undefined) rc.escalateTo = f.escalateTo;
  return rc;
}

/** Judges sorted findings. */
export function judge(sorted: readonly Finding[]): Judgement {
  const failing = sorted.filter((f) => f.severity !== "Info");
  const network = failing.find((f) => f.layer !== "Probe");
  const probe = failing.find((f) => f.layer === "Probe");
  const cause = network ?? probe;
  const j: Judgement = { healthy: failing.length === 0, probeProblem: probe !== undefined };
  if (cause) j.rootCause = toRootCause(cause);
  return j;
}
