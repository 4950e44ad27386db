/**
 * Prometheus metrics on a private Registry. Diagnosis metrics are read, not pushed: they
 * are computed at scrape time from the cached NetworkDiagnosis objects (their status), so
 * a deleted diagnosis' series disappear with it. Controller metrics (reconciles, queue,
 * watches, leadership, probe pods) are updated by the runtime.
 *
 * Names follow blackbox_exporter: `netdiag_probe_success` is 1 on success.
 *
 * Cardinality is bounded by the diagnoses: every label is the diagnosis' namespace and
 * name, a spec target name, a layer, a finding code or severity, or a fixed result list;
 * never a pod, an IP or free text. The runs counter of a deleted diagnosis is removed by
 * forgetDiagnosis(); its gauges vanish with it from the cache.
 *
 * @module
 */
import { Counter, Gauge, Histogram, Registry } from "@prometheus-io/client";
import { RowMetricCheck } from "../api/codes.ts";
import type { Status } from "../api/status.ts";

export interface DiagnosisView {
  namespace: string;
  name: string;
  status?: Status;
}

export interface MetricsSources {
  diagnoses: () => DiagnosisView[];
  queueDepth: () => number;
  isLeader: () => boolean;
  activeProbePods: () => number;
}

/** The result label of netdiag_runs_total. */
export const RUN_RESULTS = ["healthy", "unhealthy", "probe-problem"] as const;

/** The check label of a target-table row (api/codes.ts: one list for status, metrics and the dashboard). */
const LAYER_CHECK: Readonly<Record<string, string>> = RowMetricCheck;

export class Metrics {
  readonly registry = new Registry();
  readonly reconciles: Counter<"result">;
  readonly reconcileDuration: Histogram<"result">;
  readonly watchRestarts: Counter<"resource">;
  readonly runs: Counter<"namespace" | "diagnosis" | "result">;

