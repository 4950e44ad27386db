/**
 * Runs one scenario folder on a live cluster where the operator is running: setup,
 * apply manifests, wait until pods settle, apply the diagnosis, wait for Completed,
 * check expect.yaml, teardown, delete the namespaces. Returns a result row; never throws
 * for a failing expectation (it says what failed).
 *
 * @module
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { parse, parseAllDocuments } from "yaml";
import { type Expect, ExpectSchema, type ObservedStatus, checkExpect } from "./expect.ts";
import { kubectl, kubectlOk, repoRoot } from "./kubectl.ts";
import { settled } from "./settle.ts";

export interface ScenarioResult {
  name: string;
  passed: boolean;
  expected: string;
  actual: string;
  findings: string[];
  secondsToVerdict: number;
  problems: string[];
}

interface Doc {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: { replicas?: number };
}

const execFileP = promisify(execFile);

/** Fault injection on the lab's inter-node link (scripts/lab/node/link), the only lab command a scenario may run. */
async function labLink(args: string[]): Promise<void> {
  await execFileP(join(repoRoot, "scripts", "lab", "node", "link"), args, { timeout: 30_000 });
}

async function readyNodes(): Promise<number> {
  const out = await kubectlOk(["get", "nodes", "-o", "json"]);
  const items = (JSON.parse(out) as { items: { status?: { conditions?: { type: string; status: string }[] } }[] }).items;
  return items.filter((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function podBriefs(ns: string) {
  const out = await kubectlOk(["-n", ns, "get", "pods", "-o", "json"]);
  const items = (
    JSON.parse(out) as {
      items: { metadata: { name: string; labels?: Record<string, string> }; status?: { conditions?: { type: string; status: string }[] } }[];
    }
  ).items;
  return items
    .filter((p) => !p.metadata.labels?.["netdiag.dev/probe"])
    .map((p) => ({ name: p.metadata.name, ready: p.status?.conditions?.find((c) => c.type === "Ready")?.status === "True" }));
}

export async function runScenario(dir: string, log: (line: string) => void = () => {}, opts: { timeoutMs?: number } = {}): Promise<ScenarioResult> {
  const name = basename(dir);
  const manifests = readFileSync(join(dir, "manifests.yaml"), "utf8");
  const diagnosisText = readFileSync(join(dir, "diagnosis.yaml"), "utf8");
  const expect: Expect = ExpectSchema.parse(parse(readFileSync(join(dir, "expect.yaml"), "utf8")));
  const docs = parseAllDocuments(manifests)
    .map((d) => d.toJSON() as Doc)
    .filter(Boolean);
  const diag = parse(diagnosisText) as Doc;
  const namespaces = [...new Set(docs.filter((d) => d.kind === "Namespace").map((d) => d.metadata?.name as string))];
  const expectedPods =
    docs.filter((d) => d.kind === "Deployment").reduce((n, d) => n + (d.spec?.replicas ?? 1), 0) + docs.filter((d) => d.kind === "Pod").length;
  const result: ScenarioResult = {
    name,
    passed: false,
    expected: [expect.rootCause ?? `Healthy=${expect.healthy}`].flat().join("|"),
    actual: "-",
    findings: [],
    secondsToVerdict: Number.NaN,
    problems: [],
  };
  try {
    if (expect.nodes !== undefined) {
      const ready = await readyNodes();
      if (ready < expect.nodes)
        throw new Error(`needs ${expect.nodes} Ready nodes, the lab has ${ready}: start it with scripts/lab/up --nodes ${expect.nodes}`);
    }
    for (const args of expect.setup ?? []) {
      log(`setup: kubectl ${args.join(" ")}`);
      await kubectlOk(args);
    }
    log(`apply ${name}/manifests.yaml`);
    await kubectlOk(["apply", "-f", "-"], manifests);
    const seen = new Map<string, number>();
    const settleEnd = Date.now() + 120_000;
    for (;;) {
      const pods = (await Promise.all(namespaces.map(podBriefs))).flat();
      if (settled(pods, expectedPods, seen, Date.now())) break;
      if (Date.now() > settleEnd) throw new Error(`pods did not settle in 120 s: ${JSON.stringify(pods)}`);
      await sleep(1000);
    }
    // the lab fault last, on a settled cluster (a network that breaks under a running app)
    for (const args of expect.lab?.setup ?? []) {
      log(`lab setup: scripts/lab/node/link ${args.join(" ")}`);
      await labLink(args);
    }
    log("workload settled; applying the diagnosis");
    const ns = diag.metadata?.namespace as string;
    const dname = diag.metadata?.name as string;
    const t0 = Date.now();
    await kubectlOk(["apply", "-f", "-"], diagnosisText);
    let status: (ObservedStatus & { findings?: { code: string; severity?: string }[] }) | undefined;
    const end = t0 + (opts.timeoutMs ?? 120_000);
    for (;;) {
      const r = await kubectl(["-n", ns, "get", "networkdiagnosis", dname, "-o", "json"]);
      if (r.ok) {
        const s = (JSON.parse(r.stdout) as { status?: ObservedStatus & { conditions?: { type: string; status: string }[] } }).status;
        if (s?.conditions?.some((c) => c.type === "Completed" && c.status === "True")) {
          status = s;
          break;
        }
      }
      if (Date.now() > end) throw new Error("the diagnosis did not complete in time");
      await sleep(250);
    }
    result.secondsToVerdict = Math.round((Date.now() - t0) / 100) / 10;
    result.actual = status.rootCause?.code ?? `Healthy=${status.conditions?.find((c) => c.type === "Healthy")?.status}`;
    result.findings = (status.findings ?? []).map((f) => `${f.code}${f.severity ? `(${f.severity[0]})` : ""}`);
    result.problems = checkExpect(expect, status);
    result.passed = result.problems.length === 0;
    if (status.rootCause) log(`root cause: ${status.rootCause.code}: ${status.rootCause.message}`);
  } catch (err) {
    result.problems.push(String((err as Error).message ?? err));
  } finally {
    for (const args of expect.lab?.teardown ?? []) {
      log(`lab teardown: scripts/lab/node/link ${args.join(" ")}`);
      await labLink(args).catch((err: Error) => result.problems.push(`lab teardown failed: ${err.message}`));
    }
    for (const args of expect.teardown ?? []) {
      log(`teardown: kubectl ${args.join(" ")}`);
      const r = await kubectl(args);
      if (!r.ok) result.problems.push(`teardown failed: kubectl ${args.join(" ")}: ${r.stderr.trim()}`);
    }
    for (const ns of namespaces) await kubectl(["delete", "namespace", ns, "--wait=true", "--timeout=120s"]);
  }
  result.passed = result.problems.length === 0;
  return result;
}

/** The results as a fixed-width table. */
export function resultTable(rows: ScenarioResult[]): string {
  const head = ["scenario", "verdict", "expected", "actual", "seconds", "findings"];
  const body = rows.map((r) => [
    r.name,
    r.passed ? "PASS" : "FAIL",
    r.expected,
    r.actual,
    Number.isNaN(r.secondsToVerdict) ? "-" : String(r.secondsToVerdict),
    r.findings.join(","),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join("  ")
      .trimEnd();
  return [line(head), ...body.map(line)].join("\n");
}
