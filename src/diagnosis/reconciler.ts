/**
 * The reconcile of one NetworkDiagnosis: gather -> act -> evaluate -> report.
 *
 *   validate spec          invalid => Completed=False/InvalidSpec, no retry until the spec changes
 *   admit                  the admin's policy: a refused spec => Completed=False/NotAllowedByPolicy
 *                          (terminal); a replaced probe image => SpecAllowed=False, the run goes on
 *   decide                 continue the active run, or start one (create, spec change, run-now, schedule)
 *   start                  write status.activeRun first (a restarted operator resumes it), then create
 *                          the probe pods (deterministic names: AlreadyExists is fine)
 *                          a pod the API server refuses (403/422: Pod Security, quota, webhooks)
 *                          is a ProbePodRejected report at once, never a retry; a pod that
 *                          could not be created by the run's deadline is ProbeNotScheduled
 *   collect                classify each probe pod (result / Probe* failure / pending); pending => requeue
 *   evaluate               pure analyzers over the cached snapshot + probe results
 *   report                 status via /status only when changed, an Event on transitions, metrics
 *   clean up               delete probe pods, keeping the last failed run's for `kubectl logs`
 *
 * Level-based and idempotent: every step reads the current state and does what is missing.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import type { ProbeReport } from "../analyzers/context.ts";
import { evaluate } from "../analyzers/evaluate.ts";
import { sourceLabels } from "../analyzers/source.ts";
import { Reasons } from "../api/codes.ts";
import { Annotations, ApiVersion, Group, Kind, Labels, Plural, Version } from "../api/group.ts";
import { type NetworkDiagnosis, validateSpec } from "../api/diagnosis.ts";
import type { Spec } from "../api/spec.ts";
import type { Run, Status } from "../api/status.ts";
import { nextFire, parseCron } from "../api/cron.ts";
import { AlreadyExistsError, ApiError, NotFoundError } from "../k8s/errors.ts";
import type { EventRecorder } from "../k8s/events.ts";
import type { Pod, PodDns, Snapshot } from "../model/snapshot.ts";
import type { Obj, Rest } from "../k8s/rest.ts";
import { writeStatus } from "../k8s/status-writer.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { staticDenials } from "../probe/confirm.ts";
import { buildPlan } from "../probe/plan.ts";
import { parseProbeResult } from "../probe/parse-result.ts";
import { rfc3339 } from "../runtime/time.ts";
import type { HandlerResult } from "../runtime/workqueue.ts";
import { classifyProbePod, emptyResultProblem, type ProbePodView } from "./collect.ts";
import { type AdminPolicy, admit } from "./admin-policy.ts";
import { inspectNodes, type NodeInspectionOutcome, type NodeInspectionSetting, nodesToInspect, ownTargetPods, serviceVips } from "./node-inspection-run.ts";
import { type NodeView, placeProbes } from "./placement.ts";
import { refusalOf } from "./refusal.ts";
import { buildEphemeralContainer, ephemeralName, ephemeralView, MAX_EPHEMERAL, ourEphemeralCount } from "./ephemeral-probe.ts";
import { DiagnosisUidLabel, NodeProbeLabel } from "./node-probe-pod.ts";
import { buildProbePod, copiedDns, probePodName } from "./probe-pod.ts";
import { cannotRun, finishRun, invalidSpec, specAllowed, startRun } from "./report.ts";
import { decideRun } from "./schedule.ts";

/** What the reconciler reads: the informers' caches (a ClusterCache in production). */
export interface ReconcilerReads {
  informers: { diagnoses: { get(namespace: string, name: string): Obj | undefined }; pods: { list(): Obj[] } };
  snapshot(): Snapshot;
}
/** What the reconciler writes through: the API server (a Rest in production). */
export type ReconcilerWrites = Pick<Rest, "create" | "delete" | "request" | "patch">;

