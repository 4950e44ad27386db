/**
 * SourcePodNotFound: spec.source.podSelector matches no live pod in the diagnosis'
 * namespace, so the probe cannot copy its labels (source.ts decides, once per
 * evaluation; this step reports it in method order).
 *
 * @module
 */
import type { ClusterAnalyzer } from "../context.ts";

export const sourcePodExists: ClusterAnalyzer = (ctx) => [...ctx.sourceFindings];
