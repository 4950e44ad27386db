/**
 * `netdiag analyze -f <file-or-dir> [-f ...] --diagnosis <file> [-o json|text]`: the
 * static checks over manifests before they are deployed. Exit 0 healthy, 1 when a
 * Critical or Warning finding exists, 2 on bad input (missing file, YAML error with
 * file:line, invalid diagnosis spec). Without --diagnosis, the single NetworkDiagnosis
 * found among the -f files is used.
 *
 * @module
 */
import { evaluate, type Verdict } from "../analyzers/evaluate.ts";
import { type ManifestObject, snapshotFromObjects } from "../analyzers/offline/snapshot-from-objects.ts";
import { validateSpec } from "../api/diagnosis.ts";
import type { Spec } from "../api/spec.ts";
import { InputError, loadManifests } from "./analyze-load.ts";
import { jsonReport, textReport } from "./analyze-report.ts";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface OfflineDiagnosis {
  name: string;
  namespace: string;
  spec: Spec;
}

interface Args {
  files: string[];
  diagnosis?: string;
  output: "json" | "text";
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { files: [], output: "text" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? "";
    const [name, inline] =
      flag.startsWith("--") && flag.includes("=") ? [flag.slice(0, flag.indexOf("=")), flag.slice(flag.indexOf("=") + 1)] : [flag, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new InputError(`${name} needs a value`);
      return v;
    };
    if (name === "-f" || name === "--filename") a.files.push(value());
    else if (name === "--diagnosis" || name === "-d") a.diagnosis = value();
    else if (name === "-o" || name === "--output") {
      const o = value();
      if (o !== "json" && o !== "text") throw new InputError(`-o must be json or text, not ${o}`);
      a.output = o;
    } else throw new InputError(`unknown argument ${flag} (see netdiag help)`);
  }
  if (a.files.length === 0) throw new InputError("give the manifests with -f <file-or-dir>");
  return a;
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
  return evaluate({ namespace: d.namespace, spec: d.spec, snapshot, now });
}

/** Runs the analyze command; never throws for bad input (exit code 2). */
export function runAnalyze(argv: readonly string[]): CommandResult {
  try {
    const args = parseArgs(argv);
    const docs = loadManifests(args.files);
    const d = args.diagnosis ? pickDiagnosis(loadManifests([args.diagnosis]), args.diagnosis) : pickDiagnosis(docs, "the -f files (or pass --diagnosis)");
    const v = analyzeOffline(
      docs.map((x) => x.object),
      d,
    );
    const stdout = args.output === "json" ? jsonReport(v) : textReport(v, `${d.namespace}/${d.name}`);
    return { code: v.findings.some((f) => f.severity !== "Info") ? 1 : 0, stdout, stderr: "" };
  } catch (e) {
    if (e instanceof InputError) return { code: 2, stdout: "", stderr: `netdiag analyze: ${e.message}\n` };
    throw e;
  }
}
