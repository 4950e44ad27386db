/**
 * Renders a verdict for `netdiag analyze`: JSON ({healthy, rootCause, findings,
 * targets}) or a human report — root cause, why, fix, then every finding.
 *
 * @module
 */
import type { Verdict } from "../analyzers/evaluate.ts";

export function jsonReport(v: Verdict): string {
  return `${JSON.stringify({ healthy: v.healthy, ...(v.rootCause ? { rootCause: v.rootCause } : {}), findings: v.findings, targets: v.targets }, null, 2)}\n`;
}

export function textReport(v: Verdict, title: string): string {
  const lines: string[] = [`netdiag analyze ${title} (offline: static checks only, no probes)`, ""];
  const rc = v.rootCause;
  if (v.healthy) lines.push("HEALTHY: no problem found in the manifests.");
  else if (rc) {
    lines.push(`UNHEALTHY: root cause ${rc.code} (${rc.layer}${rc.target ? `, target ${rc.target}` : ""})`);
    lines.push(`  Why: ${rc.message}`);
    if (rc.remediation) lines.push(`  Fix: ${rc.remediation}`);
    if (rc.escalateTo) lines.push(`  Owner: ${rc.escalateTo}`);
  }
  if (v.findings.length > 0) {
    lines.push("", `Findings (${v.findings.length}):`);
    for (const f of v.findings) {
      lines.push(`  [${f.severity}] ${f.code} (${f.layer}${f.target ? `, ${f.target}` : ""})`, `      ${f.message}`);
      for (const e of f.evidence ?? []) lines.push(`      - ${e}`);
      if (f.remediation) lines.push(`      fix: ${f.remediation}`);
    }
  }
  if (v.targets.length > 0) {
    lines.push("", "Targets:");
    for (const t of v.targets) {
      const layers = (t.layers ?? []).map((l) => `${l.layer} ${l.outcome}`).join(" | ");
      lines.push(`  ${t.name}${t.address ? ` (${t.address})` : ""}: ${layers}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
