/**
 * NodeNotReady: a node on the path (one hosting a backend pod or a probe) is not Ready.
 * Judged only for nodes the snapshot lists.
 *
 * @module
 */
import type { TargetAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";

export const nodesReady: TargetAnalyzer = (ctx) => {
  const names = new Set<string>();
  for (const p of ctx.backends) if (p.spec?.nodeName) names.add(p.spec.nodeName);
  for (const o of ctx.observations) if (o.node) names.add(o.node);
  const bad = [...names]
    .map((n) => ({ n, ready: ctx.idx.nodes.get(n)?.status?.conditions?.find((c) => c.type === "Ready") }))
    .filter((x) => x.ready !== undefined && x.ready.status !== "True");
  return bad.map((b) =>
    finding("NodeNotReady", "Critical", {
      target: ctx.target.name,
      message: `Node ${b.n} on the path of target ${ctx.target.name} is not Ready (${b.ready?.reason ?? b.ready?.status}${b.ready?.message ? `: ${b.ready.message}` : ""})`,
      remediation: `kubectl describe node ${b.n}; check kubelet and the container runtime on it`,
      escalateTo: "Cloud/Infra",
    }),
  );
};
