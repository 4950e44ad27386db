// Test helper: builds the throw-away network lab (netns-lab.sh) and runs the probe inside
// the lab's client namespace. Root only; callers skip with labSkipReason() otherwise.
import { spawnSync } from "node:child_process";
import { before, describe } from "node:test";
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { IMAGE_PATH, repoPath, type Toolset, type ToolsetName, TOOLSETS, toolsetArgv, toolsetSkipReason } from "./toolset.ts";

export { TOOLSETS, type Toolset, type ToolsetName, toolsetSkipReason } from "./toolset.ts";

const here = path.dirname(new URL(import.meta.url).pathname);
export const repoRoot = path.resolve(here, "..", "..");
export const PROBE = path.join(repoRoot, "probe", "netdiag-probe");
const LAB_SH = path.join(here, "netns-lab.sh");

export const DEFAULT_RESOLV = "nameserver 198.18.201.2\nsearch shop.lab.test lab.test\noptions ndots:5\n";

export interface CheckResult {
  check: string;
  outcome: string;
  durationMs: number;
  detail: Record<string, any>;
}
export interface ProbeResult {
  version: number;
  runId: string | null;
  node: string;
  podIP: string | null;
  startedAt: string;
  durationMs: number;
  context: Record<string, any>;
  targets: { name: string; checks: CheckResult[] }[];
}
export interface ProbeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  result: ProbeResult | undefined;
  summaryRaw: string;
  summary: any;
  /** What the probe left in its TMPDIR (the termination log lives there too). */
  workFiles: string[];
}

/** The host's path of a command (a test may give the probe a PATH that hides it). */
function hostCommand(name: string): string {
  const r = spawnSync("sh", ["-c", 'command -v "$1"', "sh", name], { encoding: "utf8" });
  return r.stdout?.trim() || name;
}
const IP = hostCommand("ip");

/** Why the lab cannot run here, or undefined when it can. */
export function labSkipReason(): string | undefined {
  if (process.platform !== "linux") return "the network lab needs Linux network namespaces";
  if (process.getuid?.() !== 0) return "the network lab needs root (network namespaces, iptables)";
  const r = spawnSync("ip", ["netns", "list"], { encoding: "utf8" });
  if (r.status !== 0) return `ip netns is not usable here: ${r.stderr || r.error?.message}`;
  return undefined;
}

/** The probe pod's numeric uid/gid under Pod Security `restricted` (src/diagnosis/probe-pod.ts). */
export const PROBE_UID = 65532;

/**
 * Drops to PROBE_UID the way a `restricted` pod runs: no groups, no capabilities (none
 * inheritable, an empty bounding set, so even ping's file capability cap_net_raw is void)
 * and no_new_privs (allowPrivilegeEscalation: false).
 */
export const UNPRIVILEGED = [
  hostCommand("setpriv"),
  `--reuid=${PROBE_UID}`,
  `--regid=${PROBE_UID}`,
  "--clear-groups",
  "--inh-caps=-all",
  "--ambient-caps=-all",
  "--bounding-set=-all",
  "--no-new-privs",
  "--",
];

export interface RunOptions {
  plan?: unknown;
  /** The plan as raw JSON text (for numbers JSON.stringify cannot write, e.g. 1e400). */
  planText?: string;
  args?: string[];
  netns?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Run as PROBE_UID without capabilities (implies inline). */
  unprivileged?: boolean;
  /** Run as `bash -c <program>`, the way the operator ships it. */
  inline?: boolean;
  /** The tools the probe runs with (toolset.ts); default debian, the host's. */
  toolset?: ToolsetName;
}

/** Runs the probe with the given environment, optionally inside a network namespace. */
export function runProbe(opts: RunOptions): ProbeRun {
  const ts = opts.toolset ?? "debian";
  const work = mkdtempSync(path.join(tmpdir(), "ndp-run-"));
  if (opts.unprivileged) chownSync(work, PROBE_UID, PROBE_UID);
  const termLog = path.join(work, "termination-log");
  const env: Record<string, string> = {
    // alpine-like: the image's PATH, as its container has it (the host's /tmp is shared, so
    // TMPDIR and the termination log keep their paths inside the rootfs)
    PATH: ts === "debian" ? (process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin") : IMAGE_PATH,
    TMPDIR: work,
    HOME: work,
    NETDIAG_TERMINATION_LOG: termLog,
    NODE_NAME: "lab-node",
    ...opts.env,
  };
  if (opts.plan !== undefined) env.NETDIAG_PLAN = JSON.stringify(opts.plan);
  if (opts.planText !== undefined) env.NETDIAG_PLAN = opts.planText;
  const inline = opts.inline || opts.unprivileged;
  let argv: string[] = inline
    ? ["/bin/bash", "-c", readFileSync(PROBE, "utf8"), "netdiag-probe", ...(opts.args ?? [])]
    : [repoPath(ts, PROBE), ...(opts.args ?? [])];
  if (ts === "debian") {
    if (opts.unprivileged) argv = [...UNPRIVILEGED, ...argv];
  } else {
    argv = toolsetArgv(ts, argv, opts.unprivileged ? { user: PROBE_UID } : {});
  }
  if (opts.netns) argv = [IP, "netns", "exec", opts.netns, ...argv];
  const t0 = Date.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { env, encoding: "utf8", timeout: opts.timeoutMs ?? 60_000, cwd: opts.unprivileged ? "/" : undefined });
  const wallMs = Date.now() - t0;
  let summaryRaw = "";
  try {
    summaryRaw = readFileSync(termLog, "utf8");
  } catch {
    summaryRaw = "";
  }
  const workFiles = readdirSync(work).sort();
  rmSync(work, { recursive: true, force: true });
  const line = r.stdout.split("\n").find((l) => l.startsWith("NETDIAG_RESULT "));
  const result = line ? (JSON.parse(line.slice("NETDIAG_RESULT ".length)) as ProbeResult) : undefined;
  let summary: any;
  try {
    summary = summaryRaw ? JSON.parse(summaryRaw) : undefined;
  } catch {
    summary = undefined;
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, wallMs, result, summaryRaw, summary, workFiles };
}

