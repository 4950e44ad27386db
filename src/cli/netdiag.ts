/**
 * The `netdiag` command line (also `kubectl netdiag`, through bin/kubectl-netdiag on
 * PATH): a commander program whose subcommands each live in their own file — `run`
 * (create a NetworkDiagnosis and follow it live), `watch`, `report`, `explain` (a finding
 * code's runbook), `analyze` (offline static checks over manifests) and `help`.
 * Exit codes: 0 healthy, 1 unhealthy or unknown, 2 bad input.
 *
 * @module
 */
import { Command } from "commander";
import { analyzeCommand } from "./analyze.ts";
import { type CommandResult, invoke, programName } from "./command.ts";
import { explainCommand } from "./explain.ts";
import { reportCommand } from "./report.ts";
import { runCommand } from "./run.ts";
import { watchCommand } from "./watch.ts";

const EXAMPLES = (p: string) => `
Examples:
  ${p} run -n shop --from deploy/frontend --to svc/backend:80 --expect-blocked svc/db.data:5432
  ${p} report frontend-to-backend -n shop -o json
  ${p} watch shop/frontend-to-backend --watch
  ${p} explain ServiceSelectorMatchesNoPods
  ${p} analyze -f manifests/ --diagnosis diagnosis.yaml

Exit codes: 0 healthy, 1 unhealthy (or health unknown), 2 bad input, invalid spec or timeout.
The cluster is the one kubectl uses: --kubeconfig, $KUBECONFIG or ~/.kube/config; --context, -n.`;

/** The whole program, fresh (commander keeps parse state in the objects). */
export function program(): Command {
  const p = programName();
  return new Command(p)
    .description('diagnose "pod A cannot reach B" layer by layer')
    .addCommand(runCommand())
    .addCommand(reportCommand())
    .addCommand(watchCommand())
    .addCommand(explainCommand())
    .addCommand(analyzeCommand())
    .addHelpText("after", EXAMPLES(p))
    .showSuggestionAfterError();
}

export async function main(argv: readonly string[]): Promise<number> {
  const prog = program();
  const r: CommandResult =
    argv.length === 0 ? { code: 0, stdout: prog.helpInformation() + EXAMPLES(programName()) + "\n", stderr: "" } : await invoke(prog, argv);
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stderr.write(r.stderr);
  return r.code;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("/netdiag.js") || process.argv[1]?.endsWith("/netdiag.ts")) {
  process.exitCode = await main(process.argv.slice(2));
}
