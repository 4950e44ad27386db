/**
 * Renders a live NetworkDiagnosis' status for people, root cause first: the verdict (root
 * cause, why, fix, owner), then the diagnosis and its run, a per-target table of the
 * method's layers, and every finding. `statusJson` is the same for machines. Pure.
 *
 * @module
 */
import type { Status } from "../api/status.ts";

const MARK: Record<string, string> = { Passed: "ok", Failed: "FAIL", Warning: "warn", Skipped: "-" };

export function statusReport(name: string, s: Status | undefined): string {
  const lines: string[] = [];
  const healthy = s?.conditions?.find((c) => c.type === "Healthy");
  const run = s?.lastRun;
  const rc = s?.rootCause;
  if (rc) {
    lines.push(`ROOT CAUSE  ${rc.code} (${rc.layer}${rc.target ? `, target ${rc.target}` : ""})`);
    lines.push(`WHY         ${rc.message}`);
    if (rc.remediation) lines.push(`FIX         ${rc.remediation}`);
    if (rc.escalateTo) lines.push(`OWNER       ${rc.escalateTo}`);
  } else if (healthy?.status === "True") {
    lines.push(`HEALTHY     ${healthy.message}`);
  } else {
    lines.push(`HEALTH      ${healthy?.status ?? "Unknown"}${healthy?.message ? `: ${healthy.message}` : ""}`);
  }
  lines.push("", `NetworkDiagnosis ${name}: Healthy=${healthy?.status ?? "Unknown"}${run ? ` (run ${run.id}, ${run.durationSeconds ?? "?"}s)` : ""}`);
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

/** The verdict for machines (`-o json`): health as true, false or null (unknown), then what the report shows. */
export function statusJson(namespace: string, name: string, s: Status | undefined): Record<string, unknown> {
  const h = s?.conditions?.find((c) => c.type === "Healthy")?.status;
  return {
    namespace,
    name,
    healthy: h === "True" ? true : h === "False" ? false : null,
    ...(s?.rootCause ? { rootCause: s.rootCause } : {}),
    ...(s?.lastRun ? { run: s.lastRun } : {}),
    findings: s?.findings ?? [],
    targets: s?.targets ?? [],
    conditions: s?.conditions ?? [],
  };
}

/** 0 healthy, 1 unhealthy or unknown. */
export const exitCodeOf = (s: Status | undefined): number => (s?.conditions?.find((c) => c.type === "Healthy")?.status === "True" ? 0 : 1);
