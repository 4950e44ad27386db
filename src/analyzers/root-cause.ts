/**
 * The root-cause engine: orders findings (severity, then the method's step order, then
 * the code's place within its step — method.ts is the one list) and picks the primary
 * root cause — the first Critical/Warning finding that is not a Probe problem. Info never makes a diagnosis
 * unhealthy. When only the probe failed, health is unknown: healthy=false,
 * probeProblem=true, and the root cause is the probe finding, never a network code.
 *
 * @module
 */
import { Severities } from "../api/codes.ts";
import type { Finding, RootCause } from "../api/status.ts";
import { placeOf } from "./method.ts";

function rank(f: Finding): [number, number, number] {
  const p = placeOf(f.code);
  return [Severities.indexOf(f.severity), p.step, p.code];
}

/** Sorted copy: severity, then method order (step, then code within the step; stable otherwise). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, r: [...rank(f), i] }))
    .sort((a, b) => a.r.reduce((acc, v, k) => acc || v - (b.r[k] ?? 0), 0))
    .map((x) => x.f);
}

export interface Judgement {
  healthy: boolean;
  probeProblem: boolean;
  rootCause?: RootCause;
}

function toRootCause(f: Finding): RootCause {
  const rc: RootCause = { code: f.code, layer: f.layer, message: f.message };
  if (f.target !== undefined) rc.target = f.target;
  if (f.remediation !== undefined) rc.remediation = f.remediation;
  if (f.escalateTo !== undefined) rc.escalateTo = f.escalateTo;
  return rc;
}

/** Judges sorted findings. */
export function judge(sorted: readonly Finding[]): Judgement {
  const failing = sorted.filter((f) => f.severity !== "Info");
  const network = failing.find((f) => f.layer !== "Probe");
  const probe = failing.find((f) => f.layer === "Probe");
  const cause = network ?? probe;
  const j: Judgement = { healthy: failing.length === 0, probeProblem: probe !== undefined };
  if (cause) j.rootCause = toRootCause(cause);
  return j;
}
