/**
 * KubeProxyUnhealthy and CNIAgentUnhealthy: cluster-wide, from the agents the snapshot
 * shows. Absent agents (offline, or a kube-proxy-free CNI) are never a finding.
 *
 * @module
 */
import type { Finding } from "../../api/status.ts";
import type { ClusterAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";
import { cniAgents, kubeProxy, kubeProxyMode } from "./agents.ts";

/**
 * The message part: DaemonSet counts, else how many pods are not ready. Pod names stay
 * in the evidence, which only kube-system's own diagnoses see (tenancy.ts).
 */
function summary(problems: readonly string[]): string {
  const sets = problems.filter((p) => p.startsWith("DaemonSet "));
  const pods = problems.length - sets.length;
  return [...sets.slice(0, 3), ...(pods > 0 ? [`${pods} pod${pods === 1 ? "" : "s"} not ready`] : [])].join("; ");
}

export const kubeProxyHealthy: ClusterAnalyzer = (ctx) => {
  const kp = kubeProxy(ctx.idx);
  if (!kp || kp.problems.length === 0) return [];
  const mode = kubeProxyMode(ctx.idx);
  return [
    finding("KubeProxyUnhealthy", "Warning", {
      message: `kube-proxy${mode ? ` (mode ${mode})` : ""} is unhealthy: ${summary(kp.problems)}; Service ClusterIPs may not work on those nodes`,
      evidence: kp.problems,
      remediation: "kubectl -n kube-system logs the failing kube-proxy pods; check the node's iptables/ipvs rules",
      escalateTo: "Platform/CNI",
    }),
  ];
};

export const cniAgentsHealthy: ClusterAnalyzer = (ctx) => {
  const out: Finding[] = [];
  for (const a of cniAgents(ctx.idx)) {
    if (a.problems.length === 0) continue;
    out.push(
      finding("CNIAgentUnhealthy", "Warning", {
        message: `CNI ${a.name} agent is unhealthy: ${summary(a.problems)}; pods on those nodes may lose connectivity`,
        evidence: a.problems,
        remediation: `kubectl -n kube-system logs the failing ${a.name} pods; escalate to the platform team`,
        escalateTo: "Platform/CNI",
      }),
    );
  }
  return out;
};
