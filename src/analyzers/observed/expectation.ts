/**
 * ExpectedBlockButReachable: the target has `expect: Blocked`, yet the probe connected —
 * or, without probe data, the static verdict allows the flow. The message names the rule
 * that admitted it, or says that no NetworkPolicy isolates the destination. A blocked
 * attempt is the healthy outcome here.
 *
 * @module
 */
import type { SideVerdict } from "../../policy/flow.ts";
import { labelsText } from "../../model/selector.ts";
import type { TargetAnalyzer, TargetContext } from "../context.ts";
import { finding } from "../finding.ts";
import { attempts, attemptText, reach } from "./reach.ts";

function sideWords(ctx: TargetContext, side: SideVerdict): string {
  if (side.allowedBy) return `${side.direction} rule ${side.allowedBy.rule} of policy ${side.allowedBy.policy} (${side.allowedBy.namespace}) admits it`;
  if (side.isolated)
    return `policies ${side.policies.map((p) => p.name).join(", ")} should deny ${side.direction}, yet the connection went through: is NetworkPolicy enforced by the CNI?`;
  if (side.direction === "ingress") {
    const sel = ctx.service?.spec?.selector;
    const who = sel ? labelsText(sel) : (ctx.path[0]?.peer.name ?? ctx.target.name);
    return `no NetworkPolicy isolates ${who} for ingress${ctx.service ? ` in namespace ${ctx.service.metadata.namespace ?? "default"}` : ""}`;
  }
  return `no NetworkPolicy isolates the source ${labelsText(ctx.source.labels)} for egress`;
}

export const expectation: TargetAnalyzer = (ctx) => {
  if (ctx.resolved.expect !== "Blocked") return [];
  const tries = attempts(ctx);
  const connected = tries.filter((o) => reach(o.check) === "connected");
  const flow = ctx.path.find((f) => f.verdict.allowed) ?? ctx.path[0];
  const staticOpen = tries.length === 0 && flow !== undefined && !flow.assumed && ctx.path.some((f) => f.verdict.allowed);
  if (connected.length === 0 && !staticOpen) return [];
  const why = flow ? `${sideWords(ctx, flow.verdict.ingress)}; ${sideWords(ctx, flow.verdict.egress)}` : "no NetworkPolicy applies";
  const how =
    connected.length > 0
      ? `the probe connected to ${connected.slice(0, 2).map(attemptText).join(", ")}`
      : `NetworkPolicy allows ${ctx.source.name} -> ${flow?.peer.name} ${flow?.protocol}/${flow?.port}`;
  return [
    finding("ExpectedBlockButReachable", "Critical", {
      target: ctx.target.name,
      source: connected[0]?.probe,
      message: `Target ${ctx.target.name} must be blocked, but ${how}: ${why}`,
      evidence: flow ? [flow.verdict.text] : [],
      remediation: `Add a NetworkPolicy that selects the destination for ingress (and admits only the intended clients), e.g. a default-deny in its namespace`,
      escalateTo: "App",
    }),
  ];
};
