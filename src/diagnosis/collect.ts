/**
 * What a probe pod says, classified. Pure: pod status + clock in, one of
 * - `result`: the probe finished and left its JSON in the termination message
 *   (`needsLog` when the message was truncated and the full result is in the log);
 * - `failure`: the probe could not run (ProbeNotScheduled, ProbeImagePullFailed,
 *   ProbeTimedOut, ProbeFailed) — never a network failure of the target;
 * - `pending`: still running, look again later.
 *
 * @module
 */
import type { ProbeFailureCode } from "./types.ts";

export interface ProbePodView {
  metadata: { name: string; creationTimestamp?: string };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: {
      name: string;
      state?: {
        waiting?: { reason?: string; message?: string };
        terminated?: { exitCode?: number; reason?: string; message?: string };
      };
    }[];
  };
}

export type Collected = { kind: "result"; message: string } | { kind: "failure"; code: ProbeFailureCode; message: string } | { kind: "pending" };

const PULL_FAILURES = new Set(["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable"]);

export interface CollectLimits {
  now: number;
  /** Pending (unscheduled or not started) longer than this => ProbeNotScheduled. */
  pendingTimeoutMs: number;
  /** The run's hard deadline (epoch ms). */
  deadline: number;
}

export function classifyProbePod(pod: ProbePodView, l: CollectLimits): Collected {
  const st = pod.status ?? {};
  const c = st.containerStatuses?.find((x) => x.name === "probe");
  const term = c?.state?.terminated;
  if (term) {
    const msg = term.message?.trim() ?? "";
    if (msg.startsWith("{")) return { kind: "result", message: msg };
    return {
      kind: "failure",
      code: "ProbeFailed",
      message: `probe container exited with code ${term.exitCode ?? "?"} (${term.reason ?? "no reason"}) without a result${msg ? `: ${msg.slice(0, 300)}` : ""}`,
    };
  }
  if (st.phase === "Failed" && st.reason === "DeadlineExceeded") {
    return { kind: "failure", code: "ProbeTimedOut", message: `probe pod ${pod.metadata.name} exceeded its activeDeadlineSeconds: ${st.message ?? ""}`.trim() };
  }
  if (st.phase === "Succeeded" || st.phase === "Failed") {
    return { kind: "failure", code: "ProbeFailed", message: `probe pod ${pod.metadata.name} ended ${st.phase} without a result (${st.reason ?? "no reason"})` };
  }
  const waiting = c?.state?.waiting;
  if (waiting?.reason && PULL_FAILURES.has(waiting.reason)) {
    return { kind: "failure", code: "ProbeImagePullFailed", message: `probe image could not be pulled (${waiting.reason}): ${waiting.message ?? ""}`.trim() };
  }
  const created = pod.metadata.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : l.now;
  const sched = st.conditions?.find((x) => x.type === "PodScheduled");
  const started = (st.containerStatuses ?? []).some((x) => x.state?.terminated || (x.state && !x.state.waiting));
  if (!started && l.now - created > l.pendingTimeoutMs) {
    const why =
      sched?.status === "False"
        ? `${sched.reason ?? "Unschedulable"}: ${sched.message ?? ""}`
        : waiting?.reason
          ? `container waiting: ${waiting.reason} ${waiting.message ?? ""}`
          : "not started";
    return {
      kind: "failure",
      code: "ProbeNotScheduled",
      message: `probe pod ${pod.metadata.name} did not start within ${Math.round(l.pendingTimeoutMs / 1000)}s (${why.trim()})`,
    };
  }
  if (l.now > l.deadline) {
    return { kind: "failure", code: "ProbeTimedOut", message: `probe pod ${pod.metadata.name} gave no result before the run's deadline` };
  }
  return { kind: "pending" };
}

/**
 * A parsed result that carries no checks (e.g. the probe image lacks jq: the probe says
 * `{"outcome":"tool-missing","targets":[]}`) is a probe problem, never an all-clear.
 */
export function emptyResultProblem(result: { targets: unknown[]; outcome?: unknown; detail?: { reason?: unknown } }): string | undefined {
  if (result.targets.length > 0) return undefined;
  const why = typeof result.outcome === "string" ? ` (${result.outcome}${typeof result.detail?.reason === "string" ? `: ${result.detail.reason}` : ""})` : "";
  return `the probe returned no checks${why}`;
}
