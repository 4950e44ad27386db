/**
 * Where probes stand (spec.source): one probe in the diagnosis' namespace by default, or
 * one per selected node (`source.nodes`), skipping with an Info finding the nodes that are
 * NotReady or cordoned, control-plane nodes (unless the admin allows them) and nodes with
 * a NoSchedule/NoExecute taint the admin did not list as tolerable. A probe tolerates only
 * the listed taints, never "everything". Whether fan-out is allowed at all is decided
 * before, in admin-policy.ts. Pure.
 *
 * @module
 */
import type { Spec } from "../api/spec.ts";
import type { Finding } from "../api/status.ts";
import { compileSelector } from "../model/selector.ts";
import { isControlPlane, taintTolerable } from "./admin-policy.ts";

export interface NodeView {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

export interface Placement {
  index: number;
  nodeName?: string;
  tolerations?: unknown[];
}

/** What the admin allows a node probe to stand on (see AdminPolicy). */
export interface NodeRules {
  allowControlPlaneNodes: boolean;
  tolerableTaints: readonly string[];
}

const NoNodeRules: NodeRules = { allowControlPlaneNodes: false, tolerableTaints: [] };

function skipReason(n: NodeView, rules: NodeRules): { why: string; fix: string } | undefined {
  const ready = n.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
  if (!ready) return { why: "it is NotReady", fix: "Check the kubelet and the node's conditions (kubectl describe node)." };
  if (n.spec?.unschedulable) return { why: "it is cordoned", fix: "Uncordon the node to probe from it." };
  if (!rules.allowControlPlaneNodes && isControlPlane(n.metadata.labels)) {
    return { why: "it is a control-plane node", fix: "A cluster admin can allow control-plane nodes with the operator's --probe-control-plane-nodes." };
  }
  const blocking = (n.spec?.taints ?? []).filter((t) => t.effect !== "PreferNoSchedule" && !taintTolerable(t, rules.tolerableTaints));
  if (blocking.length) {
    const keys = blocking.map((t) => `${t.key}:${t.effect}`).join(", ");
    return {
      why: `it has taint(s) ${keys} that probes may not tolerate`,
      fix: "A cluster admin can list tolerable taints in the operator's --probe-tolerate-taints.",
    };
  }
  return undefined;
}

export function placeProbes(spec: Spec, nodes: readonly NodeView[], rules: NodeRules = NoNodeRules): { placements: Placement[]; findings: Finding[] } {
  const sel = spec.source?.nodes;
  if (!sel) return { placements: [{ index: 0 }], findings: [] };
  const findings: Finding[] = [];
  const names = sel.names ? new Set(sel.names) : undefined;
  const chosen = nodes
    .filter((n) => (names ? names.has(n.metadata.name) : true))
    .filter((n) => (sel.selector ? compileSelector(sel.selector).matches(n.metadata.labels) : true))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const placements: Placement[] = [];
  for (const n of chosen) {
    const skip = skipReason(n, rules);
    if (skip) {
      findings.push({
        code: "NodeSkipped",
        severity: "Info",
        layer: "Node",
        source: n.metadata.name,
        message: `node ${n.metadata.name} was skipped: ${skip.why}`,
        remediation: skip.fix,
      });
      continue;
    }
    const tolerations = (n.spec?.taints ?? [])
      .filter((t) => t.effect !== "PreferNoSchedule")
      .map((t) => ({ key: t.key, operator: "Exists", effect: t.effect }));
    placements.push({ index: placements.length, nodeName: n.metadata.name, ...(tolerations.length ? { tolerations } : {}) });
  }
  for (const name of names ?? []) {
    if (!nodes.some((n) => n.metadata.name === name)) {
      findings.push({ code: "NodeSkipped", severity: "Info", layer: "Node", source: name, message: `node ${name} does not exist` });
    }
  }
  return { placements, findings };
}
