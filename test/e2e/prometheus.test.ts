/**
 * A real Prometheus (Debian's package, scripts/lab/build-prometheus) scrapes the
 * in-cluster operator on the level-2 lab through the API server's service proxy, with the
 * lab admin's client certificate, and loads the chart's alert rules as helm renders them.
 * Three diagnoses stay up while it scrapes: an HTTPS one whose certificate expires soon
 * (test/scenarios/https-cert-expiring-soon), a healthy one and one answered with 503.
 * Then every PromQL expression of dashboards/netdiag.json and of the PrometheusRule runs
 * through the HTTP API and must return series (an alert's compared signal; the alert itself
 * fires only when it should), and every family the operator exports has series.
 * Prometheus listens on 127.0.0.1 (a free port), keeps its data in a temporary
 * directory, and is killed by its PID at the end.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse, parseAllDocuments, stringify } from "yaml";
import { Metrics } from "../../src/metrics/metrics.ts";
import { alertSignal } from "../../src/metrics/promql-lint.ts";
import { adminKubeconfig, apply, kubectl, labMissing, repoRoot, sleep } from "../integration/harness.ts";

const skip = labMissing() || (kubectl(["get", "nodes", "-o", "name"], { allowFail: true }).includes("node/") ? false : "the lab has no node: run scripts/e2e");
const METRICS_PATH = "/api/v1/namespaces/netdiag-system/services/netdiag-operator-metrics:http/proxy/metrics";
const SCRAPE_SECONDS = 5;
const DIAGNOSES = [
  join(repoRoot, "test/scenarios/https-cert-expiring-soon"),
  join(repoRoot, "../shared/scenarios/healthy-frontend-backend"),
  join(repoRoot, "test/scenarios/baseline-http-503"),
];

function lastLine(cmd: string): string {
  return execFileSync(cmd, { encoding: "utf8" }).trim().split("\n").pop() as string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * The scenarios' namespaces get this suffix here (every mention of the namespace in their
 * files, the HTTPS certificate's name included): the scenario suite deleted the same
 * namespaces seconds before, and this test is about metrics, not about re-creating them.
 */
const NS_SUFFIX = "-metrics";

/** The namespaces of a scenario's manifests. */
function namespacesOf(dir: string): string[] {
  return parseAllDocuments(readFileSync(join(dir, "manifests.yaml"), "utf8"))
    .map((d) => d.toJS() as { kind?: string; metadata?: { name?: string } } | null)
    .filter((d) => d?.kind === "Namespace")
    .map((d) => d?.metadata?.name as string);
}

const jsonpath = (ns: string, name: string, path: string) => kubectl(["-n", ns, "get", "netdiag", name, "-o", `jsonpath=${path}`], { allowFail: true }).trim();

/** Waits until the diagnosis completed (after serving this run-now value, when given); returns its root cause ("" when healthy). */
async function completion(ns: string, name: string, runNow?: string): Promise<string> {
  const end = Date.now() + 120_000;
  for (;;) {
    const done = jsonpath(ns, name, "{.status.conditions[?(@.type=='Completed')].status}") === "True";
    if (done && (runNow === undefined || jsonpath(ns, name, "{.status.runNowServed}") === runNow)) return jsonpath(ns, name, "{.status.rootCause.code}");
    if (Date.now() > end) throw new Error(`${ns}/${name} did not complete in 120 s`);
    await sleep(1000);
  }
}

/**
 * Applies a scenario's workload, waits for its Deployments, applies its diagnosis and waits
 * until it completed with the scenario's verdict; a run that does not match it is run again
 * once (annotation netdiag.dev/run-now) and said so: the scenarios ran the same namespaces
 * seconds before, and this test needs the verdict's series, not a second scenario suite.
 */
