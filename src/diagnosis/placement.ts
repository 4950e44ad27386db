/**
 * Where probes stand (spec.source): one probe in the diagnosis' namespace by default, or
 * one per selected node (`source.nodes`) with the node's taints tolerated, skipping
 * NotReady and cordoned nodes with an Info finding. Pure.
 *
 * @module
 */
import type { Spec } from "../api/spec.ts";
import type { Finding } from "../api/status.ts";
import { compileSelector } from "../policy/selector.ts";

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

export function placeProbes(spec: Spec, nodes: readonly NodeView[]): { placements: Placement[]; findings: Finding[] } {
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
    const ready = n.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
    if (!ready || n.spec?.unschedulable) {
      findings.push({
        code: "NodeSkipped",
        severity: "Info",
        layer: "Node",
        source: n.metadata.name,
        message: `node ${n.metadata.name} was skipped: ${!ready ? "it is NotReady" : "it is cordoned"}`,
        remediation: !ready ? "Check the kubelet and the node's conditions (kubectl describe node)." : "Uncordon the node to probe from it.",
      });
      continue;
    }
    const tolerations = (n.spec?.taints ?? []).map((t) => ({ key: t.key, operator: "Exists", effect: t.effect }));
    placements.push({ index: placements.length, nodeName: n.metadata.name, ...(tolerations.length ? { tolerations } : {}) });
  }
  for (const name of names ?? []) {
    if (!nodes.some((n) => n.metadata.name === name)) {
      findings.push({ code: "NodeSkipped", severity: "Info", layer: "Node", source: name, message: `node ${name} does not exist` });
    }
  }
  return { placements, findings };
}
