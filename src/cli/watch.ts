/**
 * `watch NAME|NAMESPACE/NAME [--timeout S] [--after-run ID] [-o text|json] [--watch]`:
 * follows a NetworkDiagnosis on the cluster — the run, each probe pod and its layers live,
 * then the report, root cause first. `--watch` stays for the runs after it (a schedule,
 * a spec change, a run-now annotation) until interrupted. Exit 0 healthy, 1 unhealthy or
 * unknown, 2 bad input, invalid spec or timeout.
 *
 * `followReports` is shared with `run` and `report --watch`.
 *
 * @module
 */
import { Command, Option } from "commander";
import type { Rest } from "../k8s/rest.ts";
import { ClusterError, connect, diagnosisRef, withClusterFlags } from "./cluster.ts";
import { type CommandResult, defineCommand, fail, invoke, outputOption, programName, seconds } from "./command.ts";
import { displayFor } from "./display.ts";
import { follow } from "./follow.ts";
import { exitCodeOf, statusJson, statusReport } from "./status-report.ts";

export interface FollowReports {
  rest: Rest;
  namespace: string;
  name: string;
  output: "text" | "json";
  afterRun?: string;
  /** Seconds to wait for each run; absent with --watch: for ever. */
  timeoutSeconds?: number;
  watch: boolean;
  /** Prefix of error messages, e.g. `netdiag run`. */
  who: string;
  out?: NodeJS.WriteStream;
}

/** Follows runs and prints each report; returns after the first unless `watch`. */
export async function followReports(o: FollowReports): Promise<CommandResult> {
  const out = o.out ?? process.stdout;
  let after = o.afterRun;
  for (;;) {
    const display = displayFor(o.output, out);
    const deadline = o.timeoutSeconds === undefined ? Number.POSITIVE_INFINITY : Date.now() + o.timeoutSeconds * 1000;
    const r = await follow({ rest: o.rest, namespace: o.namespace, name: o.name, display, deadline, ...(after ? { afterRun: after } : {}) });
    if (r.kind === "completed" && o.output === "text" && !out.isTTY)
      display.note(`run ${r.status.lastRun?.id} finished in ${r.status.lastRun?.durationSeconds}s`);
    display.end();
    if (r.kind === "invalid") return fail(o.who, `invalid spec: ${r.message}`);
    if (r.kind === "timeout") return fail(o.who, `${o.namespace}/${o.name} did not complete a run in ${o.timeoutSeconds}s (--timeout)`);
    const json = statusJson(o.namespace, o.name, r.status);
    out.write(
      o.output === "json"
        ? `${JSON.stringify(json, null, o.watch ? undefined : 2)}\n`
        : `${o.watch || !out.isTTY ? "\n" : ""}${statusReport(`${o.namespace}/${o.name}`, r.status)}`,
    );
    if (!o.watch) return { code: exitCodeOf(r.status), stdout: "", stderr: "" };
    after = r.status.lastRun?.id;
  }
}

interface WatchFlags {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  timeout?: number;
  afterRun?: string;
  output: "text" | "json";
  watch?: boolean;
}

async function watchAction(f: WatchFlags, [ref]: string[]): Promise<CommandResult> {
  const who = `${programName()} watch`;
  try {
    const c = connect(f);
    const d = diagnosisRef(ref ?? "", c.namespace);
    return await followReports({
      rest: c.rest,
      ...d,
      output: f.output,
      ...(f.afterRun ? { afterRun: f.afterRun } : {}),
      ...(f.watch ? {} : { timeoutSeconds: f.timeout ?? 180 }),
      watch: f.watch ?? false,
      who,
    });
  } catch (e) {
    if (e instanceof ClusterError) return fail(who, e.message);
    throw e;
  }
}

export function watchCommand(): Command {
  const cmd = withClusterFlags(
    new Command("watch")
      .summary("follow a NetworkDiagnosis: live progress, then the report")
      .description(
        "Follows a NetworkDiagnosis until its next run completes: each probe pod and its layers live (an updating display on a TTY, plain lines otherwise), then the report, root cause first.\nExit: 0 healthy, 1 unhealthy or unknown, 2 bad input, invalid spec or timeout.",
      )
      .argument("<diagnosis>", "NAME (with -n) or NAMESPACE/NAME"),
  )
    .addOption(new Option("--timeout <seconds>", "give up after this long (default 180)").argParser(seconds))
    .option("--after-run <id>", "wait for a run other than this one (the one already seen)")
    .addOption(outputOption())
    .option("-w, --watch", "keep following the runs after it until interrupted");
  return defineCommand(cmd, watchAction);
}

export function runWatch(argv: readonly string[]): Promise<CommandResult> {
  return invoke(watchCommand(), argv);
}
