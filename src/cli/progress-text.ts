/**
 * Progress as text, two ways. `progressFrame`: the whole picture, redrawn in place on a
 * TTY (a spinner, the stage, one line per probe pod and one per target with a cell per
 * layer). `progressEvents`: the same facts as lines that only ever get added, for logs
 * and CI (a line is printed the first time it is seen). ASCII only. Pure.
 *
 * @module
 */
import type { Cell, ProbeView, ProgressView } from "./progress.ts";

const SPIN = ["-", "\\", "|", "/"];

/** After this long without a run, the waiting line says where to look. */
export const NO_RUN_HINT_MS = 10_000;

const cellText = (c: Cell) =>
  c.outcome === "pending" ? `${c.row} ..` : c.outcome === "not run" ? `${c.row} -` : `${c.row} ${c.outcome}${c.ms !== undefined ? ` ${c.ms}ms` : ""}`;

const probeHead = (p: ProbeView) => `probe ${p.name}${p.node ? ` on ${p.node}` : ""}: ${p.state}${p.seconds !== undefined ? ` in ${p.seconds}s` : ""}`;

function stageText(v: ProgressView): string {
  if (v.stage === "waiting") {
    const hint = v.elapsedMs > NO_RUN_HINT_MS ? " (none yet: is the operator running? kubectl get pods -A -l app.kubernetes.io/name=netdiag)" : "";
    return `waiting for the operator to start a run${hint}`;
  }
  if (v.stage === "verdict") return "probes done, waiting for the verdict";
  return v.probes.length === 0 ? "starting the probe pods" : `probing (${v.probes.filter((p) => p.done).length}/${v.probes.length} probe pods done)`;
}

/** The TTY frame; `tick` turns the spinner. */
export function progressFrame(v: ProgressView, tick: number): string {
  const lines = [
    `${SPIN[tick % SPIN.length]} ${v.diagnosis}${v.runId ? `  run ${v.runId}${v.trigger ? ` (${v.trigger})` : ""}` : ""}  ${(v.elapsedMs / 1000).toFixed(1)}s  ${stageText(v)}`,
  ];
  for (const p of v.probes) {
    lines.push(`  ${p.done ? (p.state === "Done" ? "[done]" : "[FAIL]") : "[....]"} ${probeHead(p)}`);
    const w = Math.max(0, ...p.targets.map((t) => t.name.length));
    for (const t of p.targets) lines.push(`         ${t.name.padEnd(w)}  ${t.cells.map(cellText).join("  ")}`);
  }
  return lines.join("\n");
}

/** Lines for a log: each describes a state that, once reached, stays true. */
export function progressEvents(v: ProgressView): string[] {
  const out: string[] = [];
  if (v.stage === "waiting" && v.elapsedMs > NO_RUN_HINT_MS) out.push(stageText(v));
  if (v.runId) out.push(`run ${v.runId} started${v.trigger ? ` (${v.trigger})` : ""}`);
  for (const p of v.probes) {
    if (!p.done) {
      out.push(probeHead(p));
      continue;
    }
    const layers = p.targets.map((t) => `${t.name}: ${t.cells.map(cellText).join(", ")}`).join("; ");
    out.push(`${probeHead(p)}${layers ? ` — ${layers}` : ""}`);
  }
  if (v.stage === "verdict") out.push(stageText(v));
  return out;
}
