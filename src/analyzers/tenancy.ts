/**
 * The tenancy rule (docs/security.md): a namespaced diagnosis shows about another
 * namespace only what its probe observed (reached or not, which layer failed,
 * latencies) plus the names of the deciding NetworkPolicies — never pod names, IPs,
 * labels, selectors, probe commands or policy bodies of that namespace. Its own
 * namespace is shown in full detail.
 *
 * The analyzers judge with the whole snapshot (the verdict stays right); this file
 * decides what of a finding may be shown. It is fail-closed: a finding about another
 * namespace keeps its code, severity, layer, target, probe and escalation, and gets a
 * message written here from those alone — unless its code is one whose text is built
 * only from the author's own input and the probe's observations (OBSERVED). A new code
 * is therefore redacted until someone decides otherwise.
 *
 * @module
 */
import type { FindingCode } from "../api/codes.ts";
import type { Finding } from "../api/status.ts";
import { foreignNamespace } from "../model/resolve.ts";
import type { Observation, PathFlow, TargetContext } from "./context.ts";

/** Where the cluster's own components (CoreDNS, kube-proxy, CNI agents) live. */
export const SYSTEM_NAMESPACE = "kube-system";

/**
 * Codes whose message, evidence and remediation are made of the author's spec, the probe's
 * own observations (of a Service name or ClusterIP, never a pod of the other namespace:
 * the plan holds none) and the source namespace's objects. Shown unredacted.
 */
const OBSERVED: ReadonlySet<string> = new Set<FindingCode>([
  "NamespaceNotFound",
  "SourcePodNotFound",
  "DNSResolutionFailed",
  "DNSServerUnreachable",
  "DNSEgressBlocked",
  "DNSUpstreamFailure",
  "DNSSlowLookups",
  "NoRouteToHost",
  "ICMPBlocked",
  "PathMTUMismatch",
  "ConnectionRefused",
  "ConnectionTimedOut",
  "HTTPErrorStatus",
  "HTTPUnexpectedStatus",
  "HTTPSlowResponse",
  "TLSHandshakeFailed",
  "TLSCertificateExpired",
  "TLSCertificateExpiringSoon",
  "TLSNameMismatch",
  "TLSUntrustedIssuer",
  "NodeSkipped",
  "ProbeNotScheduled",
  "ProbePodRejected",
  "ProbeImagePullFailed",
  "ProbeTimedOut",
  "ProbeFailed",
  "ToolMissing",
]);

/** The names of the NetworkPolicies that decide the denied flows of the path, as "name (namespace)". */
export function decidingPolicies(path: readonly PathFlow[]): string[] {
  const names = new Set<string>();
  for (const f of path) {
    if (f.verdict.allowed) continue;
    const sides = [f.verdict.egress, f.verdict.ingress].filter((s) => !s.allowed);
    for (const s of sides) for (const p of s.policies) names.add(`${p.name} (${p.namespace})`);
  }
  return [...names];
}

/** What the probe observed of the target, without anything the plan did not get from the author or DNS. */
function observedLines(observations: readonly Observation[]): string[] {
  return observations
    .filter((o) => o.check.detail.input?.["role"] !== "endpoint" && ["dns", "tcp", "http", "tls"].includes(o.check.check))
    .slice(0, 5)
    .map((o) => {
      const i = o.check.detail.input ?? {};
      const where =
        o.check.check === "dns"
          ? String(i["name"] ?? "")
          : o.check.check === "http"
            ? String(i["url"] ?? "")
            : `${String(i["host"] ?? "")}:${String(i["port"] ?? "")}`;
      return `probe ${o.probe}: ${o.check.check} ${where} ${o.check.outcome} in ${o.check.durationMs ?? "?"} ms`;
    });
}

interface Subject {
  target: string;
  own: string;
  ns: string;
  service: string;
  port: string;
  policies: string[];
}