/** The lab: client / router / server namespaces named ndp-<pid>-{c,r,s}. */
export class Lab {
  readonly prefix: string;
  readonly dir: string;
  readonly client: string;
  readonly caFile: string;
  /** The tools lab.run() uses (forToolsets switches it per suite). */
  toolset: ToolsetName = "debian";
  private isUp = false;
  private readonly onExit = (): void => this.down();

  constructor() {
    this.prefix = `ndp-${process.pid}-`;
    this.dir = mkdtempSync(path.join(tmpdir(), "ndp-lab-"));
    this.client = `${this.prefix}c`;
    this.caFile = path.join(this.dir, "pki", "ca.crt");
  }

  up(): void {
    const deps = spawnSync(LAB_SH, ["deps"], { encoding: "utf8" });
    if (deps.status !== 0) throw new Error(`netns-lab deps failed: ${deps.stderr}`);
    process.once("exit", this.onExit);
    this.isUp = true;
    const r = spawnSync(LAB_SH, ["up", this.prefix, this.dir], { encoding: "utf8", timeout: 120_000 });
    if (r.status !== 0) {
      this.down();
      throw new Error(`netns-lab up failed (${r.status}): ${r.stderr}${r.stdout}`);
    }
  }

  down(): void {
    if (!this.isUp) return;
    this.isUp = false;
    process.removeListener("exit", this.onExit);
    spawnSync(LAB_SH, ["down", this.prefix, this.dir], { encoding: "utf8", timeout: 60_000 });
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Sets the client's /etc/resolv.conf (as seen inside its namespace). */
  setResolvConf(text: string): void {
    writeFileSync(`/etc/netns/${this.client}/resolv.conf`, text);
  }

  run(plan: unknown, opts: Omit<RunOptions, "plan" | "netns"> = {}): ProbeRun {
    return runProbe({ plan, netns: this.client, toolset: this.toolset, ...opts });
  }

  /** Runs a command inside the client namespace (throws on failure). */
  clientExec(...cmd: string[]): string {
    const r = spawnSync("ip", ["netns", "exec", this.client, ...cmd], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd.join(" ")} failed: ${r.stderr}`);
    return r.stdout;
  }

  /** Sets net.ipv4.ping_group_range in the client namespace (it is per network namespace). */
  setPingGroupRange(range: string): void {
    this.clientExec("sysctl", "-qw", `net.ipv4.ping_group_range=${range}`);
  }
}

/**
 * One suite per tool set (toolset.ts) around BODY, all on the same lab: each suite points
 * lab.run() at its tools first; a tool set that cannot run here is skipped, saying why.
 */
export function forToolsets(lab: () => Lab | undefined, body: (ts: Toolset) => void): void {
  for (const ts of TOOLSETS) {
    describe(ts.label, { skip: toolsetSkipReason(ts) }, () => {
      before(() => {
        const l = lab();
        if (l) l.toolset = ts.name;
      });
      body(ts);
    });
  }
}

/** A one-target plan with the given checks. */
export function plan(checks: Record<string, unknown>[], timeoutSeconds = 3, name = "t"): unknown {
  return { version: 1, runId: "test", timeoutSeconds, targets: [{ name, checks }] };
}

/** Runs one check in the lab and returns its result. */
export function one(lab: Lab, check: Record<string, unknown>, timeoutSeconds = 3): CheckResult {
  const r = lab.run(plan([check], timeoutSeconds));
  if (r.code !== 0 || !r.result) throw new Error(`probe failed (${r.code}): ${r.stderr}\n${r.stdout}`);
  const c = r.result.targets[0]?.checks[0];
  if (!c) throw new Error(`no check result in ${r.stdout}`);
  return c;
}
