/**
 * Turns a run's verdict into the next status, and says which Event the change deserves.
 * Pure. Conditions go through the one `setCondition` helper; an Event is due only when
 * Healthy changes status or the root cause changes (transitions, not every run).
 *
 * @module
 */
import { ConditionTypes, Reasons } from "../api/codes.ts";
import type { Finding, HistoryEntry, RootCause, Run, Status, TargetStatus } from "../api/status.ts";
import { getCondition, setCondition } from "../runtime/conditions.ts";
import { rfc3339 } from "../runtime/time.ts";

export const MAX_FINDINGS = 50;

export interface VerdictLike {
  healthy: boolean;
  probeProblem?: boolean;
  rootCause?: RootCause;
  findings: Finding[];
  targets: TargetStatus[];
}

export interface EventDue {
  type: "Normal" | "Warning";
  reason: string;
  action: string;
  note: string;
}

export interface FinishInput {
  prev: Status | undefined;
  generation: number | undefined;
  run: Run;
  verdict: VerdictLike;
  now: Date;
  historyLimit: number;
  nextRunAt?: Date;
}

/** The status after a finished run, and the Event to emit (if any). */
export function finishRun(i: FinishInput): { status: Status; event?: EventDue } {
  const { verdict: v, prev } = i;
  const durationSeconds = Math.round((i.now.getTime() - Date.parse(i.run.startTime)) / 10) / 100;
  const run: Run = { ...i.run, completionTime: rfc3339(i.now), durationSeconds };
  const healthStatus = v.probeProblem ? "Unknown" : v.healthy ? "True" : "False";
  const reason = v.probeProblem ? Reasons.ProbeProblem : v.healthy ? Reasons.AllChecksPassed : (v.rootCause?.code ?? "Unhealthy");
  const message = v.rootCause?.message ?? (v.healthy ? `all ${v.targets.length} target(s) behaved as expected` : "unhealthy");
  let conditions = setCondition(
    prev?.conditions,
    { type: ConditionTypes.Completed, status: "True", reason: Reasons.RunFinished, message: `run ${run.id} finished in ${durationSeconds}s` },
    i.generation,
    i.now,
  );
  conditions = setCondition(conditions, { type: ConditionTypes.Healthy, status: healthStatus, reason, message }, i.generation, i.now);
  const history: HistoryEntry[] = [
    {
      id: run.id,
      startTime: run.startTime,
      completionTime: run.completionTime,
      healthy: v.healthy && !v.probeProblem,
      ...(v.rootCause ? { rootCause: v.rootCause.code } : {}),
      findings: v.findings.length,
    },
    ...(prev?.history ?? []).filter((h) => h.id !== run.id),
  ].slice(0, i.historyLimit);
  const status: Status = {
    observedGeneration: i.generation,
    conditions,
    lastRun: run,
    ...(i.nextRunAt ? { nextRunTime: rfc3339(i.nextRunAt) } : {}),
    ...(prev?.runNowServed !== undefined ? { runNowServed: prev.runNowServed } : {}),
    ...(v.rootCause ? { rootCause: v.rootCause } : {}),
    findings: v.findings.slice(0, MAX_FINDINGS), // already sorted by severity, then layer
    ...(v.findings.length > MAX_FINDINGS ? { findingsTruncated: v.findings.length - MAX_FINDINGS } : {}),
    targets: v.targets,
    history,
  };
  const before = getCondition(prev?.conditions, ConditionTypes.Healthy);
  const changed = before?.status !== healthStatus || (healthStatus === "False" && prev?.rootCause?.code !== v.rootCause?.code);
  let event: EventDue | undefined;
  if (changed) {
    event =
      healthStatus === "True"
        ? { type: "Normal", reason: "Healthy", action: "Diagnose", note: message }
        : healthStatus === "False"
          ? {
              type: "Warning",
              reason: v.rootCause?.code ?? "Unhealthy",
              action: "Diagnose",
              note: `root cause ${v.rootCause?.code ?? "unknown"}${v.rootCause?.target ? ` (target ${v.rootCause.target})` : ""}: ${message}`,
            }
          : { type: "Warning", reason: Reasons.ProbeProblem, action: "Diagnose", note: message };
  }
  return { status, ...(event ? { event } : {}) };
}