function summary(f: Finding, s: Subject): { message: string; remediation?: string } {
  const svc = `Service ${s.ns}/${s.service}`;
  const named = s.policies.length > 0 ? ` (deciding: NetworkPolicy ${s.policies.join(", ")})` : "";
  const partial = f.severity !== "Critical";
  switch (f.code) {
    case "ServiceNotFound":
      return { message: `${svc} does not exist` };
    case "ServicePortNotFound":
      return { message: `${svc} has no port ${s.port}` };
    case "ServiceSelectorMatchesNoPods":
      return { message: `${svc} selects no pods, so it has no endpoints` };
    case "ServiceEndpointsNotReady":
      return { message: partial ? `Some pods behind ${svc} are not ready and receive no traffic` : `${svc} has no ready endpoints` };
    case "TargetPortMismatch":
      return { message: `${svc} sends to a targetPort its pods do not declare` };
    case "NamedPortNotFound":
      return { message: `${svc} uses a named targetPort its pods do not declare` };
    case "PodNotRunning":
      return { message: `${partial ? "Some" : "The"} pods behind ${svc} are not running` };
    case "PodNotReady":
      return { message: `${partial ? "Some" : "The"} pods behind ${svc} are not ready` };
    case "AppListeningOnLoopback":
    case "AppListeningOnOtherPort":
      return { message: `A pod behind ${svc} does not listen where the Service sends (${f.code})` };
    case "NetworkPolicyDenied": {
      const mine = s.policies.filter((p) => p.endsWith(`(${s.own})`));
      const theirs = s.policies.filter((p) => !p.endsWith(`(${s.own})`));
      const fix = [
        ...(mine.length ? [`allow egress to ${svc} port ${s.port} in ${mine.join(", ")}`] : []),
        ...(theirs.length ? [`ask the owners of namespace ${s.ns} to admit traffic from namespace ${s.own} in ${theirs.join(", ")}`] : []),
      ];
      return {
        message: `NetworkPolicy ${s.policies.join(", ") || "of the cluster"} denies traffic from namespace ${s.own} to ${svc} port ${s.port}`,
        remediation: `${fix.join("; ") || "Fix the NetworkPolicy that denies the flow"}, or run the client where the policy admits it`,
      };
    }
    case "UnexplainedDrop":
      return {
        message: `Connections to ${svc} time out although NetworkPolicy allows them: packets are dropped outside NetworkPolicy — CNI, host firewall or cloud security group`,
      };
    case "ServiceVIPUnreachable":
      return { message: `The ClusterIP of ${svc} does not answer: the Service VIP path (kube-proxy) is broken` };
    case "KubeProxyUnhealthy":
      return { message: `kube-proxy has not programmed the ClusterIP of ${svc} on every node on the path` };
    case "ExpectedBlockButReachable":
      return { message: `Target ${s.target} must be blocked, but the probe reached ${svc}${named}` };
    case "NodeNotReady":
      return { message: `A node that runs pods behind ${svc} is not Ready` };
    case "CrossNodeUnreachable":
      return { message: `${svc} is unreachable across nodes` };
    default:
      return { message: `${f.code} (layer ${f.layer}) for ${svc}` };
  }
}

/**
 * The finding as a diagnosis in `ctx.namespace` may see it. Unchanged for its own
 * namespace's targets and for OBSERVED codes.
 */
export function tenantView(f: Finding, ctx: TargetContext): Finding {
  const ns = foreignNamespace(ctx.resolved, ctx.namespace);
  if (ns === undefined || OBSERVED.has(f.code)) return f;
  const s: Subject = {
    target: ctx.target.name,
    own: ctx.namespace,
    ns,
    service: ctx.resolved.service?.name ?? "?",
    port: String(ctx.resolved.service?.port ?? "?"),
    policies: decidingPolicies(ctx.path),
  };
  const text = summary(f, s);
  const out: Finding = {
    code: f.code,
    severity: f.severity,
    layer: f.layer,
    message: `${text.message}. Details of namespace ${ns} are shown only to diagnoses in ${ns} (tenancy rule)`,
    remediation: text.remediation ?? `Ask the owners of namespace ${ns} to run this diagnosis there for the details and the fix`,
  };
  if (f.target !== undefined) out.target = f.target;
  if (f.source !== undefined) out.source = f.source;
  const evidence = observedLines(ctx.observations);
  if (evidence.length > 0) out.evidence = evidence;
  if (f.escalateTo !== undefined) out.escalateTo = f.escalateTo;
  return out;
}

/**
 * A cluster-wide finding (about kube-system's components) as a diagnosis in `namespace`
 * sees it. Those analyzers write the component, counts and reasons into the message and
 * name pods only in the evidence: outside kube-system the evidence is dropped.
 */
export function systemView(f: Finding, namespace: string): Finding {
  if (namespace === SYSTEM_NAMESPACE || f.evidence === undefined) return f;
  const { evidence: _dropped, ...rest } = f;
  return rest;
}
