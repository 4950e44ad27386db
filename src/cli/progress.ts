/**
 * Live progress of a NetworkDiagnosis run, as data: where the run is (waiting for the
 * operator, probing, waiting for the verdict), and per probe pod its phase and, per
 * target, one cell per layer — pending while the pod runs (the layers come from the plan
 * the operator gave the pod, NETDIAG_PLAN), then the probe's outcome once the pod has
 * left its result in the termination message. Pure: API objects and the clock in, a view
 * out; display.ts draws it (an updating frame on a TTY, plain lines otherwise).
 *
 * The cells are raw probe outcomes (`ok`, `refused`, `nxdomain`, ...); what they mean is
 * decided by the operator's analyzers and shown in the report that follows.
 *
 * @module
 */
import { RowMetricCheck, type TargetRow, TargetRows } from "../api/codes.ts";
import { type CheckResult, ProbePlanSchema, ProbeResultSchema } from "../api/probe-contract.ts";
import type { Status } from "../api/status.ts";

export interface ProbePod {
  metadata: { name: string; creationTimestamp?: string; labels?: Record<string, string> };
  spec?: { nodeName?: string; containers?: { name: string; env?: { name: string; value?: string }[] }[] };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; reason?: string }[];
    containerStatuses?: {
      name: string;
      state?: {
        waiting?: { reason?: string };
        running?: { startedAt?: string };
        terminated?: { exitCode?: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string };
      };
    }[];
  };
}

/** One layer of one target as seen by one probe pod: "pending" until the pod has a result. */
export interface Cell {
  row: TargetRow;
  outcome: "pending" | "not run" | string;
  ms?: number;
}

export interface ProbeView {
  name: string;
  node?: string;
  /** Pending (why), Running, Done, Failed (why). */
  state: string;
  done: boolean;
  seconds?: number;
  targets: { name: string; cells: Cell[] }[];
}

export type Stage = "waiting" | "probing" | "verdict";

export interface ProgressView {
  diagnosis: string;
  stage: Stage;
  runId?: string;
  trigger?: string;
  elapsedMs: number;
  probes: ProbeView[];
}

/** The layer-table row a probe check belongs to: the row whose metric check it is; path checks (route, trace, mtu) are L3. */
export function rowOfCheck(check: string): TargetRow | undefined {
  const row = TargetRows.find((r) => RowMetricCheck[r] === check);
  if (row) return row;
  return ["route", "trace", "mtu"].includes(check) ? "L3" : undefined;
}

const latency = (c: CheckResult): number | undefined => c.detail.queryTimeMs ?? c.detail.connectMs ?? c.detail.timings?.total ?? c.durationMs;

function cells(planned: readonly string[], results: readonly CheckResult[] | undefined): Cell[] {
  const rows = TargetRows.filter((r) => planned.some((c) => rowOfCheck(c) === r) || results?.some((c) => rowOfCheck(c.check) === r));
  return rows.map((row) => {
    if (!results) return { row, outcome: "pending" };
    const mine = results.filter((c) => rowOfCheck(c.check) === row);
    if (mine.length === 0) return { row, outcome: "not run" };
    const bad = mine.find((c) => c.outcome !== "ok");
    const pick = bad ?? mine[0];
    const ms = pick ? latency(pick) : undefined;
    return { row, outcome: bad ? bad.outcome : "ok", ...(ms !== undefined ? { ms: Math.round(ms) } : {}) };
  });
}

function plan(pod: ProbePod): Map<string, string[]> {
  const raw = pod.spec?.containers?.find((c) => c.name === "probe")?.env?.find((e) => e.name === "NETDIAG_PLAN")?.value;
  const out = new Map<string, string[]>();
  if (!raw) return out;
  try {
    const p = ProbePlanSchema.safeParse(JSON.parse(raw));
    if (p.success) for (const t of p.data.targets) out.set(t.name, [...new Set(t.checks.map((c) => c.check))]);
  } catch {}
  return out;
}

function result(message: string | undefined): Map<string, CheckResult[]> | undefined {
  if (!message?.trim().startsWith("{")) return undefined;
  try {
    const r = ProbeResultSchema.safeParse(JSON.parse(message));
    return r.success ? new Map(r.data.targets.map((t) => [t.name, t.checks])) : undefined;
  } catch {
    return undefined;
  }
}

const secondsBetween = (a?: string, b?: string) => (a && b ? Math.round((Date.parse(b) - Date.parse(a)) / 100) / 10 : undefined);

/** One probe pod's progress. */
export function probeView(pod: ProbePod): ProbeView {
  const c = pod.status?.containerStatuses?.find((x) => x.name === "probe") ?? pod.status?.containerStatuses?.[0];
  const term = c?.state?.terminated;
  const planned = plan(pod);
  const results = term ? result(term.message) : undefined;
  const names = [...new Set([...planned.keys(), ...(results?.keys() ?? [])])];
  const targets = names.map((name) => ({ name, cells: cells(planned.get(name) ?? [], term ? (results?.get(name) ?? []) : undefined) }));
  let state: string;
  if (term) state = results ? "Done" : `Failed (exit ${term.exitCode ?? "?"}${term.reason ? `, ${term.reason}` : ""}, no result)`;
  else if (c?.state?.running) state = "Running";
  else if (pod.status?.phase === "Failed" || pod.status?.phase === "Succeeded") state = `Failed (${pod.status.phase})`;
  else {
    const sched = pod.status?.conditions?.find((x) => x.type === "PodScheduled");
    const why = c?.state?.waiting?.reason ?? (sched?.status === "False" ? (sched.reason ?? "Unschedulable") : pod.spec?.nodeName ? "starting" : "scheduling");
    state = `Pending (${why})`;
  }
  const seconds = secondsBetween(term?.startedAt, term?.finishedAt);
  return {
    name: pod.metadata.name,
    ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
    state,
    done: term !== undefined || state.startsWith("Failed"),
    ...(seconds !== undefined ? { seconds } : {}),
    targets,
  };
}

/** The run's progress from the diagnosis' status and its probe pods. */
export function progressView(diagnosis: string, s: Status | undefined, pods: readonly ProbePod[], elapsedMs: number): ProgressView {
  const run = s?.activeRun;
  const probes = [...pods].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).map(probeView);
  const stage: Stage = !run ? "waiting" : probes.length > 0 && probes.every((p) => p.done) ? "verdict" : "probing";
  return { diagnosis, stage, ...(run ? { runId: run.id } : {}), ...(run?.trigger ? { trigger: run.trigger } : {}), elapsedMs, probes };
}
