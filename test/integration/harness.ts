/**
 * Integration-test harness for the level-1 lab (a real kube-apiserver, controller-manager
 * and scheduler; see scripts/lab/). It gives tests:
 * - `admin`: a REST client with the lab's admin kubeconfig, and `kubectl`;
 * - `installOperatorObjects()`: the CRD and deploy/ RBAC applied as a user would;
 * - `operatorKubeconfig()`: a kubeconfig holding a token minted for the operator's own
 *   ServiceAccount (never system:masters), so the operator runs under its shipped RBAC;
 * - `startOperator()`: the operator as a separate process (`node src/main.ts`);
 * - `Kubelet`: the test acting as kubelet for probe pods (writes their status).
 *
 * @module
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { KubeConfig } from "@kubernetes/client-node";
import { parse, stringify } from "yaml";
import { Rest } from "../../src/k8s/rest.ts";
import { kubectlBinary } from "../../src/dev/scenario/kubectl.ts";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const labDir = process.env.NETDIAG_LAB_DIR ?? join(repoRoot, ".lab");
export const adminKubeconfig = process.env.KUBECONFIG && existsSync(process.env.KUBECONFIG) ? process.env.KUBECONFIG : join(labDir, "kubeconfig");

/** Skips a suite with a clear reason when the lab is not up. */
export function labMissing(): string | false {
  if (!existsSync(adminKubeconfig)) return `no lab kubeconfig at ${adminKubeconfig}: run npm run lab:up`;
  return false;
}

export function kubectl(args: string[], opts: { input?: string; kubeconfig?: string; allowFail?: boolean } = {}): string {
  try {
    return execFileSync(kubectlBinary(), ["--kubeconfig", opts.kubeconfig ?? adminKubeconfig, ...args], {
      input: opts.input,
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
    });
  } catch (err) {
    if (opts.allowFail) return `${(err as { stdout?: string }).stdout ?? ""}${(err as { stderr?: string }).stderr ?? String(err)}`;
    const e = err as { stderr?: string; message: string };
    throw new Error(`kubectl ${args.join(" ")} failed: ${e.stderr ?? e.message}`);
  }
}

/** Runs the netdiag CLI as its own process; async, so the test can keep acting as kubelet meanwhile. */
export function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(repoRoot, "src/cli/netdiag.ts"), ...args], { env: { ...process.env, KUBECONFIG: adminKubeconfig } });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

export function apply(docs: unknown[] | string, kubeconfig?: string): string {
  const input = typeof docs === "string" ? docs : docs.map((d) => stringify(d)).join("---\n");
  return kubectl(["apply", "-f", "-"], { input, ...(kubeconfig ? { kubeconfig } : {}) });
}

export function restFor(kubeconfig: string): Rest {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return new Rest(kc);
}

let adminRest: Rest | undefined;
export function admin(): Rest {
  adminRest ??= restFor(adminKubeconfig);
  return adminRest;
}

/** Applies the generated CRD and the shipped RBAC (deploy/00,10), and waits for the CRD. */
export function installOperatorObjects(): void {
  kubectl(["apply", "-f", join(repoRoot, "crds"), "-f", join(repoRoot, "deploy/00-namespace.yaml"), "-f", join(repoRoot, "deploy/10-rbac.yaml")]);
  kubectl(["wait", "--for=condition=Established", "crd/networkdiagnoses.netdiag.dev", "--timeout=60s"]);
}

/** A kubeconfig for the operator's ServiceAccount, with a freshly minted token. */
export function operatorKubeconfig(): string {
  const token = kubectl(["-n", "netdiag-system", "create", "token", "netdiag-operator", "--duration=2h"]).trim();
  const adminCfg = parse(readFileSync(adminKubeconfig, "utf8")) as { clusters: { name: string; cluster: Record<string, unknown> }[] };
  const cluster = adminCfg.clusters[0] as { name: string; cluster: Record<string, unknown> };
  const cfg = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "lab", cluster: cluster.cluster }],
    users: [{ name: "netdiag-operator", user: { token } }],
    contexts: [{ name: "operator", context: { cluster: "lab", user: "netdiag-operator" } }],
    "current-context": "operator",
  };
  mkdirSync(join(labDir, "test"), { recursive: true });
  const path = join(labDir, "test", "operator.kubeconfig");
  writeFileSync(path, stringify(cfg), { mode: 0o600 });
  return path;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export interface OperatorProcess {
  proc: ChildProcess;
  port: number;
  identity: string;
  logs: () => string;
  /** SIGTERM and wait for exit. */
  stop: () => Promise<void>;
  /** SIGKILL (a crash) and wait for exit. */
  kill: () => Promise<void>;
  metrics: () => Promise<string>;
}

export async function startOperator(opts: { kubeconfig: string; identity: string; extraArgs?: string[]; leaseName?: string }): Promise<OperatorProcess> {
  const port = await freePort();
  const args = [
    join(repoRoot, "src/main.ts"),
    "--kubeconfig",
    opts.kubeconfig,
    "--port",
    String(port),
    "--identity",
    opts.identity,
    "--lease-namespace",
    "netdiag-system",
    "--lease-name",
    opts.leaseName ?? "netdiag-operator-test",
    "--lease-duration-seconds",
    "4",
    "--probe-pending-timeout-seconds",
    "8",
    "--log-level",
    "debug",
    ...(opts.extraArgs ?? []),
  ];
  const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, KUBECONFIG: "" } });
  let out = "";
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  const end = async (sig: NodeJS.Signals) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill(sig);
    await exited;
  };
  const op: OperatorProcess = {
    proc,
    port,
    identity: opts.identity,
    logs: () => out,
    stop: () => end("SIGTERM"),
    kill: () => end("SIGKILL"),
    metrics: async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text(),
  };
  await waitFor(
    async () => {
      if (proc.exitCode !== null) throw new Error(`operator exited early:\n${out}`);
      try {
        return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
      } catch {
        return false;
      }
    },
    30_000,
    "operator /readyz",
  );
  return op;
}

/** Polls `fn` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(fn: () => Promise<T> | T, timeoutMs = 20_000, what = "condition", everyMs = 100): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
      if (String((err as Error).message).startsWith("operator exited")) throw err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
