/**
 * Probe pods that did not deliver a result become Probe-layer findings (never network
 * findings): ProbeNotScheduled, ProbeImagePullFailed, ProbeTimedOut, ProbeFailed.
 *
 * @module
 */
import type { Finding } from "../api/status.ts";
import type { ClusterAnalyzer } from "./context.ts";
import { finding } from "./finding.ts";

const FIX: Record<string, string> = {
  ProbeNotScheduled: "Check the probe pod's events (quota, node selector, taints, resources)",
  ProbePodRejected: "The namespace refused the probe pod (Pod Security, ResourceQuota or an admission webhook): see the quoted refusal for what to change",
  ProbeImagePullFailed: "Make the probe image pullable from the nodes, or set spec.probeImage to a mirror",
  ProbeTimedOut: "Raise spec.timeoutSeconds or check why checks hang",
  ProbeFailed: "Read the probe pod's logs (kubectl logs) for the error",
};

/** The probe pods that did not deliver (a cluster step of the method). */
export const probeFailures: ClusterAnalyzer = (ctx) => {
  const out: Finding[] = [];
  for (const p of ctx.probes) {
    if (p.failure) {
      out.push(
        finding(p.failure.code, "Warning", {
          source: p.pod,
          message: `Probe ${p.pod}${p.node ? ` on ${p.node}` : ""} could not run its checks: ${p.failure.message}; this says nothing about the network`,
          remediation: FIX[p.failure.code] ?? "Read the probe pod's events and logs",
          escalateTo: "Platform/CNI",
        }),
      );
    } else if (!p.result) {
      out.push(
        finding("ProbeFailed", "Warning", {
          source: p.pod,
          message: `Probe ${p.pod} finished without a result`,
          remediation: FIX["ProbeFailed"] ?? "",
          escalateTo: "Platform/CNI",
        }),
      );
    } else if (p.result.truncated) {
      out.push(
        finding("ProbeFailed", "Info", {
          source: p.pod,
          message: `Probe ${p.pod}'s termination message was truncated; some checks are missing (full result in its log)`,
        }),
      );
    }
  }
  return out;
};

/** Nodes the probes could not stand on: decided by placement before the run, reported here. */
export const placementFindings: ClusterAnalyzer = (ctx) => [...ctx.placement];
