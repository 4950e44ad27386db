/**
 * The `netdiag` command line: `analyze` (offline static checks over manifests) and
 * `help`. Subcommands are a table, so `run` (create a NetworkDiagnosis and follow it)
 * slots in next to them.
 *
 * @module
 */
import { type CommandResult, runAnalyze } from "./analyze.ts";
import { runRun } from "./run.ts";
import { runWatch } from "./watch.ts";

const USAGE = `netdiag — diagnose "pod A cannot reach B" layer by layer

Usage:
  netdiag analyze -f <file-or-dir> [-f ...] [--diagnosis <file>] [-o text|json]
      Static checks over manifests before they are deployed: Service wiring
      (selector, targetPort, readiness), NetworkPolicy verdicts (incl. DNS egress),
      expect: Blocked assertions. The diagnosis file holds a NetworkDiagnosis; without
      --diagnosis the single NetworkDiagnosis among the -f files is used.
      Exit: 0 healthy, 1 findings of severity Critical/Warning, 2 bad input.
  netdiag run [-n NS] [--from deploy/NAME|pod/NAME|k=v] --to svc/NAME:PORT|URL|HOST:PORT [--to ...]
             [--blocked REF ...] [--name N] [--timeout S]
      Creates a NetworkDiagnosis on the cluster of $KUBECONFIG and follows it (as watch).
  netdiag watch <namespace>/<name> [--timeout S] [--after-run ID]
      Follows a NetworkDiagnosis on the cluster of $KUBECONFIG: the run, each probe
      pod, then the report (root cause, why, fix, the layer table, every finding).
      Exit: 0 healthy, 1 unhealthy, 2 bad input or timeout.
  netdiag help
`;

type Command = (argv: readonly string[]) => CommandResult | Promise<CommandResult>;

export const commands: Record<string, Command> = {
  analyze: runAnalyze,
  run: runRun,
  watch: runWatch,
  help: () => ({ code: 0, stdout: USAGE, stderr: "" }),
};

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const cmd = name === undefined || name === "--help" || name === "-h" ? commands["help"] : commands[name];
  const r: CommandResult = cmd ? await cmd(rest) : { code: 2, stdout: "", stderr: `netdiag: unknown command ${name}\n\n${USAGE}` };
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stderr.write(r.stderr);
  return r.code;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("/netdiag.js") || process.argv[1]?.endsWith("/netdiag.ts")) {
  process.exitCode = await main(process.argv.slice(2));
}
