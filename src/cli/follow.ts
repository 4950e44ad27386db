/**
 * Follows a NetworkDiagnosis until a run completes: polls the resource, watches its probe
 * pods (label netdiag.dev/diagnosis) so that no state is missed between polls — a fast
 * run's pod can start, finish and be deleted within one — hands the progress of the
 * active run (label netdiag.dev/run-id) to a Display, and returns the completed status, or
 * that the spec is invalid, or that time ran out. A run counts once it is not the one
 * given as `afterRun` (the run already seen). Before returning, the display gets the
 * completed run's pods once more, as last seen.
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

const terminated = (p: ProbePod) => p.status?.containerStatuses?.some((c) => c.state?.terminated) ?? false;

/** The last state seen of each probe pod of the diagnosis, deleted ones included; a terminated state is never replaced by an older one. */
class PodsSeen {
  private readonly pods = new Map<string, ProbePod>();
  add(p: ProbePod): void {
    const had = this.pods.get(p.metadata.name);
    if (had && terminated(had) && !terminated(p)) return;
    this.pods.set(p.metadata.name, p);
  }
  ofRun(id: string): ProbePod[] {
    return [...this.pods.values()].filter((p) => p.metadata.labels?.[Labels.RunId] === id);
  }
}

/**
 * Lists, then watches from the list's resourceVersion, feeding every state to `add`;
 * returns a stop function (which also stops a watch that was still being opened). No
 * restart: the polling in `follow` covers a watch that ends or fails (e.g. without RBAC to watch pods).
 */
function watchPods(rest: Rest, path: string, labelSelector: string, add: (p: ProbePod) => void): () => void {
  let stopped = false;
  let abort: (() => void) | undefined;
  void (async () => {
    try {
      const list = await rest.list<ProbePod>(path, { labelSelector });
      list.items.forEach(add);
      if (stopped) return;
      const w = await rest.watch(
        path,
        { labelSelector, resourceVersion: list.metadata.resourceVersion, timeoutSeconds: 600 },
        (e) => {
          if (e.type !== "BOOKMARK" && e.type !== "ERROR") add(e.object as unknown as ProbePod);
        },
        () => (abort = undefined),
      );
      if (stopped) w();
      else abort = w;
    } catch {}
  })();
  return () => {
    stopped = true;
    abort?.();
  };
}

/** The probe pods' label value for a diagnosis name (as src/diagnosis/probe-pod.ts writes it). */
const labelValue = (v: string) => v.slice(0, 63).replace(/[-._]+$/, "");

export async function follow(o: FollowOptions): Promise<Followed> {
  const t0 = Date.now();
  const label = `${o.namespace}/${o.name}`;
  const podsPath = `/api/v1/namespaces/${o.namespace}/pods`;
  const seen = new PodsSeen();
  const stop = watchPods(o.rest, podsPath, `${Labels.Diagnosis}=${labelValue(o.name)}`, (p) => seen.add(p));
  try {
    for (;;) {
      let s: Status | undefined;
      try {
        s = (await o.rest.get<{ status?: Status }>(diagnosisPath(o.namespace, o.name))).status;
      } catch (e) {
        o.display.note(`waiting for ${label}: ${(e as Error).message}`);
      }
      const done = s?.conditions?.find((c) => c.type === "Completed");
      if (done?.status === "False" && done.reason === "InvalidSpec") return { kind: "invalid", message: done.message };
      if (s && !s.activeRun && done?.status === "True" && s.lastRun && s.lastRun.id !== o.afterRun) {
        const pods = seen.ofRun(s.lastRun.id);
        if (pods.length) o.display.update(progressView(label, { activeRun: s.lastRun }, pods, Date.now() - t0));
        return { kind: "completed", status: s };
      }
      const run = s?.activeRun && s.activeRun.id !== o.afterRun ? s.activeRun : undefined;
      if (run) {
        try {
          for (const p of (await o.rest.list<ProbePod>(podsPath, { labelSelector: `${Labels.RunId}=${run.id}` })).items) seen.add(p);
        } catch {}
      }
      o.display.update(progressView(label, { ...s, activeRun: run }, run ? seen.ofRun(run.id) : [], Date.now() - t0));
      if (Date.now() > o.deadline) return { kind: "timeout" };
      await sleep(o.pollMs ?? 300);
    }
  } finally {
    stop();
  }
}
