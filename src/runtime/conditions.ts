/**
 * The one helper for status conditions. `setCondition` replaces the condition of the same
 * type, keeps `lastTransitionTime` when the status did not change, and always stamps
 * `observedGeneration`. It returns a new array (the caller sends the whole array: a merge
 * patch replaces arrays).
 *
 * @example setCondition(conds, { type: "Healthy", status: "False", reason: "ServiceSelectorMatchesNoPods", message }, 3, now)
 * @module
 */
import type { Condition } from "../api/status.ts";
import { rfc3339 } from "./time.ts";

export type ConditionInput = Pick<Condition, "type" | "status" | "reason" | "message">;

export function setCondition(conditions: readonly Condition[] | undefined, c: ConditionInput, generation: number | undefined, now: Date): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((x) => x.type === c.type);
  const prev = i >= 0 ? list[i] : undefined;
  const next: Condition = {
    type: c.type,
    status: c.status,
    reason: c.reason,
    message: c.message.length > 32_000 ? `${c.message.slice(0, 32_000)}…` : c.message,
    lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : rfc3339(now),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

export function getCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return getCondition(conditions, type)?.status === "True";
}
