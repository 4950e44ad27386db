/**
 * Checks a finished diagnosis against a scenario's expect.yaml (format in
 * shared/scenarios/README.md): healthy, rootCause (one code or a list of acceptable ones),
 * findings that must appear, codes that must be absent, substrings the root-cause message
 * must mention. Pure: returns the list of failed expectations in words.
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
  setup: z.array(z.array(z.string())).optional(),
  teardown: z.array(z.array(z.string())).optional(),
});
export type Expect = z.infer<typeof ExpectSchema>;

export interface ObservedStatus {
  conditions?: { type: string; status: string }[];
  rootCause?: { code: string; message: string };
  findings?: { code: string; severity?: string }[];
}

export function checkExpect(e: Expect, s: ObservedStatus | undefined): string[] {
  const problems: string[] = [];
  const healthy = s?.conditions?.find((c) => c.type === "Healthy")?.status;
  if (e.healthy !== undefined && healthy !== e.healthy) problems.push(`Healthy is ${healthy ?? "absent"}, expected ${e.healthy}`);
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
  return problems;
}
