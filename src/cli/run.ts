/**
 * `run [-n NS] [--from REF] --to REF [--to REF ...] [--expect-blocked REF ...]` (also
 * `kubectl netdiag run`, via bin/kubectl-netdiag): creates a NetworkDiagnosis from the
 * references, follows it live (per layer and per probe pod) and prints the report, root
 * cause first. The resource stays, so `kubectl get netdiag`, `report` and Grafana keep its
 * result. `--blocked` is the older name of `--expect-blocked`.
 * Exit 0 healthy, 1 unhealthy or unknown (CI can gate on it), 2 bad input or timeout.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { Command, Option } from "commander";
import { ControllerLabels } from "../analyzers/source.ts";
import { validateSpec } from "../api/diagnosis.ts";
import { ApiVersion, Kind } from "../api/group.ts";
import type { Rest } from "../k8s/rest.ts";
import { ClusterError, connect, diagnosisPath, withClusterFlags } from "./cluster.ts";
import { type CommandResult, collect, defineCommand, fail, invoke, outputOption, programName, seconds } from "./command.ts";
import { insideSource, parseSource, parseTarget, RefError, type SourceRef, uniqueNames } from "./run-refs.ts";
import { followReports } from "./watch.ts";

async function sourceSelector(rest: Rest, ns: string, ref: SourceRef): Promise<Record<string, string>> {
  if (ref.kind === "labels") return ref.labels;
  if (ref.kind === "pod") {
    const p = await rest.get<{ metadata: { labels?: Record<string, string> } }>(`/api/v1/namespaces/${ns}/pods/${ref.name}`);
    return Object.fromEntries(Object.entries(p.metadata.labels ?? {}).filter(([k]) => !(ControllerLabels as readonly string[]).includes(k)));
  }
  const w = await rest.get<{ spec: { selector?: { matchLabels?: Record<string, string> } } }>(`/apis/apps/v1/namespaces/${ns}/${ref.resource}/${ref.name}`);
  const m = w.spec.selector?.matchLabels;
  if (!m || Object.keys(m).length === 0) throw new RefError(`${ref.resource}/${ref.name} has no matchLabels selector; use --from key=value`);
  return m;
}

interface RunFlags {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  from?: string;
  inside?: string | true;
  to?: string[];
  expectBlocked?: string[];
  blocked?: string[];
  name?: string;
  timeout?: number;
  output: "text" | "json";
  watch?: boolean;
}

async function runAction(f: RunFlags): Promise<CommandResult> {
  const who = `${programName()} run`;
  let c: ReturnType<typeof connect>;
  try {
    c = connect(f);
  } catch (e) {
    if (e instanceof ClusterError) return fail(who, e.message);
    throw e;
  }
  const ns = c.namespace;
  let spec: Record<string, unknown>;
  try {
    const blocked = [...(f.expectBlocked ?? []), ...(f.blocked ?? [])];
    const targets = uniqueNames([...(f.to ?? []).map((r) => parseTarget(r)), ...blocked.map((r) => parseTarget(r, true))]);
    if (targets.length === 0) throw new RefError("give at least one --to (or --expect-blocked) target");
    spec = { targets, ...(f.timeout ? { timeoutSeconds: f.timeout } : {}) };
    if (f.inside !== undefined) spec.source = insideSource(f.from, f.inside);
    else if (f.from) spec.source = { podSelector: { matchLabels: await sourceSelector(c.rest, ns, parseSource(f.from)) } };
  } catch (e) {
    return fail(who, (e as Error).message);
  }
  const v = validateSpec(spec);
  if (!v.ok) return fail(who, v.message);
  const name = f.name ?? `run-${randomBytes(3).toString("hex")}`;
  try {
    await c.rest.create(diagnosisPath(ns), {
      apiVersion: ApiVersion,
      kind: Kind,
      metadata: { name, namespace: ns, labels: { "netdiag.dev/created-by": "netdiag-run" } },
      spec,
    });
  } catch (e) {
    return fail(who, (e as Error).message);
  }
  if (f.output === "text") process.stdout.write(`networkdiagnosis ${ns}/${name} created\n`);
  const r = await followReports({
    rest: c.rest,
    namespace: ns,
    name,
    output: f.output,
    ...(f.watch ? {} : { timeoutSeconds: (v.spec.timeoutSeconds ?? 30) + 120 }),
    watch: f.watch ?? false,
    who,
  });
  return f.output === "text" && r.code !== 2 ? { ...r, stdout: `${r.stdout}\n(kubectl -n ${ns} delete netdiag ${name} removes it)\n` } : r;
}

export function runCommand(): Command {
  const cmd = withClusterFlags(
    new Command("run")
      .summary("create a NetworkDiagnosis, follow it live, print the report")
      .description(
        "Creates a NetworkDiagnosis from the references and follows it: the run, each probe pod and its layers live (an updating display on a TTY, plain lines otherwise, nothing but the JSON with -o json), then the report, root cause first.\nExit: 0 healthy, 1 unhealthy or unknown, 2 bad input, invalid spec or timeout.",
      ),
  )
    .option(
      "--from <ref>",
      "where the probe stands: deploy/NAME, statefulset/NAME, daemonset/NAME, pod/NAME or key=value[,key=value] (default: a plain probe pod)",
    )
    .option(
      "--inside [container]",
      "probe from inside the --from pod/NAME itself, as kubectl debug --target does: an ephemeral container that stays in the pod spec (needs the admin's opt-in RBAC; docs/adr/0014-probe-in-pod.md)",
    )
    .addOption(
      new Option("--to <ref>", "a target that must be reachable: svc/NAME[.NAMESPACE]:PORT, http(s)://URL or HOST:PORT (repeatable)").argParser(collect),
    )
    .addOption(new Option("--expect-blocked <ref>", "a target that must be blocked, written as for --to (repeatable)").argParser(collect))
    .addOption(new Option("--blocked <ref>", "the same as --expect-blocked").argParser(collect).hideHelp())
    .option("--name <name>", "name of the NetworkDiagnosis (default: run-<random>)")
    .addOption(new Option("--timeout <seconds>", "spec.timeoutSeconds of the diagnosis").argParser(seconds))
    .addOption(outputOption())
    .option("-w, --watch", "after the report, keep following later runs until interrupted");
  return defineCommand(cmd, runAction);
}

export function runRun(argv: readonly string[]): Promise<CommandResult> {
  return invoke(runCommand(), argv);
}
