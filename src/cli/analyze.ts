/**
 * `netdiag analyze -f <file-or-dir> [-f ...] --diagnosis <file> [-o json|text]`: the
 * static checks over manifests before they are deployed. Exit 0 healthy, 1 when a
 * Critical or Warning finding exists, 2 on bad input (missing file, YAML error with
 * file:line, alias bomb, malformed object, invalid diagnosis spec) — the message says
 * what to fix, never a stack trace. Without --diagnosis, the single NetworkDiagnosis
 * found among the -f files is used.
 *
 * @module
 */
import { Command, Option } from "commander";
import { evaluate, type Verdict } from "../analyzers/evaluate.ts";
import { type ManifestObject, snapshotFromObjects } from "../analyzers/offline/snapshot-from-objects.ts";
import { validateSpec } from "../api/diagnosis.ts";
import type { Spec } from "../api/spec.ts";
import { InputError, loadManifests } from "./analyze-load.ts";
import { jsonReport, textReport } from "./analyze-report.ts";
import { checkShapes } from "./analyze-shape.ts";
import { type CommandResult, collect, defineCommand, invoke, outputOption } from "./command.ts";

export type { CommandResult } from "./command.ts";

export interface OfflineDiagnosis {
  name: string;
  namespace: string;
  spec: Spec;
}

function toDiagnosis(o: ManifestObject, file: string): OfflineDiagnosis {
  const r = validateSpec(o["spec"]);
  if (!r.ok) throw new InputError(`${file}: invalid NetworkDiagnosis ${o.metadata?.name ?? ""}: ${r.message}`);
  return { name: o.metadata?.name ?? "diagnosis", namespace: o.metadata?.namespace ?? "default", spec: r.spec };
}

function pickDiagnosis(docs: { file: string; object: ManifestObject }[], label: string): OfflineDiagnosis {
  const found = docs.filter((d) => d.object.kind === "NetworkDiagnosis");
  if (found.length !== 1 || !found[0]) throw new InputError(`${label}: expected exactly one NetworkDiagnosis, found ${found.length}`);
  return toDiagnosis(found[0].object, found[0].file);
}

/** Static analysis of manifest objects for one diagnosis. */
export function analyzeOffline(objects: readonly ManifestObject[], d: OfflineDiagnosis, now = new Date()): Verdict {
  const snapshot = snapshotFromObjects(
    objects.filter((o) => o.kind !== "NetworkDiagnosis"),
    [d.namespace],
  );
  // the user's own manifests: every namespace in them is theirs to read
  return evaluate({ namespace: d.namespace, spec: d.spec, snapshot, now, namespaceHints: "all" });
}

/** Loads and shape-checks manifests: every problem is an InputError. */
function load(paths: readonly string[]): { file: string; object: ManifestObject }[] {
  const docs = loadManifests(paths);
  checkShapes(docs);
  return docs;
}

/** One paragraph on stderr for an error: what went wrong and what to do; never a stack trace. */
export function errorText(e: unknown): string {
  if (e instanceof InputError) return `netdiag analyze: ${e.message}\n`;
  const what = e instanceof Error ? `${e.name}: ${e.message.split("\n")[0]}` : String(e);
  return `netdiag analyze: could not analyze these manifests (${what}). A manifest likely has a field netdiag does not expect; check them with kubectl apply --dry-run=server, and report the input if they are valid.\n`;
}

interface Args {
  filename?: string[];
  diagnosis?: string;
  output: "json" | "text";
}

/** Runs the analysis; never throws. Exit 0 healthy, 1 findings, 2 bad input — including any failure while analyzing, so 1 always means "findings". */
export function analyze(args: Args): CommandResult {
  try {
    if (!args.filename?.length) throw new InputError("give the manifests with -f <file-or-dir>");
    const docs = load(args.filename);
    const d = args.diagnosis ? pickDiagnosis(load([args.diagnosis]), args.diagnosis) : pickDiagnosis(docs, "the -f files (or pass --diagnosis)");
    const v = analyzeOffline(
      docs.map((x) => x.object),
      d,
    );
    const stdout = args.output === "json" ? jsonReport(v) : textReport(v, `${d.namespace}/${d.name}`);
    return { code: v.findings.some((f) => f.severity !== "Info") ? 1 : 0, stdout, stderr: "" };
  } catch (e) {
    return { code: 2, stdout: "", stderr: errorText(e) };
  }
}

/** `analyze -f <file-or-dir> [-f ...] [--diagnosis <file>] [-o text|json]`. */
export function analyzeCommand(): Command {
  const cmd = new Command("analyze")
    .summary("static checks over manifests, before they are deployed (offline)")
    .description(
      "Static checks over manifests before they are deployed: Service wiring (selector, targetPort, readiness), NetworkPolicy verdicts (incl. DNS egress), expect: Blocked assertions. Without --diagnosis the single NetworkDiagnosis among the -f files is used.\nExit: 0 healthy, 1 findings of severity Critical/Warning, 2 bad input.",
    )
    .addOption(new Option("-f, --filename <file-or-dir>", "a manifest file or a directory of them (repeatable)").argParser(collect))
    .option("-d, --diagnosis <file>", "the file holding the NetworkDiagnosis")
    .addOption(outputOption());
  return defineCommand(cmd, analyze);
}

/** Parses argv (commander) and runs the analyze command; never throws. */
export function runAnalyze(argv: readonly string[]): Promise<CommandResult> {
  return invoke(analyzeCommand(), argv);
}