async function runAndKeep(dir: string): Promise<string> {
  const text = (file: string) => namespacesOf(dir).reduce((t, ns) => t.replaceAll(ns, `${ns}${NS_SUFFIX}`), readFileSync(join(dir, file), "utf8"));
  apply(text("manifests.yaml"));
  for (const ns of namespacesOf(dir)) kubectl(["-n", `${ns}${NS_SUFFIX}`, "rollout", "status", "deploy", "--timeout=180s"]);
  const diagText = text("diagnosis.yaml");
  const diag = parse(diagText) as { metadata: { name: string; namespace: string } };
  const expect = parse(readFileSync(join(dir, "expect.yaml"), "utf8")) as { rootCause?: string | string[] };
  const want = [expect.rootCause ?? ""].flat();
  const { namespace: ns, name } = diag.metadata;
  apply(diagText);
  let rc = await completion(ns, name);
  if (!want.includes(rc)) {
    console.log(`${ns}/${name}: first run gave ${rc || "Healthy"}, the scenario expects ${want.join("|") || "Healthy"}: running it again`);
    const stamp = String(Date.now());
    kubectl(["-n", ns, "annotate", "--overwrite", "netdiag", name, `netdiag.dev/run-now=${stamp}`]);
    rc = await completion(ns, name, stamp);
  }
  console.log(`${ns}/${name}: completed, root cause ${rc || "none (healthy)"}`);
  assert.ok(want.includes(rc), `${ns}/${name}: root cause ${rc || "none"}, expected ${want.join("|") || "none"}`);
  return `${ns}/${name}`;
}

interface Series {
  metric: Record<string, string>;
}

