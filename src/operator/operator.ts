/**
 * Wires the operator together: cluster caches -> work queue -> reconciler, gated by
 * leader election; metrics and health on one HTTP port. Only the Lease holder reconciles;
 * every replica keeps warm caches so a hand-over is quick.
 *
 * @module
 */
import { readiness } from "./readiness.ts";
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { Labels, ManagerName } from "../api/group.ts";
import { ClusterCache } from "../diagnosis/cluster-cache.ts";
import { Reconciler } from "../diagnosis/reconciler.ts";
import { EventRecorder } from "../k8s/events.ts";
import { keyOf } from "../k8s/informer.ts";
import { Rest, type Obj } from "../k8s/rest.ts";
import { Metrics } from "../metrics/metrics.ts";
import { LeaderElector } from "../k8s/leader.ts";
import { WorkQueue } from "../runtime/workqueue.ts";
import type { Config } from "./config.ts";
import { startHttp } from "./http.ts";

/** The probe program shipped with the operator (probe/netdiag-probe at the package root). */
export function loadProbeScript(): string {
  const path = process.env.NETDIAG_PROBE_SCRIPT ?? fileURLToPath(new URL("../../probe/netdiag-probe", import.meta.url));
  return readFileSync(path, "utf8");
}

/** The node probe program (node-probe/netdiag-node-inspect, ADR 0013). */
export function loadNodeInspectScript(): string {
  const path = process.env.NETDIAG_NODE_INSPECT_SCRIPT ?? fileURLToPath(new URL("../../node-probe/netdiag-node-inspect", import.meta.url));
  return readFileSync(path, "utf8");
}

export function kubeConfigFor(c: Config): KubeConfig {
  const kc = new KubeConfig();
  if (c.inCluster) kc.loadFromCluster();
  else kc.loadFromFile(c.kubeconfig as string);
  return kc;
}

export class Operator {
  readonly cache: ClusterCache;
  readonly queue: WorkQueue;
  readonly metrics: Metrics;
  readonly leader: LeaderElector | undefined;
  private readonly reconciler: Reconciler;
  private readonly log: Logger;
  private readonly c: Config;
  private server: Server | undefined;
  private leading = false;

  constructor(c: Config, log: Logger) {
    this.c = c;
    this.log = log;
    const rest = new Rest(kubeConfigFor(c));
    this.cache = new ClusterCache(rest, {
      onRestart: (name, reason) => {
        this.metrics.watchRestarts.inc({ resource: name });
        log.warn({ informer: name, reason }, "watch restarted");
      },
      log: (msg, err) => log.warn({ err }, msg),
    });
    this.metrics = new Metrics({
      diagnoses: () =>
        this.cache.informers.diagnoses
          .list()
          .map((d) => ({ namespace: String(d.metadata?.namespace), name: String(d.metadata?.name), status: (d as { status?: never }).status })),
      queueDepth: () => this.queue.depth,
      isLeader: () => this.leading,
      activeProbePods: () =>
        this.cache.informers.pods.list().filter((p) => (p.metadata as { labels?: Record<string, string> }).labels?.[Labels.Probe] === "true").length,
    });
    // a dashboard plots restarts per resource: a healthy operator shows 0, not "no data"
    for (const resource of Object.keys(this.cache.informers)) this.metrics.watchRestarts.inc({ resource }, 0);
    this.reconciler = new Reconciler({
      rest,
      cache: this.cache,
      events: new EventRecorder(rest, `${ManagerName}.dev/operator`, c.identity, (msg, err) => log.warn({ err }, msg)),
      metrics: this.metrics,
      policy: {
        defaultImage: c.probeImage,
        imageAllowlist: c.probeImageAllowlist,
        nodeFanOutNamespaces: c.nodeFanOutNamespaces,
        operatorNamespace: c.operatorNamespace,
        allowControlPlaneNodes: c.probeControlPlaneNodes,
        tolerableTaints: c.probeTolerateTaints,
        allowImpersonation: c.allowImpersonation,
        namespaceHints: c.namespaceHints,
      },
      probeRawSockets: c.probeRawSockets,
      probeScript: loadProbeScript(),
      ...(c.nodeInspection ? { nodeInspection: { namespace: c.operatorNamespace, script: loadNodeInspectScript(), rules: c.nodeInspectionRules } } : {}),
      pendingTimeoutMs: c.probePendingTimeoutSeconds * 1000,
      keepFailedRuns: c.keepFailedRuns,
      probeSettleSeconds: c.probeSettleSeconds,
      log: (msg, extra) => log.info(extra ?? {}, msg),
    });
    this.queue = new WorkQueue({
      concurrency: c.concurrency,
      handler: async (key) => {
        const start = performance.now();
        try {
          const r = await this.reconciler.reconcile(key);
          this.metrics.reconciles.inc({ result: "ok" });
          this.metrics.reconcileDuration.observe({ result: "ok" }, (performance.now() - start) / 1000);
          return r;
        } catch (err) {
          this.metrics.reconciles.inc({ result: "error" });
          this.metrics.reconcileDuration.observe({ result: "error" }, (performance.now() - start) / 1000);
          throw err;
        }
      },
      onError: (key, err, wait) => log.warn({ key, err: String(err), retryInMs: wait }, "reconcile failed; retrying"),
    });
    this.leader = c.leaderElection
      ? new LeaderElector(rest, {
          namespace: c.leaseNamespace,
          name: c.leaseName,
          identity: c.identity,
          leaseDurationMs: c.leaseDurationSeconds * 1000,
          renewDeadlineMs: Math.max(1000, Math.floor(c.leaseDurationSeconds * 1000 * (2 / 3))),
          retryPeriodMs: Math.max(500, Math.floor((c.leaseDurationSeconds * 1000) / 7)),
          onStartedLeading: () => this.startLeading(),
          onStoppedLeading: () => this.stopLeading(),
          log: (msg, err) => log.warn({ err: err ? String(err) : undefined }, msg),
        })
      : undefined;
    this.wireEvents();
  }

