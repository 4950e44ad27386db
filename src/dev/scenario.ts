/**
 * `npm run scenario -- <scenario-folder> [...]` (and `npm run test:e2e`, which passes every
 * folder of shared/scenarios, then of the project's own test/scenarios): runs scenarios against the lab where the operator runs,
 * prints a one-line verdict per scenario and a table. Exit 0 only when every expectation
 * holds.
 *
 * @module
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { repoRoot } from "./scenario/kubectl.ts";
import { resultTable, runScenario, type ScenarioResult } from "./scenario/run.ts";

function scenarioDirs(dir: string): string[] {
  return readdirSync(dir)
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isDirectory() && existsSync(join(p, "expect.yaml")))
    .sort();
}

function folders(args: string[]): string[] {
  if (args.length === 0 || args.includes("--all")) {
    const dirs = process.env.NETDIAG_SCENARIOS
      ? [process.env.NETDIAG_SCENARIOS]
      : [join(repoRoot, "..", "shared", "scenarios"), join(repoRoot, "test", "scenarios")];
    return dirs.flatMap(scenarioDirs);
  }
  return args.map((a) => resolve(a));
}

const dirs = folders(process.argv.slice(2).filter((a) => a !== "--"));
for (const d of dirs) {
  if (!existsSync(join(d, "manifests.yaml")) || !existsSync(join(d, "diagnosis.yaml")) || !existsSync(join(d, "expect.yaml"))) {
    console.error(`${d} is not a scenario folder: it needs manifests.yaml, diagnosis.yaml and expect.yaml`);
    process.exit(2);
  }
}
const rows: ScenarioResult[] = [];
for (const d of dirs) {
  const r = await runScenario(d, (line) => console.log(`  [${d.split("/").pop()}] ${line}`));
  rows.push(r);
  console.log(
    `${r.passed ? "PASS" : "FAIL"} ${r.name}: expected ${r.expected}, got ${r.actual} in ${r.secondsToVerdict}s${r.problems.length ? ` — ${r.problems.join("; ")}` : ""}`,
  );
}
console.log(`\n${resultTable(rows)}`);
const failed = rows.filter((r) => !r.passed).length;
console.log(`\n${rows.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
