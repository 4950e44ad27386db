/**
 * When to run a diagnosis: pure decision over the object and the clock. A run starts when
 * the diagnosis has never run, its spec changed (generation), the `netdiag.dev/run-now`
 * annotation has a value not yet served, or its cron schedule is due. Runs never overlap:
 * while `status.activeRun` is set the current run is continued instead.
 *
 * @module
 */
import { parseCron, nextFire } from "../api/cron.ts";
import { Annotations } from "../api/group.ts";
import type { Status } from "../api/status.ts";

export type Trigger = "create" | "spec-change" | "run-now" | "schedule";

export interface RunDecision {
  /** Start a run now, for this reason. */
  start?: Trigger;
  /** The next scheduled run, when there is a schedule. */
  nextRunAt?: Date;
}

export interface ScheduleInput {
  generation: number | undefined;
  annotations: Record<string, string> | undefined;
  status: Status | undefined;
  schedule: string | undefined;
  now: Date;
}

export function decideRun(i: ScheduleInput): RunDecision {
  const s = i.status ?? {};
  const next = (): Date | undefined => {
    if (!i.schedule) return undefined;
    const from = s.lastRun?.startTime ? new Date(s.lastRun.startTime) : i.now;
    return nextFire(parseCron(i.schedule), from);
  };
  if (!s.lastRun) return { start: "create" };
  if (s.observedGeneration !== i.generation) return { start: "spec-change" };
  const runNow = i.annotations?.[Annotations.RunNow];
  if (runNow !== undefined && runNow !== "" && runNow !== s.runNowServed) return { start: "run-now" };
  const at = next();
  if (at && at.getTime() <= i.now.getTime()) return { start: "schedule" };
  return at ? { nextRunAt: at } : {};
}
