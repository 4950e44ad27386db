/**
 * Follows a NetworkDiagnosis until a run completes: polls the resource and the probe pods
 * of its active run (label netdiag.dev/run-id), hands the progress to a Display, and
 * returns the completed status — or that the spec is invalid, or that time ran out. A run
 * counts once it is not the one given as `afterRun` (the run already seen).
 *
 * @module
 */
import { Labels } from "../api/group.ts";
import type { Status } from "../api/status.ts";
import type { Rest } from "../k8s/rest.ts";
import { diagnosisPath } from "./cluster.ts";
import type { Display } from "./display.ts";
import { type ProbePod, progressView } from "./progress.ts";

export type Followed = { kind: "completed"; status: Status } | { kind: "invalid"; message: string } | { kind: "timeout" };

export interface FollowOptions {
  rest: Rest;
  namespace: string;
  name: string;
  display: Display;
  /** Wait for a run other than this one. */
  afterRun?: string;
  /** Epoch ms; Infinity to wait for ever (--watch). */
  deadline: number;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function follow(o: FollowOptions): Promise<Followed> {
  const t0 = Date.now();
  const label = `${o.namespace}/${o.name}`;
  for (;;) {
    let s: Status | undefined;
    try {
      s = (await o.rest.get<{ status?: Status }>(diagnosisPath(o.namespace, o.name))).status;
    } catch (e) {
      o.display.note(`waiting for ${label}: ${(e as Error).message}`);
    }
    const done = s?.conditions?.find((c) => c.type === "Completed");
    if (done?.status === "False" && done.reason === "InvalidSpec") return { kind: "invalid", message: done.message };
    if (s && !s.activeRun && done?.status === "True" && s.lastRun && s.lastRun.id !== o.afterRun) return { kind: "completed", status: s };
    let pods: ProbePod[] = [];
    if (s?.activeRun) {
      try {
        pods = (await o.rest.list<ProbePod>(`/api/v1/namespaces/${o.namespace}/pods`, { labelSelector: `${Labels.RunId}=${s.activeRun.id}` })).items;
      } catch {}
    }
    const running = s?.activeRun && s.activeRun.id !== o.afterRun ? s : { ...s, activeRun: undefined };
    o.display.update(progressView(label, running, pods, Date.now() - t0));
    if (Date.now() > o.deadline) return { kind: "timeout" };
    await sleep(o.pollMs ?? 300);
  }
}
