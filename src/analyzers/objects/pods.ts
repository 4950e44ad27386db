/**
 * PodNotRunning: the Service's pods exist but do not run (CrashLoopBackOff,
 * ImagePullBackOff, Pending with the scheduler's reason, Failed). Critical when no
 * selected pod runs, Warning when some do.
 *
 * @module
 */
import type { TargetAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";
import { notRunningReason } from "../../model/pod-state.ts";

export const podsRunning: TargetAnalyzer = (ctx) => {
  const broken = ctx.backends.map((p) => ({ pod: p, why: notRunningReason(p) })).filter((b) => b.why !== undefined);
  if (broken.length === 0) return [];
  const all = broken.length === ctx.backends.length;
  const svc = ctx.service ? `${ctx.service.metadata.namespace ?? "default"}/${ctx.service.metadata.name}` : "";
  return [
    finding("PodNotRunning", all ? "Critical" : "Warning", {
      target: ctx.target.name,
      message: `${all ? "No" : `${broken.length} of ${ctx.backends.length}`} pod${all ? "" : "s"} behind Service ${svc} ${all ? "is running" : "are not running"}: ${broken
        .slice(0, 5)
        .map((b) => `${b.pod.metadata.name} ${b.why}`)
        .join("; ")}`,
      evidence: broken.map((b) => `${b.pod.metadata.name}: ${b.why}`),
      remediation: "Fix the pods first (kubectl describe pod / kubectl logs --previous); the network is not the problem yet",
      escalateTo: "App",
    }),
  ];
};