  private wireEvents(): void {
    const enqueue = (key: string) => {
      if (this.leading) this.queue.add(key);
    };
    this.cache.informers.diagnoses.on((type, obj) => {
      const key = keyOf(obj);
      if (type === "delete") {
        this.queue.forget(key);
        this.reconciler.forget(key);
        this.metrics.forgetDiagnosis(String(obj.metadata?.namespace), String(obj.metadata?.name));
        return;
      }
      enqueue(key);
    });
    // A probe pod's change wakes its owner diagnosis.
    this.cache.informers.pods.on((_type, obj: Obj) => {
      const m = obj.metadata as {
        namespace?: string;
        labels?: Record<string, string>;
        ownerReferences?: { kind?: string; name?: string; controller?: boolean }[];
      };
      if (m.labels?.[Labels.Probe] !== "true") return;
      const owner = m.ownerReferences?.find((r) => r.controller && r.kind === "NetworkDiagnosis");
      if (owner?.name) enqueue(`${m.namespace}/${owner.name}`);
    });
  }

  private startLeading(): void {
    this.log.info({ identity: this.c.identity }, "became leader");
    this.leading = true;
    void this.cache.synced().then(() => {
      if (!this.leading) return;
      this.queue.start();
      for (const d of this.cache.informers.diagnoses.list()) this.queue.add(keyOf(d));
    });
  }

  private stopLeading(): void {
    this.log.warn({ identity: this.c.identity }, "stopped leading");
    this.leading = false;
    void this.queue.stop();
  }

  async start(): Promise<number> {
    this.server = await startHttp(this.c.port, {
      ready: () =>
        readiness(
          Object.entries(this.cache.informers).map(([name, i]) => ({ name, hasSynced: i.hasSynced, unreachableSince: i.unreachableSince })),
          Date.now(),
        ),
      metrics: () => this.metrics.text(),
      metricsContentType: this.metrics.contentType,
    });
    this.cache.start();
    if (this.leader) this.leader.start();
    else this.startLeading();
    return (this.server.address() as AddressInfo).port;
  }

  /** Graceful: stop reconciling, finish work in flight, release the Lease, close. */
  async stop(): Promise<void> {
    this.leading = false;
    await this.queue.stop();
    await this.leader?.stop();
    this.cache.stop();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
