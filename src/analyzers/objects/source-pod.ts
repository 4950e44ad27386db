/**
 * SourcePodNotFound: spec.source.podSelector matches no live pod in the diagnosis'
 * namespace, so the probe cannot copy its labels (source.ts decides; this step reports).
 *
 * @module
 */
import type { ClusterAnalyzer } from "../context.ts";
import { sourceLabels } from "../source.ts";

export const sourcePodExists: ClusterAnalyzer = (ctx) => sourceLabels(ctx.namespace, ctx.spec, ctx.idx.snapshot).findings;
