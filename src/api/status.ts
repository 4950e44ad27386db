/**
 * The NetworkDiagnosis status as a zod schema (also the CRD's status schema). Only the
 * controller writes it, through the /status subresource.
 *
 * @module
 */
import { z } from "zod";
import { EscalationTargets, Layers, Severities } from "./codes.ts";

/** A condition in the shape of the Kubernetes API conventions (metav1.Condition). */
export const ConditionSchema = z.object({
  type: z.string().min(1).max(316),
  status: z.enum(["True", "False", "Unknown"]),
  reason: z.string().min(1).max(1024),
  message: z.string().max(32768),
  lastTransitionTime: z.string(),
  observedGeneration: z.number().int().min(0).optional(),
});
export type Condition = z.infer<typeof ConditionSchema>;

export const FindingSchema = z.object({
  code: z.string().describe("Stable finding code, e.g. ServiceSelectorMatchesNoPods."),
  severity: z.enum(Severities),
  layer: z.enum(Layers),
  target: z.string().optional().describe("Target name; absent for findings about the diagnosis as a whole."),
  source: z.string().optional().describe("Probe pod or node the finding was observed from."),
  message: z.string(),
  evidence: z.array(z.string()).optional(),
  remediation: z.string().optional(),
  escalateTo: z.enum(EscalationTargets).optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const RootCauseSchema = z.object({
  code: z.string(),
  layer: z.enum(Layers),
  target: z.string().optional(),
  message: z.string(),
  remediation: z.string().optional(),
  escalateTo: z.enum(EscalationTargets).optional(),
});
export type RootCause = z.infer<typeof RootCauseSchema>;

export const RunSchema = z.object({
  id: z.string(),
  startTime: z.string(),
  completionTime: z.string().optional(),
  durationSeconds: z.number().optional(),
  trigger: z.string().optional().describe("create, spec-change, schedule or run-now."),
});
export type Run = z.infer<typeof RunSchema>;

export const LayerOutcomeSchema = z.object({
  layer: z.enum(Layers),
  outcome: z.enum(["Passed", "Failed", "Warning", "Skipped"]),
  detail: z.string().optional(),
  latencyMs: z.number().optional(),
});

export const TargetStatusSchema = z.object({
  name: z.string(),
  reachable: z.boolean().optional(),
  expect: z.enum(["Reachable", "Blocked"]).optional(),
  address: z.string().optional().describe("What was probed, e.g. 198.19.0.10:80."),
  layers: z.array(LayerOutcomeSchema).optional(),
  dnsLookupMs: z.number().optional(),
  certificateNotAfter: z.string().optional().describe("notAfter of the served TLS certificate (https targets)."),
});
export type TargetStatus = z.infer<typeof TargetStatusSchema>;

export const HistoryEntrySchema = z.object({
  id: z.string(),
  startTime: z.string(),
  completionTime: z.string().optional(),
  healthy: z.boolean(),
  rootCause: z.string().optional(),
  findings: z.number().int().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const StatusSchema = z.object({
  observedGeneration: z.number().int().optional(),
  conditions: z.array(ConditionSchema).optional(),
  lastRun: RunSchema.optional(),
  activeRun: RunSchema.optional().describe("The run in progress; lets a restarted operator resume it."),
  nextRunTime: z.string().optional(),
  runNowServed: z.string().optional().describe("Last value of the netdiag.dev/run-now annotation that was served."),
  rootCause: RootCauseSchema.optional(),
  findings: z.array(FindingSchema).optional(),
  findingsTruncated: z.number().int().optional().describe("How many findings were left out of status."),
  targets: z.array(TargetStatusSchema).optional(),
  history: z.array(HistoryEntrySchema).optional(),
});
export type Status = z.infer<typeof StatusSchema>;