/** The status while a run is in progress. */
export function startRun(prev: Status | undefined, generation: number | undefined, run: Run, now: Date, runNowServed: string | undefined): Status {
  const conditions = setCondition(
    prev?.conditions,
    { type: ConditionTypes.Completed, status: "False", reason: Reasons.Running, message: `run ${run.id} (${run.trigger}) in progress` },
    generation,
    now,
  );
  const healthy = getCondition(conditions, ConditionTypes.Healthy)
    ? conditions
    : setCondition(
        conditions,
        { type: ConditionTypes.Healthy, status: "Unknown", reason: Reasons.NotYetRun, message: "no run has finished yet" },
        generation,
        now,
      );
  const { nextRunTime: _n, ...rest } = prev ?? {};
  return { ...rest, observedGeneration: generation, conditions: healthy, activeRun: run, ...(runNowServed !== undefined ? { runNowServed } : {}) };
}

/** The status for a spec that cannot run: terminal until the spec changes. */
export function invalidSpec(prev: Status | undefined, generation: number | undefined, message: string, now: Date): { status: Status; event?: EventDue } {
  return cannotRun(prev, generation, Reasons.InvalidSpec, message, now);
}

/**
 * The status for a spec that cannot run (invalid, or not allowed by the admin's policy):
 * terminal until the spec changes; the Event only when the reason or message is new.
 */
export function cannotRun(
  prev: Status | undefined,
  generation: number | undefined,
  reason: typeof Reasons.InvalidSpec | typeof Reasons.NotAllowedByPolicy,
  message: string,
  now: Date,
): { status: Status; event?: EventDue } {
  let conditions = setCondition(prev?.conditions, { type: ConditionTypes.Completed, status: "False", reason, message }, generation, now);
  const what = reason === Reasons.InvalidSpec ? "the spec is invalid" : "the spec is not allowed by the operator's policy";
  conditions = setCondition(
    conditions,
    { type: ConditionTypes.Healthy, status: "Unknown", reason, message: `${what}; see the Completed condition` },
    generation,
    now,
  );
  if (reason === Reasons.NotAllowedByPolicy)
    conditions = setCondition(conditions, { type: ConditionTypes.SpecAllowed, status: "False", reason, message }, generation, now);
  const was = getCondition(prev?.conditions, ConditionTypes.Completed);
  const status: Status = { ...(prev ?? {}), observedGeneration: generation, conditions };
  delete status.activeRun;
  const event: EventDue | undefined =
    was?.reason === reason && was.message === message ? undefined : { type: "Warning", reason, action: "Validate", note: message };
  return { status, ...(event ? { event } : {}) };
}

/**
 * The SpecAllowed condition for a run that goes ahead: True within the admin's policy,
 * False when something the spec asked for was replaced (the notice says what and why).
 * The Event is due only when the condition turns False or its message changes.
 */
export function specAllowed(prev: Status, generation: number | undefined, notice: string | undefined, now: Date): { status: Status; event?: EventDue } {
  const cond = notice
    ? { type: ConditionTypes.SpecAllowed, status: "False" as const, reason: Reasons.ProbeImageNotAllowed, message: notice }
    : { type: ConditionTypes.SpecAllowed, status: "True" as const, reason: Reasons.WithinPolicy, message: "the spec is within the operator's policy" };
  const was = getCondition(prev.conditions, ConditionTypes.SpecAllowed);
  const status: Status = { ...prev, conditions: setCondition(prev.conditions, cond, generation, now) };
  const event: EventDue | undefined =
    notice && (was?.status !== "False" || was.message !== notice)
      ? { type: "Warning", reason: Reasons.ProbeImageNotAllowed, action: "Admit", note: notice }
      : undefined;
  return { status, ...(event ? { event } : {}) };
}