  constructor(src: MetricsSources) {
    const r = this.registry;
    const dx = () => src.diagnoses();
    new Gauge({
      name: "netdiag_probe_success",
      help: "1 when the check of the layer passed on the last run, 0 when it failed.",
      labelNames: ["namespace", "diagnosis", "target", "check"],
      registers: [r],
      collect() {
        this.reset();
        for (const d of dx())
          for (const t of d.status?.targets ?? [])
            for (const l of t.layers ?? []) {
              if (l.outcome === "Skipped") continue;
              this.set(
                { namespace: d.namespace, diagnosis: d.name, target: t.name, check: LAYER_CHECK[l.layer] ?? l.layer.toLowerCase() },
                l.outcome === "Failed" ? 0 : 1,
              );
            }
      },
    });
    new Gauge({
      name: "netdiag_probe_duration_seconds",
      help: "Duration of each phase of the last run's checks.",
      labelNames: ["namespace", "diagnosis", "target", "phase"],
      registers: [r],
      collect() {
        this.reset();
        for (const d of dx())
          for (const t of d.status?.targets ?? [])
            for (const l of t.layers ?? [])
              if (l.latencyMs !== undefined)
                this.set(
                  { namespace: d.namespace, diagnosis: d.name, target: t.name, phase: LAYER_CHECK[l.layer] ?? l.layer.toLowerCase() },
                  l.latencyMs / 1000,
                );
      },
    });
    new Gauge({
      name: "netdiag_dns_lookup_time_seconds",
      help: "DNS lookup time of the target's name on the last run.",
      labelNames: ["namespace", "diagnosis", "target"],
      registers: [r],
      collect() {
        this.reset();
        for (const d of dx())
          for (const t of d.status?.targets ?? [])
            if (t.dnsLookupMs !== undefined) this.set({ namespace: d.namespace, diagnosis: d.name, target: t.name }, t.dnsLookupMs / 1000);
      },
    });
    new Gauge({
      name: "netdiag_tls_cert_expiry_timestamp_seconds",
      help: "notAfter of the TLS certificate served by the target, as a Unix timestamp.",
      labelNames: ["namespace", "diagnosis", "target"],
      registers: [r],
      collect() {
        this.reset();
        for (const d of dx())
          for (const t of d.status?.targets ?? []) {
            const ms = t.certificateNotAfter ? Date.parse(t.certificateNotAfter) : Number.NaN;
            if (!Number.isNaN(ms)) this.set({ namespace: d.namespace, diagnosis: d.name, target: t.name }, ms / 1000);
          }
      },
    });
    new Gauge({
      name: "netdiag_diagnosis_healthy",
      help: "1 when the diagnosis is Healthy, 0 when not; absent while unknown.",
      labelNames: ["namespace", "diagnosis"],
      registers: [r],
      collect() {
        this.reset();
        for (const d of dx()) {
          const h = d.status?.conditions?.find((c) => c.type === "Healthy")?.status;
          if (h === "True" || h === "False") this.set({ namespace: d.namespace, diagnosis: d.name }, h === "True" ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: "netdiag_diagnosis_unhealthy_runs",
      help: "Consecutive unhealthy runs up to the last one (0 when it was healthy), counted in status.history, so at most spec.historyLimit.",
      labelNames: ["namespace", "diagnosis"],
      registers: [r],
      collect() {
        this.reset();
        for (const d of dx()) {
          const h = d.status?.history;
          if (!h?.length) continue;
          const streak = h.findIndex((e) => e.healthy);
          this.set({ namespace: d.namespace, diagnosis: d.name }, streak === -1 ? h.length : streak);
        }
      },
    });
    new Gauge({
      name: "netdiag_diagnosis_root_cause",
      help: "1 for the root-cause code of the diagnosis' last run (one series per unhealthy diagnosis).",
      labelNames: ["namespace", "diagnosis", "code"],
      registers: [r],
      collect() {
        this.reset();
        for (const d of dx()) if (d.status?.rootCause) this.set({ namespace: d.namespace, diagnosis: d.name, code: d.status.rootCause.code }, 1);
      },
    });
    new Gauge({
      name: "netdiag_findings",
      help: "Findings of the last run by code and severity.",
      labelNames: ["namespace", "diagnosis", "code", "severity"],
      registers: [r],
      collect() {
        this.reset();
        for (const d of dx())
          for (const f of d.status?.findings ?? []) this.inc({ namespace: d.namespace, diagnosis: d.name, code: f.code, severity: f.severity });
      },
    });
    this.runs = new Counter({
      name: "netdiag_runs_total",
      help: "Finished runs by result (healthy, unhealthy, probe-problem).",
      labelNames: ["namespace", "diagnosis", "result"],
      registers: [r],
      // every result of a cached diagnosis starts at 0, so that rate()/increase() see its first run
      collect() {
        for (const d of dx()) for (const result of RUN_RESULTS) this.inc({ namespace: d.namespace, diagnosis: d.name, result }, 0);
      },
    });
    this.reconciles = new Counter({ name: "netdiag_reconcile_total", help: "Reconciles by result (ok, error).", labelNames: ["result"], registers: [r] });
    // the error ratio (dashboard, NetdiagReconcileErrors) needs the error series before the first error
    for (const result of ["ok", "error"]) this.reconciles.inc({ result }, 0);
    this.reconcileDuration = new Histogram({
      name: "netdiag_reconcile_duration_seconds",
      help: "Reconcile duration.",
      labelNames: ["result"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [r],
    });
    this.watchRestarts = new Counter({ name: "netdiag_watch_restarts_total", help: "Watch restarts by resource.", labelNames: ["resource"], registers: [r] });
    new Gauge({
      name: "netdiag_workqueue_depth",
      help: "Keys waiting in the work queue.",
      registers: [r],
      collect() {
        this.set(src.queueDepth());
      },
    });
    new Gauge({
      name: "netdiag_leader",
      help: "1 when this replica holds the leader Lease.",
      registers: [r],
      collect() {
        this.set(src.isLeader() ? 1 : 0);
      },
    });
    new Gauge({
      name: "netdiag_probe_pods_active",
      help: "Probe pods that exist now.",
      registers: [r],
      collect() {
        this.set(src.activeProbePods());
      },
    });
  }

  /** Removes counter series of a deleted diagnosis. */
  forgetDiagnosis(namespace: string, name: string): void {
    for (const result of RUN_RESULTS) this.runs.remove({ namespace, diagnosis: name, result });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
  get contentType(): string {
    return this.registry.contentType;
  }
}
