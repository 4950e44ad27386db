/**
 * Renders a live NetworkDiagnosis' status for people: the verdict (root cause, why, fix,
 * owner), a per-target table of the method's layers, and every finding. Pure.
 *
 * @module
 */
import type { Status } from "../api/status.ts";

const MARK: Record<string, string> = { Passed: "ok", Failed: "FAIL", Warning: "warn", Skipped: "-" };

export function statusReport(name: string, s: Status | undefined): string {
  const lines: string[] = [];
  const healthy = s?.conditions?.find((c) => c.type === "Healthy");
  const run = s?.lastRun;
  lines.push(`NetworkDiagnosis ${name}: Healthy=${healthy?.status ?? "Unknown"}${run ? ` (run ${run.id}, ${run.durationSeconds ?? "?"}s)` : ""}`);
  const rc = s?.rootCause;
  if (rc) {
    lines.push(`  ROOT CAUSE  ${rc.code} (${rc.layer}${rc.target ? `, target ${rc.target}` : ""})`);
    lines.push(`  WHY         ${rc.message}`);
    if (rc.remediation) lines.push(`  FIX         ${rc.remediation}`);
    if (rc.escalateTo) lines.push(`  OWNER       ${rc.escalateTo}`);
  } else if (healthy?.status === "True") {
    lines.push(`  ${healthy.message}`);
  }
  const targets = s?.targets ?? [];
  if (targets.length) {
    const layers = [...new Set(targets.flatMap((t) => (t.layers ?? []).map((l) => l.layer)))];
    const head = ["target", ...layers];
    const rows = targets.map((t) => [
      t.name,
      ...layers.map((l) => {
        const x = t.layers?.find((y) => y.layer === l);
        return x ? `${MARK[x.outcome] ?? x.outcome}${x.latencyMs !== undefined && x.outcome !== "Skipped" ? ` ${Math.round(x.latencyMs)}ms` : ""}` : "";
      }),
    ]);
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
    const fmt = (r: string[]) => `  ${r.map((c, i) => c.padEnd(w[i] as number)).join("  ")}`.trimEnd();
    lines.push("", fmt(head), ...rows.map(fmt));
  }
  const findings = s?.findings ?? [];
  if (findings.length) {
    lines.push("", `  Findings (${findings.length}):`);
    for (const f of findings) {
      lines.push(`  [${f.severity}] ${f.code} (${f.layer}${f.target ? `, ${f.target}` : ""}): ${f.message}`);
      if (f.remediation) lines.push(`      fix: ${f.remediation}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
