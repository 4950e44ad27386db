/**
 * ServiceEndpointsNotReady (no ready endpoint: names the pods and their failing
 * readiness probe) and PodNotReady (Info: some endpoints are not ready, the Service
 * still serves). Readiness comes from the EndpointSlices when the snapshot has them,
 * else from the pods' Ready condition.
 *
 * @module
 */
import type { TargetAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";
import { key } from "../../model/snapshot-index.ts";
import { isReady, notRunningReason, readinessText } from "../../model/pod-state.ts";
import type { Pod } from "../../model/snapshot.ts";

function whyNotReady(p: Pod): string {
  const cond = p.status?.conditions?.find((c) => c.type === "Ready" && c.status !== "True");
  const probes = (p.spec?.containers ?? []).map(readinessText).filter((t): t is string => t !== undefined);
  const phase = p.status?.phase ?? "Unknown";
  const why = probes.length > 0 ? `failing ${probes.join("; ")}` : (cond?.message ?? "no reason given");
  return `${p.metadata.name} (${phase}, not Ready: ${why})`;
}

export const endpointsReady: TargetAnalyzer = (ctx) => {
  const svc = ctx.service;
  if (!svc || ctx.backends.length === 0) return [];
  const ns = svc.metadata.namespace ?? "default";
  const slices = ctx.idx.slicesByService.get(key(ns, svc.metadata.name));
  let ready: Set<string>;
  if (slices) {
    ready = new Set(
      slices.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).map((e) => e.targetRef?.name ?? e.addresses[0] ?? "")),
    );
  } else {
    ready = new Set(ctx.backends.filter(isReady).map((p) => p.metadata.name));
  }
  const notReady = ctx.backends.filter((p) => !ready.has(p.metadata.name) && notRunningReason(p) === undefined);
  const id = `Service ${ns}/${svc.metadata.name}`;
  if (ready.size === 0) {
    const unready = notReady.length > 0 ? notReady : ctx.backends;
    return [
      finding("ServiceEndpointsNotReady", "Critical", {
        target: ctx.target.name,
        message: `${id} has no ready endpoints: ${unready.slice(0, 5).map(whyNotReady).join("; ")}`,
        evidence: unready.slice(0, 10).map((p) => `pod ${p.metadata.name}: phase ${p.status?.phase ?? "?"}, Ready ${isReady(p)}`),
        remediation: "Make the readiness probe pass (check the port and path it probes against what the app serves), or fix the app so it becomes ready",
        escalateTo: "App",
      }),
    ];
  }
  if (notReady.length === 0) return [];
  return [
    finding("PodNotReady", "Info", {
      target: ctx.target.name,
      message: `${notReady.length} of ${ctx.backends.length} pods behind ${id} are not ready and receive no traffic: ${notReady.slice(0, 5).map(whyNotReady).join("; ")}`,
      escalateTo: "App",
    }),
  ];
};
