/**
 * Writes a custom resource's status through the /status subresource with a JSON merge
 * patch, only when it differs from what the cache holds. Top-level status fields that
 * disappeared are sent as null (merge patch deletes them); arrays are sent whole.
 *
 * @module
 */
import { deepEqual } from "../runtime/deep-equal.ts";
import type { Rest } from "./rest.ts";

/** The merge patch that turns `current` into `next` at the top level of status. */
export function statusPatch(current: Record<string, unknown> | undefined, next: Record<string, unknown>): Record<string, unknown> | undefined {
  if (deepEqual(current ?? {}, next)) return undefined;
  const patch: Record<string, unknown> = {};
  for (const k of Object.keys(current ?? {})) if (!(k in next) || next[k] === undefined) patch[k] = null;
  for (const [k, v] of Object.entries(next)) if (v !== undefined && !deepEqual(current?.[k], v)) patch[k] = v;
  return patch;
}

/** Returns the updated object, or undefined when nothing had to be written. */
export async function writeStatus<T>(
  rest: Pick<Rest, "patch">,
  objectPath: string,
  current: Record<string, unknown> | undefined,
  next: Record<string, unknown>,
): Promise<T | undefined> {
  const patch = statusPatch(current, next);
  if (!patch) return undefined;
  return rest.patch<T>(`${objectPath}/status`, { status: patch }, "MergePatch");
}