describe("a real Prometheus scraping the operator on the lab", { skip, timeout: 900_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-prometheus-"));
  let prom: ChildProcess | undefined;
  let base = "";
  let dashboard: { panels: { title: string; targets: { expr: string }[] }[]; templating: { list: { name: string; query?: string }[] } };
  let rules: { alert: string; expr: string }[] = [];
  const namespaces = DIAGNOSES.flatMap(namespacesOf).map((ns) => `${ns}${NS_SUFFIX}`);

  async function query(expr: string): Promise<Series[]> {
    const r = await fetch(`${base}/api/v1/query?${new URLSearchParams({ query: expr })}`);
    const body = (await r.json()) as { status: string; error?: string; data?: { resultType: string; result: Series[] | [number, string] } };
    if (body.status !== "success") throw new Error(`${expr}: ${body.error}`);
    const res = body.data?.result;
    return body.data?.resultType === "scalar" ? [{ metric: {} }] : ((res as Series[]) ?? []);
  }

  before(async () => {
    const kept = [];
    for (const d of DIAGNOSES) kept.push(await runAndKeep(d));
    console.log(`diagnoses kept while Prometheus scrapes: ${kept.join(", ")}`);

    const helmBin = lastLine(join(repoRoot, "scripts/lab/build-helm"));
    const rendered = execFileSync(
      helmBin,
      [
        "template",
        "netdiag",
        join(repoRoot, "charts/netdiag"),
        "-n",
        "netdiag-system",
        "--set",
        "prometheusRule.enabled=true",
        "--show-only",
        "templates/prometheusrule.yaml",
      ],
      { encoding: "utf8" },
    );
    const spec = (parse(rendered) as { spec: { groups: { rules: { alert: string; expr: string }[] }[] } }).spec;
    rules = spec.groups.flatMap((g) => g.rules);
    writeFileSync(join(dir, "rules.yaml"), stringify(spec));
    dashboard = JSON.parse(readFileSync(join(repoRoot, "dashboards/netdiag.json"), "utf8")) as typeof dashboard;

    // the lab admin's credentials, from the kubeconfig the lab wrote
    const kc = parse(readFileSync(adminKubeconfig, "utf8")) as {
      clusters: { cluster: { server: string; "certificate-authority": string } }[];
      users: { user: { "client-certificate": string; "client-key": string } }[];
    };
    const server = new URL(kc.clusters[0]?.cluster.server as string);
    const user = kc.users[0]?.user as { "client-certificate": string; "client-key": string };
    const config = {
      global: { scrape_interval: `${SCRAPE_SECONDS}s`, evaluation_interval: `${SCRAPE_SECONDS}s` },
      rule_files: [join(dir, "rules.yaml")],
      scrape_configs: [
        {
          // the job name a ServiceMonitor of the chart gives (the Service's name): NetdiagOperatorDown selects it
          job_name: "netdiag-operator-metrics",
          scheme: "https",
          metrics_path: METRICS_PATH,
          honor_labels: true,
          tls_config: { ca_file: kc.clusters[0]?.cluster["certificate-authority"], cert_file: user["client-certificate"], key_file: user["client-key"] },
          static_configs: [{ targets: [server.host] }],
        },
      ],
    };
    writeFileSync(join(dir, "prometheus.yml"), stringify(config));
    const promDir = lastLine(join(repoRoot, "scripts/lab/build-prometheus"));
    execFileSync(join(promDir, "promtool"), ["check", "config", join(dir, "prometheus.yml")], { stdio: "inherit" });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    prom = spawn(
      join(promDir, "prometheus"),
      [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
    console.log(`prometheus pid ${prom.pid} on ${base}, data in ${dir}`);
    const end = Date.now() + 60_000;
    for (;;) {
      const up = await query('up{job="netdiag-operator-metrics"} == 1').catch(() => []);
      if (up.length > 0) break;
      if (Date.now() > end) throw new Error("Prometheus did not scrape the operator within 60 s");
      await sleep(1000);
    }
    // a rate() over a minute needs a few samples; the rules a few evaluations
    await sleep(70_000);
  });

  after(() => {
    if (prom?.pid) process.kill(prom.pid, "SIGTERM");
    for (const ns of namespaces) kubectl(["delete", "namespace", ns, "--wait=false"], { allowFail: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it("has at least one series of every family the operator exports", async () => {
    const m = new Metrics({ diagnoses: () => [], queueDepth: () => 0, isLeader: () => false, activeProbePods: () => 0 });
    const families = (m.registry.getMetricsAsArray() as unknown as { name: string; type: string }[]).map((f) =>
      f.type === "histogram" ? `${f.name}_bucket` : f.name,
    );
    const counts = await Promise.all(families.map(async (f) => [f, (await query(f)).length] as const));
    console.log(counts.map(([f, n]) => `  ${String(n).padStart(3)}  ${f}`).join("\n"));
    assert.deepEqual(
      counts.filter(([, n]) => n === 0).map(([f]) => f),
      [],
    );
  });

  it("answers every query of the dashboard and of the alert rules with data", async () => {
    const grafana = (e: string) => e.replaceAll("$__rate_interval", "1m").replaceAll("$namespace", ".*").replaceAll("$diagnosis", ".*");
    const queries = [
      ...dashboard.templating.list
        .filter((v) => v.query?.startsWith("label_values("))
        .map((v) => ({ what: `variable ${v.name}`, expr: grafana((/^label_values\((.*),\s*\w+\)$/.exec(v.query as string)?.[1] as string) ?? "") })),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => ({ what: `panel "${p.title}"`, expr: grafana(t.expr) }))),
      ...rules.map((r) => ({ what: `alert ${r.alert} (signal)`, expr: alertSignal(r.expr) })),
    ];
    const rows: { what: string; expr: string; n: number }[] = [];
    for (const q of queries) rows.push({ ...q, n: (await query(q.expr)).length });
    console.log(`queries and their series counts (${rows.length}):\n${rows.map((r) => `  ${String(r.n).padStart(3)}  ${r.what}: ${r.expr}`).join("\n")}`);
    assert.deepEqual(
      rows.filter((r) => r.n === 0).map((r) => `${r.what}: ${r.expr}`),
      [],
    );
  });

  it("evaluates every alert rule without error; the expiring certificate fires, the operator alerts do not", async () => {
    const r = (await (await fetch(`${base}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { name: string; health: string; lastError?: string; state: string }[] }[] };
    };
    const loaded = r.data.groups.flatMap((g) => g.rules);
    console.log(loaded.map((x) => `  ${x.name}: health ${x.health}, ${x.state}`).join("\n"));
    assert.equal(loaded.length, rules.length);
    assert.deepEqual(
      loaded.filter((x) => x.health !== "ok").map((x) => `${x.name}: ${x.health} ${x.lastError ?? ""}`),
      [],
    );
    const firing = (name: string) => loaded.find((x) => x.name === name)?.state;
    assert.equal(firing("NetdiagCertificateExpiresSoon"), "firing");
    for (const quiet of ["NetdiagOperatorDown", "NetdiagOperatorAbsent", "NetdiagNoLeader", "NetdiagWatchRestarting"])
      assert.equal(firing(quiet), "inactive", quiet);
    const cert = await query("min by (namespace, diagnosis, target) (netdiag_tls_cert_expiry_timestamp_seconds) - time()");
    assert.ok(
      cert.some((s) => s.metric["namespace"] === `https-cert-expiring-soon${NS_SUFFIX}` && s.metric["target"] === "backend"),
      "the HTTPS scenario's certificate expiry is scraped",
    );
  });
});
