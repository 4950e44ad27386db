/**
 * Checks a finished diagnosis against a scenario's expect.yaml (format in
 * shared/scenarios/README.md): healthy, rootCause (one code or a list of acceptable ones),
 * findings that must appear, codes that must be absent, substrings the root-cause message
 * must mention, substrings some finding's evidence must hold (node and pod evidence) — and, for a healthy scenario, no finding above Info. Pure: returns the
 * list of failed expectations in words.
 *
 * @module
 */
import { z } from "zod";

export const ExpectSchema = z.object({
  description: z.string().optional(),
  healthy: z.enum(["True", "False"]).optional(),
  rootCause: z.union([z.string(), z.array(z.string())]).optional(),
  findings: z.array(z.string()).optional(),
  absent: z.array(z.string()).optional(),
  mentions: z.array(z.string()).optional(),
  /** Substrings that some finding's evidence line must contain. */
  evidence: z.array(z.string()).optional(),
  setup: z.array(z.array(z.string())).optional(),
  teardown: z.array(z.array(z.string())).optional(),
  /** Ready nodes the scenario needs (cross-node faults need the two-node lab). */
  nodes: z.number().int().min(1).max(2).optional(),
  /** Lab faults, run as `scripts/lab/node/link <args>` before (setup) and after (teardown) the scenario. */
  lab: z
    .object({
      setup: z.array(z.array(z.string().regex(/^[a-z0-9-]+$/))).optional(),
      teardown: z.array(z.array(z.string().regex(/^[a-z0-9-]+$/))).optional(),
    })
    .optional(),
});
export type Expect = z.infer<typeof ExpectSchema>;

export interface ObservedStatus {
  conditions?: { type: string; status: string }[];
  rootCause?: { code: string; message: string };
  findings?: { code: string; severity?: string; evidence?: string[] }[];
}

export function checkExpect(e: Expect, s: ObservedStatus | undefined): string[] {
  const problems: string[] = [];
  const healthy = s?.conditions?.find((c) => c.type === "Healthy")?.status;
  if (e.healthy !== undefined && healthy !== e.healthy) problems.push(`Healthy is ${healthy ?? "absent"}, expected ${e.healthy}`);
  // a healthy path must raise no alarm: nothing above Info
  const alarms = e.healthy === "True" ? (s?.findings ?? []).filter((f) => f.severity !== undefined && f.severity !== "Info") : [];
  if (alarms.length) problems.push(`findings above Info on a healthy path: ${alarms.map((f) => f.code).join(", ")}`);
  const rc = s?.rootCause?.code;
  if (e.rootCause !== undefined) {
    const ok = Array.isArray(e.rootCause) ? e.rootCause : [e.rootCause];
    if (!rc || !ok.includes(rc)) problems.push(`rootCause is ${rc ?? "absent"}, expected ${ok.join(" or ")}`);
  }
  const codes = new Set((s?.findings ?? []).map((f) => f.code));
  for (const c of e.findings ?? []) if (!codes.has(c)) problems.push(`finding ${c} is missing`);
  for (const c of e.absent ?? []) if (codes.has(c)) problems.push(`finding ${c} must not appear`);
  const msg = s?.rootCause?.message ?? "";
  for (const m of e.mentions ?? []) if (!msg.includes(m)) problems.push(`rootCause.message does not mention "${m}"`);
  const lines = (s?.findings ?? []).flatMap((f) => f.evidence ?? []);
  for (const m of e.evidence ?? []) if (!lines.some((l) => l.includes(m))) problems.push(`no finding's evidence mentions "${m}"`);
  return problems;
}

/** An analyzer verdict in the shape of a status, to check it against expect.yaml. */
export function verdictStatus(v: {
  healthy: boolean;
  rootCause?: { code: string; message: string };
  findings: { code: string; severity?: string; evidence?: string[] }[];
}): ObservedStatus {
  return { conditions: [{ type: "Healthy", status: v.healthy ? "True" : "False" }], ...(v.rootCause ? { rootCause: v.rootCause } : {}), findings: v.findings };
}
