/**
 * `report NAME|NAMESPACE/NAME [-n NS] [-o text|json] [--watch]`: the report of a
 * NetworkDiagnosis' last completed run, root cause first, without starting a run.
 * `--watch` then follows the runs after it, live, until interrupted.
 * Exit 0 healthy, 1 unhealthy or unknown, 2 not found or no run completed yet.
 *
 * @module
 */
import { Command } from "commander";
import type { Status } from "../api/status.ts";
import { NotFoundError } from "../k8s/errors.ts";
import { ClusterError, connect, diagnosisPath, diagnosisRef, withClusterFlags } from "./cluster.ts";
import { type CommandResult, defineCommand, fail, invoke, outputOption, programName } from "./command.ts";
import { exitCodeOf, statusJson, statusReport } from "./status-report.ts";
import { followReports } from "./watch.ts";

interface ReportFlags {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  output: "text" | "json";
  watch?: boolean;
}

async function reportAction(f: ReportFlags, [ref]: string[]): Promise<CommandResult> {
  const who = `${programName()} report`;
  let c: ReturnType<typeof connect>;
  let d: { namespace: string; name: string };
  try {
    c = connect(f);
    d = diagnosisRef(ref ?? "", c.namespace);
  } catch (e) {
    if (e instanceof ClusterError) return fail(who, e.message);
    throw e;
  }
  let status: Status | undefined;
  try {
    status = (await c.rest.get<{ status?: Status }>(diagnosisPath(d.namespace, d.name))).status;
  } catch (e) {
    if (e instanceof NotFoundError) return fail(who, `no NetworkDiagnosis ${d.name} in namespace ${d.namespace} (kubectl get netdiag -A lists them)`);
    return fail(who, (e as Error).message);
  }
  const completed = status?.conditions?.some((x) => x.type === "Completed" && x.status === "True") && status.lastRun !== undefined;
  if (!completed && !f.watch)
    return fail(who, `${d.namespace}/${d.name} has not completed a run yet; ${programName()} watch ${d.namespace}/${d.name} follows it`);
  let stdout = "";
  if (completed) {
    stdout =
      f.output === "json"
        ? `${JSON.stringify(statusJson(d.namespace, d.name, status), null, f.watch ? undefined : 2)}\n`
        : statusReport(`${d.namespace}/${d.name}`, status);
  }
  if (!f.watch) return { code: exitCodeOf(status), stdout, stderr: "" };
  process.stdout.write(stdout);
  return followReports({ rest: c.rest, ...d, output: f.output, ...(completed && status?.lastRun ? { afterRun: status.lastRun.id } : {}), watch: true, who });
}

export function reportCommand(): Command {
  const cmd = withClusterFlags(
    new Command("report")
      .summary("print the report of a NetworkDiagnosis' last run (root cause first)")
      .description(
        "Prints the report of the last completed run of a NetworkDiagnosis, root cause first, without starting a run. With --watch, then follows every later run live.\nExit: 0 healthy, 1 unhealthy or unknown, 2 not found or no run completed yet.",
      )
      .argument("<diagnosis>", "NAME (with -n) or NAMESPACE/NAME"),
  )
    .addOption(outputOption())
    .option("-w, --watch", "then follow the runs after it until interrupted");
  return defineCommand(cmd, reportAction);
}

export function runReport(argv: readonly string[]): Promise<CommandResult> {
  return invoke(reportCommand(), argv);
}