export interface ReconcilerOptions {
  rest: ReconcilerWrites;
  cache: ReconcilerReads;
  events: Pick<EventRecorder, "record">;
  metrics?: Metrics;
  /** The admin's policy: default image, allowlist, fan-out, taints, impersonation. */
  policy: AdminPolicy;
  /** Admin opt-in: probes run as root with NET_RAW (not admitted by Pod Security baseline). */
  probeRawSockets?: boolean;
  /** Admin opt-in: node inspection for every diagnosis, node probes in the operator's namespace (ADR 0013). */
  nodeInspection?: NodeInspectionSetting;
  probeScript: string;
  pendingTimeoutMs: number;
  keepFailedRuns: number;
  /** Probe settle time when the cluster has NetworkPolicies (see Config.probeSettleSeconds). */
  probeSettleSeconds?: number;
  now?: () => Date;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

const POLL_MS = 1000;
const DEADLINE_GRACE_MS = 15_000;

export const diagnosisPath = (ns: string, name: string) => `/apis/${Group}/${Version}/namespaces/${ns}/${Plural}/${name}`;
const podsPath = (ns: string) => `/api/v1/namespaces/${ns}/pods`;

/** The largest probe log the operator reads (a truncated result's full text is far smaller). */
export const MAX_LOG_BYTES = 1 << 20;

/** An object we wrote, and the resourceVersions it supersedes (opaque: compared only for equality). */
interface Written {
  obj: NetworkDiagnosis;
  superseded: Set<string>;
}

export class Reconciler {
  private readonly o: ReconcilerOptions;
  /** Objects we wrote, until the informer catches up: never act on a stale status. */
  private readonly written = new Map<string, Written>();
  /** Ephemeral probe containers this process added ("pod uid/run id"), until the cache shows them. */
  private readonly ephemeralAdded = new Set<string>();

