/**
 * Reads a probe RESULT from the container termination message (compact JSON) or from a
 * log that contains a `NETDIAG_RESULT <json>` line. Never throws: a bad result is a value
 * the caller turns into a ProbeFailed finding.
 *
 * @module
 */
import { type ProbeResult, ProbeResultSchema } from "../api/probe-contract.ts";

export type ParsedProbeResult = { ok: true; result: ProbeResult } | { ok: false; error: string };

const MARKER = "NETDIAG_RESULT ";

function jsonText(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) return trimmed;
  const lines = trimmed.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? "";
    const at = line.indexOf(MARKER);
    if (at >= 0) return line.slice(at + MARKER.length).trim();
  }
  return undefined;
}

/**
 * Parses a termination message or a log.
 * @example parseProbeResult('NETDIAG_RESULT {"version":1,...}') // { ok: true, result }
 */
export function parseProbeResult(text: string): ParsedProbeResult {
  const json = jsonText(text);
  if (json === undefined) return { ok: false, error: "no probe result: neither JSON nor a NETDIAG_RESULT line" };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    return { ok: false, error: `probe result is not valid JSON: ${(e as Error).message}` };
  }
  const r = ProbeResultSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { ok: false, error: `probe result does not match contract v1: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"}` };
  }
  return { ok: true, result: r.data };
}
