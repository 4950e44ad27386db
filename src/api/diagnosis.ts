/**
 * The NetworkDiagnosis resource: object shape and spec validation with messages that
 * say what to fix.
 *
 * @module
 */
import type { z } from "zod";
import { type Spec, SpecSchema } from "./spec.ts";
import type { ObjectMeta } from "./meta.ts";
import type { Status } from "./status.ts";

export type { ObjectMeta } from "./meta.ts";

/** A NetworkDiagnosis as read from the API server (spec not yet validated). */
export interface NetworkDiagnosis {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { namespace: string };
  spec?: unknown;
  status?: Status;
}

export type SpecResult = { ok: true; spec: Spec } | { ok: false; message: string };

/** Formats zod issues as "targets[0].port: a host target needs port; ...". */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => {
      const path = i.path.map((p, n) => (typeof p === "number" ? `[${p}]` : `${n === 0 ? "" : "."}${String(p)}`)).join("");
      return path ? `spec.${path}: ${i.message}` : `spec: ${i.message}`;
    })
    .join("; ");
}

/** Validates a spec; never throws. */
export function validateSpec(spec: unknown): SpecResult {
  const r = SpecSchema.safeParse(spec ?? {});
  return r.success ? { ok: true, spec: r.data } : { ok: false, message: describeIssues(r.error.issues) };
}