  constructor(o: ReconcilerOptions) {
    this.o = o;
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  private current(ns: string, name: string): NetworkDiagnosis | undefined {
    const key = `${ns}/${name}`;
    const cached = this.o.cache.informers.diagnoses.get(ns, name) as unknown as NetworkDiagnosis | undefined;
    if (!cached) {
      this.written.delete(key);
      return undefined;
    }
    const mine = this.written.get(key);
    const rv = cached.metadata.resourceVersion;
    if (mine && rv !== undefined && mine.superseded.has(rv)) return mine.obj; // the informer has not seen our write yet
    this.written.delete(key);
    return cached;
  }

  private async setStatus(d: NetworkDiagnosis, next: Status): Promise<NetworkDiagnosis> {
    const updated = await writeStatus<NetworkDiagnosis>(
      this.o.rest,
      diagnosisPath(d.metadata.namespace, d.metadata.name),
      d.status as Record<string, unknown> | undefined,
      next as Record<string, unknown>,
    );
    if (!updated) return d;
    const key = `${d.metadata.namespace}/${d.metadata.name}`;
    const superseded = new Set(this.written.get(key)?.superseded ?? []);
    if (d.metadata.resourceVersion !== undefined) superseded.add(d.metadata.resourceVersion);
    this.written.set(key, { obj: updated, superseded });
    return updated;
  }

  private async event(d: NetworkDiagnosis, e: { type: "Normal" | "Warning"; reason: string; action: string; note: string }): Promise<void> {
    await this.o.events.record(
      {
        apiVersion: ApiVersion,
        kind: Kind,
        metadata: { name: d.metadata.name, namespace: d.metadata.namespace, uid: d.metadata.uid, resourceVersion: d.metadata.resourceVersion },
      },
      e,
      this.now(),
    );
  }

  /** Forgets per-object state of a deleted diagnosis. */
  forget(key: string): void {
    this.written.delete(key);
  }

  async reconcile(key: string): Promise<HandlerResult | undefined> {
    const [ns, name] = key.split("/") as [string, string];
    let d = this.current(ns, name);
    if (!d || d.metadata.deletionTimestamp) return undefined; // probe pods go with it (ownerReference + GC)
    const v = validateSpec(d.spec);
    if (!v.ok) {
      const r = invalidSpec(d.status, d.metadata.generation, v.message, this.now());
      await this.setStatus(d, r.status);
      if (r.event) await this.event(d, r.event);
      return undefined;
    }
    const spec = v.spec;
    const admission = admit(spec, ns, this.o.policy);
    if (admission.refusal) {
      const r = cannotRun(d.status, d.metadata.generation, Reasons.NotAllowedByPolicy, admission.refusal, this.now());
      await this.setStatus(d, r.status);
      if (r.event) await this.event(d, r.event);
      return undefined;
    }
    // A run in progress continues, unless the spec changed under it: then a new run
    // replaces it (its probes are cleaned up when the new run finishes).
    let run = d.status?.observedGeneration === d.metadata.generation ? d.status?.activeRun : undefined;
    if (!run) {
      const dec = decideRun({
        generation: d.metadata.generation,
        annotations: d.metadata.annotations,
        status: d.status,
        schedule: spec.schedule,
        now: this.now(),
      });
      if (!dec.start) {
        if (dec.nextRunAt && d.status?.nextRunTime !== rfc3339(dec.nextRunAt))
          d = await this.setStatus(d, { ...d.status, nextRunTime: rfc3339(dec.nextRunAt) });
        return dec.nextRunAt ? { requeueAfterMs: Math.max(1000, dec.nextRunAt.getTime() - this.now().getTime()) } : undefined;
      }
      run = { id: newRunId(), startTime: rfc3339(this.now()), trigger: dec.start };
      const allowed = specAllowed(
        startRun(d.status, d.metadata.generation, run, this.now(), d.metadata.annotations?.[Annotations.RunNow]),
        d.metadata.generation,
        admission.notice,
        this.now(),
      );
      d = await this.setStatus(d, allowed.status);
      if (allowed.event) await this.event(d, allowed.event);
      this.o.log?.("run started", { diagnosis: key, run: run.id, trigger: run.trigger });
    }
    return this.continueRun(d, spec, run, admission.image);
  }

  private async continueRun(d: NetworkDiagnosis, spec: Spec, run: Run, image: string): Promise<HandlerResult | undefined> {
    const ns = d.metadata.namespace;
    const snapshot = this.o.cache.snapshot();
    const { placements, findings: placementFindings } = placeProbes(spec, (snapshot.nodes ?? []) as unknown as NodeView[], this.o.policy);
    const src = sourceLabels(ns, spec, snapshot); // its findings come back from evaluate()
    const reports: ProbeReport[] = [];
    let nodes: NodeInspectionOutcome | undefined;
    if (placements.length === 0) {
      reports.push({ pod: "-", failure: { code: "ProbeNotScheduled", message: "no Ready, schedulable node matches spec.source.nodes: nothing was probed" } });
    } else if (src.labels !== undefined) {
      // confirm failures instead of delaying successes (ADR 0010): with NetworkPolicies in
      // the cluster the probe checks at once and re-tests, after the window, what
      // enforcement lag could explain — judged against the static verdict
      // (a probe inside the real pod is no new pod: no enforcement lag to confirm against)
      const settle = !spec.source?.pod && (snapshot.networkPolicies?.length ?? 0) > 0 ? (this.o.probeSettleSeconds ?? 0) : 0;
      // built once, and only when a probe pod is still to be created (not on every poll)
      let planJson: string | undefined;
      const planText = (): string => {
        const confirm =
          settle > 0
            ? {
                afterSeconds: settle,
                denied: staticDenials(spec, evaluate({ namespace: ns, spec, snapshot, now: this.now(), namespaceHints: this.o.policy.namespaceHints })),
              }
            : undefined;
        planJson ??= JSON.stringify(
          buildPlan({ namespace: ns, spec, snapshot, runId: run.id, ...(this.o.probeRawSockets ? { rawSockets: true } : {}), ...(confirm ? { confirm } : {}) }),
        );
        return planJson;
      };
      const existing = new Map(
        (this.o.cache.informers.pods.list() as unknown as (ProbePodView & { metadata: { namespace?: string; labels?: Record<string, string> } })[])
          .filter((p) => p.metadata.namespace === ns && p.metadata.labels?.[Labels.RunId] === run.id)
          .map((p) => [p.metadata.name, p]),
      );
      const deadline = Date.parse(run.startTime) + (spec.timeoutSeconds + settle) * 1000 + DEADLINE_GRACE_MS;
      let pending = false;
      if (spec.source?.pod) {
        const r = await this.probeInPod(d, spec, run, image, snapshot, src.pod, deadline);
        if (r) reports.push(r);
        else pending = true;
      }
      // spec.source.pod: the probe stands in that pod, nowhere else
      for (const pl of spec.source?.pod ? [] : placements) {
        const podName = probePodName(d.metadata.name, run.id, pl.index);
        const pod = existing.get(podName);
        if (!pod) {
          const failure = await this.createProbePod(d, spec, run.id, pl, {
            image,
            planJson: planText(),
            settle,
            deadline,
            ...(spec.source?.podSelector ? { labels: src.labels } : {}),
            ...(copiedDns(src.pod) ? { dns: copiedDns(src.pod) } : {}),
          });
          if (failure) reports.push({ pod: podName, ...(pl.nodeName ? { node: pl.nodeName } : {}), failure });
          else pending = true;
          continue;
        }
        const c = classifyProbePod(pod, {
          now: this.now().getTime(),
          pendingTimeoutMs: Math.min(this.o.pendingTimeoutMs, spec.timeoutSeconds * 1000 + DEADLINE_GRACE_MS),
          deadline,
        });
        if (c.kind === "pending") {
          pending = true;
          continue;
        }
        const node = pl.nodeName;
        if (c.kind === "failure") {
          reports.push({ pod: podName, ...(node ? { node } : {}), failure: { code: c.code, message: c.message } });
          continue;
        }
        const parsed = await this.readResult(ns, podName, c.message);
        const problem = parsed.ok ? emptyResultProblem(parsed.result) : `unreadable probe result: ${parsed.error}`;
        reports.push(
          parsed.ok && !problem
            ? { pod: podName, ...(node ? { node } : {}), result: parsed.result }
            : { pod: podName, ...(node ? { node } : {}), failure: { code: "ProbeFailed", message: problem ?? "" } },
        );
      }
      // a run whose probe pods all failed (refused, unschedulable) has nothing to inspect for
      if (this.o.nodeInspection && (pending || reports.some((r) => r.result !== undefined))) {
        // the nodes of the own namespace's target pods and of this run's probe pods (ADR 0013)
        const targets = ownTargetPods(ns, spec, snapshot);
        const probeNodes = [...existing.values()].flatMap((p) => {
          const n = (p as { spec?: { nodeName?: string } }).spec?.nodeName;
          return n ? [n] : [];
        });
        nodes = await inspectNodes({
          rest: this.o.rest,
          pods: this.o.cache.informers.pods.list(),
          setting: this.o.nodeInspection,
          diagnosis: { name: d.metadata.name, namespace: ns, uid: String(d.metadata.uid) },
          runId: run.id,
          // the admin's image, never spec.probeImage: a tenant must not pick what runs with host PID on a node
          image: this.o.policy.defaultImage,
          nodes: nodesToInspect(targets, probeNodes),
          targets,
          services: serviceVips(ns, spec, snapshot),
          now: this.now().getTime(),
          deadline,
        });
        if (nodes.pending) pending = true;
      }
      if (pending) return { requeueAfterMs: POLL_MS };
    }
    const verdict = evaluate({
      namespace: ns,
      spec,
      snapshot,
      probes: reports,
      now: this.now(),
      namespaceHints: this.o.policy.namespaceHints,
      placement: placementFindings,
      nodeInspection: { enabled: this.o.nodeInspection !== undefined, failures: nodes?.failures ?? [] },
      ...(nodes ? { nodeInspections: nodes.inspections, targetSockets: nodes.sockets } : {}),
    });
    const findings = verdict.findings;
    const nextRunAt = spec.schedule ? nextFire(parseCron(spec.schedule), new Date(run.startTime)) : undefined;
    const { healthy, rootCause } = verdict;
    const { status, event } = finishRun({
      prev: d.status,
      generation: d.metadata.generation,
      run,
      verdict: { ...verdict, findings },
      now: this.now(),
      historyLimit: spec.historyLimit,
      ...(nextRunAt ? { nextRunAt } : {}),
    });
    const updated = await this.setStatus(d, status);
    if (event) await this.event(updated, event);
    this.o.metrics?.runs.inc({ namespace: ns, diagnosis: d.metadata.name, result: verdict.probeProblem ? "probe-problem" : healthy ? "healthy" : "unhealthy" });
    this.o.log?.("run finished", { diagnosis: `${ns}/${d.metadata.name}`, run: run.id, healthy, rootCause: rootCause?.code });
    await this.cleanup(d, run.id, healthy && !verdict.probeProblem);
    return nextRunAt ? { requeueAfterMs: Math.max(1000, nextRunAt.getTime() - this.now().getTime()) } : undefined;
  }

  /**
   * Creates one probe pod. Returns a failure to report instead of a result when the API
   * server refused the pod (terminal: it would refuse it again), or when transient errors
   * kept it from being created until the run's deadline; throws (retry) otherwise.
   */
  private async createProbePod(
    d: NetworkDiagnosis,
    spec: Spec,
    runId: string,
    pl: { index: number; nodeName?: string; tolerations?: unknown[] },
    o: { image: string; planJson: string; settle: number; deadline: number; labels?: Record<string, string> | undefined; dns?: PodDns | undefined },
  ): Promise<NonNullable<ProbeReport["failure"]> | undefined> {
    const pod = buildProbePod({
      diagnosis: { name: d.metadata.name, namespace: d.metadata.namespace, uid: String(d.metadata.uid) },
      runId,
      index: pl.index,
      image: o.image,
      planJson: o.planJson,
      script: this.o.probeScript,
      timeoutSeconds: spec.timeoutSeconds,
      settleSeconds: o.settle,
      ...(this.o.probeRawSockets ? { rawSockets: true } : {}),
      ...(o.labels ? { sourceLabels: o.labels } : {}),
      ...(o.dns ? { dns: o.dns } : {}),
      ...(pl.nodeName ? { nodeName: pl.nodeName } : {}),
      ...(pl.tolerations ? { tolerations: pl.tolerations } : {}),
    });
    try {
      await this.o.rest.create(podsPath(d.metadata.namespace), pod);
      return undefined;
    } catch (err) {
      if (err instanceof AlreadyExistsError) return undefined;
      const refusal = refusalOf(err);
      if (refusal) return { code: "ProbePodRejected", message: refusal };
      if (this.now().getTime() > o.deadline)
        return {
          code: "ProbeNotScheduled",
          message: `the probe pod could not be created before the run's deadline: ${err instanceof Error ? err.message : String(err)}`,
        };
      throw err;
    }
  }

  /**
   * spec.source.pod (ADR 0014): the probe as an ephemeral container in the real pod. Adds it
   * once per run (refused past MAX_EPHEMERAL of ours), then reads its status like a probe
   * pod's. Returns the report, or undefined while it runs.
   */
  private async probeInPod(
    d: NetworkDiagnosis,
    spec: Spec,
    run: Run,
    image: string,
    snapshot: Snapshot,
    pod: Pod | undefined,
    deadline: number,
  ): Promise<ProbeReport | undefined> {
    const ns = d.metadata.namespace;
    const want = spec.source?.pod;
    if (!want) return undefined;
    const label = `${want.name}/${ephemeralName(run.id)}`;
    if (!pod)
      return {
        pod: label,
        failure: { code: "ProbeNotScheduled", message: `pod ${ns}/${want.name} (spec.source.pod) is not live: there is no pod to probe from` },
      };
    const node = pod.spec?.nodeName;
    const at = { pod: label, ...(node ? { node } : {}) };
    const key = `${pod.metadata.uid ?? `${ns}/${want.name}`}/${run.id}`;
    const has = (pod.spec?.ephemeralContainers ?? []).some((c) => c.name === ephemeralName(run.id)) || this.ephemeralAdded.has(key);
    if (!has) {
      // an ephemeral container stays in the pod for good: add it only to a pod whose
      // container (the target, or any) runs, or the kubelet cannot start it either
      const running = (pod.status?.containerStatuses ?? []).filter((c) => c.state?.running && (!want.container || c.name === want.container));
      if (pod.status?.phase !== "Running" || running.length === 0) {
        const waited = this.now().getTime() - Date.parse(run.startTime);
        if (waited < Math.min(this.o.pendingTimeoutMs, spec.timeoutSeconds * 1000) && this.now().getTime() <= deadline) return undefined;
        const state = (pod.status?.containerStatuses ?? []).map(
          (c) =>
            `${c.name}: ${c.state?.waiting?.reason ?? (c.state?.terminated ? `terminated (${c.state.terminated.reason ?? "?"})` : c.state?.running ? "running" : "unknown")}`,
        );
        return {
          ...at,
          failure: {
            code: "ProbeNotScheduled",
            message: `pod ${ns}/${want.name} (spec.source.pod) is ${pod.status?.phase ?? "not running"}${want.container ? ` and its container ${want.container} is not running` : " with no running container"} (${state.join(", ") || "no container status"}): the probe from inside it needs it running; no ephemeral container was added`,
          },
        };
      }
      const ours = ourEphemeralCount(pod);
      if (ours >= MAX_EPHEMERAL)
        return {
          ...at,
          failure: {
            code: "ProbePodRejected",
            message: `pod ${ns}/${want.name} already carries ${ours} netdiag ephemeral containers (they stay in the pod spec until the pod is replaced): restart it (kubectl rollout restart) or drop spec.source.pod to probe from a fresh pod`,
          },
        };
      const container = buildEphemeralContainer({
        runId: run.id,
        image,
        script: this.o.probeScript,
        planJson: JSON.stringify(buildPlan({ namespace: ns, spec, snapshot, runId: run.id })),
        ...(want.container ? { targetContainer: want.container } : {}),
      });
      try {
        await this.o.rest.patch(`${podsPath(ns)}/${want.name}/ephemeralcontainers`, { spec: { ephemeralContainers: [container] } }, "StrategicMergePatch");
        this.ephemeralAdded.add(key);
        return undefined;
      } catch (err) {
        // added by an earlier process of ours whose add the cache does not show yet: the
        // API server refuses to change an existing ephemeral container — it is there
        if (err instanceof ApiError && err.status === 422 && /ephemeral containers .* may not be changed/i.test(err.message)) {
          this.ephemeralAdded.add(key);
          return undefined;
        }
        const refusal = refusalOf(err, "the ephemeral probe container");
        if (refusal) return { ...at, failure: { code: "ProbePodRejected", message: refusal } };
        if (this.now().getTime() > deadline)
          return {
            ...at,
            failure: {
              code: "ProbeNotScheduled",
              message: `the ephemeral probe container could not be added before the run's deadline: ${err instanceof Error ? err.message : String(err)}`,
            },
          };
        throw err;
      }
    }
    const c = classifyProbePod(ephemeralView(pod, run.id, run.startTime), {
      now: this.now().getTime(),
      pendingTimeoutMs: Math.min(this.o.pendingTimeoutMs, spec.timeoutSeconds * 1000 + DEADLINE_GRACE_MS),
      deadline,
    });
    if (c.kind === "pending") return undefined;
    if (c.kind === "failure") return { ...at, failure: { code: c.code, message: c.message } };
    const parsed = await this.readResult(ns, want.name, c.message, ephemeralName(run.id));
    const problem = parsed.ok ? emptyResultProblem(parsed.result) : `unreadable probe result: ${parsed.error}`;
    return parsed.ok && !problem ? { ...at, result: parsed.result } : { ...at, failure: { code: "ProbeFailed", message: problem ?? "" } };
  }

  /** Termination message first; the pod log only when the message says it was truncated. */
  private async readResult(ns: string, pod: string, message: string, container = "probe") {
    const first = parseProbeResult(message);
    if (!first.ok || !(first.result as { truncated?: boolean }).truncated) return first;
    try {
      const log = await this.o.rest.request("GET", `${podsPath(ns)}/${pod}/log`, { query: { container, tailLines: 500, limitBytes: MAX_LOG_BYTES } });
      const full = parseProbeResult(String(log));
      return full.ok ? full : first;
    } catch {
      return first;
    }
  }

  /** Deletes probe pods of earlier runs; keeps this run's when it failed (bounded). */
  private async cleanup(d: NetworkDiagnosis, runId: string, healthy: boolean): Promise<void> {
    for (const k of this.ephemeralAdded) if (k.endsWith(`/${runId}`)) this.ephemeralAdded.delete(k);
    const mine = (this.o.cache.informers.pods.list() as Obj[]).filter(
      (p) =>
        p.metadata?.namespace === d.metadata.namespace &&
        (p.metadata as { ownerReferences?: { uid?: string }[] }).ownerReferences?.some((r) => r.uid === d.metadata.uid),
    );
    const keep = !healthy && this.o.keepFailedRuns > 0 ? runId : undefined;
    // node probes (operator namespace, no ownerReference across namespaces): this diagnosis'
    // once its run is over, and any left by a deleted diagnosis after ten minutes
    if (this.o.nodeInspection) {
      const ons = this.o.nodeInspection.namespace;
      const old = this.now().getTime() - 600_000;
      for (const p of this.o.cache.informers.pods.list() as Obj[]) {
        const m = p.metadata as { namespace?: string; name?: string; labels?: Record<string, string>; creationTimestamp?: string };
        if (m.namespace !== ons || m.labels?.[NodeProbeLabel] !== "true") continue;
        if (m.labels[DiagnosisUidLabel] !== d.metadata.uid && Date.parse(m.creationTimestamp ?? "") > old) continue;
        try {
          await this.o.rest.delete(`${podsPath(ons)}/${m.name}`);
        } catch (err) {
          if (!(err instanceof NotFoundError)) this.o.log?.("node probe pod not deleted", { pod: m.name, err: String(err) });
        }
      }
    }
    for (const p of mine) {
      const labels = (p.metadata as { labels?: Record<string, string> }).labels ?? {};
      if (labels[Labels.RunId] === keep) continue;
      try {
        await this.o.rest.delete(`${podsPath(d.metadata.namespace)}/${p.metadata?.name}`);
      } catch (err) {
        if (!(err instanceof NotFoundError)) this.o.log?.("probe pod not deleted", { pod: p.metadata?.name, err: String(err) });
      }
    }
  }
}

/** A short, lowercase, DNS-label-safe run id. */
export function newRunId(): string {
  return randomBytes(4).toString("hex").slice(0, 7);
}
