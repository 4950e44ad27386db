/**
 * The entry point of analysis: snapshot + probe results in, verdict out. Pure and
 * synchronous (the reconcile's "evaluate" step; `netdiag analyze` calls it without
 * probes). Runs the method (method.ts): its cluster steps once, its target steps per
 * target in table order, and lets the root-cause engine judge. What a
 * finding about another namespace may show is decided by the tenancy rule (tenancy.ts):
 * the analyzers see everything, the verdict shows the diagnosis' namespace only what it
 * may see.
 *
 * @module
 */
import type { Spec } from "../api/spec.ts";
import type { NodeInspection } from "../api/node-inspection.ts";
import type { Finding, RootCause, TargetStatus } from "../api/status.ts";
import { clusterSteps, targetSteps } from "./method.ts";
import type { NamespaceHints, NodeInspectionNote, ProbeReport, TargetSockets } from "./context.ts";
import { judge, sortFindings } from "./root-cause.ts";
import { indexSnapshot } from "../model/snapshot-index.ts";
import type { Snapshot } from "../model/snapshot.ts";
import { sourceLabels, sourcePeer } from "./source.ts";
import { buildTargetContext } from "./target-context.ts";
import { targetStatus } from "./target-status.ts";
import { systemView, tenantView } from "./tenancy.ts";

export interface EvaluateInput {
  namespace: string;
  spec: Spec;
  snapshot: Snapshot;
  /** One report per probe pod; absent or empty = static analysis only (offline). */
  probes?: ProbeReport[];
  /** Target-side socket data ("namespace/pod" -> listening sockets), when inspected. */
  targetSockets?: TargetSockets;
  /** Node inspections of the run (ADR 0013): node counters; their sockets come as targetSockets. */
  nodeInspections?: readonly NodeInspection[];
  /** From the reconcile: whether node inspection ran, and which node probes failed. */
  nodeInspection?: NodeInspectionNote;
  now: Date;
  clusterDomain?: string;
  /** What probe placement decided before the run (NodeSkipped findings). */
  placement?: readonly Finding[];
  /** Which other namespaces findings may name (default: labelled ones only). */
  namespaceHints?: NamespaceHints;
}

export interface Verdict {
  healthy: boolean;
  rootCause?: RootCause;
  /** Sorted by severity, then layer order. */
  findings: Finding[];
  targets: TargetStatus[];
  /** Some probe could not run: health of the affected checks is unknown. */
  probeProblem: boolean;
}

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.code}\u0000${f.target ?? ""}\u0000${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Evaluates one diagnosis.
 * @example evaluate({ namespace: "shop", spec, snapshot, probes, now: new Date() }).rootCause?.code
 */
export function evaluate(input: EvaluateInput): Verdict {
  const idx = indexSnapshot(input.snapshot);
  const probes = input.probes ?? [];
  const clusterDomain = input.clusterDomain ?? "cluster.local";
  const src = sourceLabels(input.namespace, input.spec, input.snapshot);
  const podIP = probes.find((p) => p.result?.podIP)?.result?.podIP ?? undefined;
  const source = sourcePeer(input.namespace, input.spec, src, podIP);
  const clusterCtx = {
    idx,
    namespace: input.namespace,
    spec: input.spec,
    probes,
    now: input.now,
    placement: input.placement ?? [],
    sourceFindings: src.findings,
    nodeInspections: input.nodeInspections ?? [],
    ...(input.nodeInspection ? { nodeInspection: input.nodeInspection } : {}),
  };
  // cluster steps first: they read no target's findings, so running them up front keeps method order
  const byStep = clusterSteps.map((s) => ({ s, found: s.run(clusterCtx) }));
  const cluster = byStep.flatMap((x) => x.found);
  const all: Finding[] = byStep.flatMap(({ s, found }) => (s.about === "system" ? found.map((f) => systemView(f, input.namespace)) : found));
  const rows: TargetStatus[] = [];
  for (const target of input.spec.targets) {
    const ctx = buildTargetContext({
      idx,
      namespace: input.namespace,
      spec: input.spec,
      target,
      clusterDomain,
      now: input.now,
      source,
      probes,
      targetSockets: input.targetSockets,
      nodeInspections: input.nodeInspections,
      namespaceHints: input.namespaceHints ?? "labelled",
    });
    ctx.found = [...cluster];
    const blocked = ctx.resolved.expect === "Blocked";
    for (const step of targetSteps) {
      if (blocked && step.scope === "reachable") continue;
      let found = step.run(ctx);
      if (blocked && step.scope === "objects") found = found.map((f) => ({ ...f, severity: "Info" as const }));
      ctx.found.push(...found);
    }
    const mine = ctx.found.slice(cluster.length);
    all.push(...mine.map((f) => tenantView(f, ctx)));
    rows.push(targetStatus(ctx, [...cluster, ...mine]));
  }
  const findings = sortFindings(dedupe(all));
  const j = judge(findings);
  const verdict: Verdict = { healthy: j.healthy, findings, targets: rows, probeProblem: j.probeProblem };
  if (j.rootCause) verdict.rootCause = j.rootCause;
  return verdict;
}
