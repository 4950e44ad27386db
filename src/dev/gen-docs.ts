/**
 * `npm run docs:gen`: writes the generated references under docs/reference/ from the code
 * they describe, so that they cannot drift from it:
 *
 * - crd.md: every field of the NetworkDiagnosis spec and status (type, required, default,
 *   constraints, description) from the CRD that src/api/crd.ts builds from the zod
 *   schemas, plus conditions, reasons, annotations and labels from their doc comments;
 * - findings.md: the method's steps and a runbook per finding code — layer and step from
 *   src/api/codes.ts and src/analyzers/method.ts, the hand-written part from
 *   src/dev/runbooks.ts, the scenarios that produce a code from test/scenarios;
 * - metrics.md: every metric family the operator registers (src/metrics/metrics.ts), its
 *   labels and a bound on its series.
 *
 * `--check` exits 1 when a committed file is stale, or when the sources are incomplete: a
 * code without a runbook (or a runbook without a code), a schema field without a
 * description, a metric label without a documented bound.
 *
 * @module
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import ts from "typescript";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { FindingCodeNames, FindingCodes, Layers, RowMetricCheck, Severities, TargetRows, type FindingCode } from "../api/codes.ts";
import { buildCrd } from "../api/crd.ts";
import { SpecSchema } from "../api/spec.ts";
import { StatusSchema } from "../api/status.ts";
import { Method, RESERVED, SHARED } from "../analyzers/method.ts";
import { EXPIRY_WARNING_DAYS } from "../analyzers/observed/tls.ts";
import { ClusterCache } from "../diagnosis/cluster-cache.ts";
import { MAX_FINDINGS } from "../diagnosis/report.ts";
import type { Rest } from "../k8s/rest.ts";
import { Metrics } from "../metrics/metrics.ts";
import { Runbooks, type Runbook } from "./runbooks.ts";

type Json = Record<string, any>;

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const read = (p: string) => readFileSync(join(root, p), "utf8");

/** The sources are incomplete: what to add where. */
export class DocsProblem extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`the docs cannot be generated:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

// ---------------------------------------------------------------------------- helpers

/** Text safe inside a markdown table cell. */
const cell = (s: string) => s.replace(/\r?\n\s*/g, " ").replace(/\|/g, "\\|");
/** Inline code that may contain backticks. */
const code = (s: string) => (s.includes("`") ? `\`\` ${s} \`\`` : `\`${s}\``);
/** A markdown link to a repo file, relative to a generated doc. */
const link = (fromDoc: string, repoPath: string, text = repoPath) => `[${text}](${posix.relative(posix.dirname(fromDoc), repoPath) || "."})`;
/** Turns docs/….md mentions in prose into links (the link check then keeps them valid). */
const linkDocs = (fromDoc: string, s: string) => s.replace(/(?<![`[/\w]|\]\()(docs\/[\w./-]*\w\.md)(?![`\]\w])/g, (p: string) => link(fromDoc, p));

/** The JSDoc block of a module (its first comment), without stars and tags. */
export function moduleDoc(path: string): string {
  const m = /\/\*\*([\s\S]*?)\*\//.exec(read(path));
  if (!m?.[1]) return "";
  return m[1]
    .split("\n")
    .map((l) => l.replace(/^\s*\* ?/, ""))
    .filter((l) => !/^@\w+/.test(l.trim()))
    .join("\n")
    .trim();
}

/** `name -> doc comment` of the members of an exported object literal (`export const X = { /** doc *\/ a: … }`). */
export function memberDocs(path: string, constName: string): Map<string, { value: string; doc: string }> {
  const text = read(path);
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const out = new Map<string, { value: string; doc: string }>();
  const visit = (n: ts.Node) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === constName && n.initializer) {
      let init: ts.Expression = n.initializer;
      while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
      if (!ts.isObjectLiteralExpression(init)) return;
      for (const p of init.properties) {
        if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) continue;
        const comments = ts.getLeadingCommentRanges(text, p.getFullStart()) ?? [];
        const last = comments
          .map((c) => text.slice(c.pos, c.end))
          .filter((c) => c.startsWith("/**"))
          .pop();
        const doc = (last ?? "")
          .replace(/^\/\*\*|\*\/$/g, "")
          .split("\n")
          .map((l) => l.replace(/^\s*\* ?/, "").trim())
          .join(" ")
          .trim();
        const value = ts.isStringLiteral(p.initializer) ? p.initializer.text : p.initializer.getText(sf);
        out.set(p.name.text, { value, doc });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (out.size === 0) throw new DocsProblem([`${path}: no object literal ${constName}`]);
  return out;
}

const header = (sources: string[]) =>
  `<!-- Generated by \`npm run docs:gen\` (src/dev/gen-docs.ts) from ${sources.join(", ")}. Do not edit by hand: \`scripts/test static\` fails when it is stale. -->\n\n`;

// ---------------------------------------------------------------------------- crd.md

/**
 * Descriptions of fields whose schema carries none (no `.describe()` in src/api yet). Keys
 * are field paths; `*` matches one path segment, `**.` any prefix. Generation fails when a
 * field has neither, when a key matches no field, or when a key repeats a description the
 * schema now has (move it into the schema's `.describe()` and delete it here).
 */
const FIELD_DOCS: Readonly<Record<string, string>> = {
  spec: "What to diagnose: from where (source) to what (targets), once or on a schedule.",
  "spec.source": "Where the probe stands. Absent: one fresh probe pod in the diagnosis' namespace, labelled `netdiag.dev/probe=true`.",
  "spec.targets": "What the probe must reach (or, with `expect: Blocked`, must not).",
  "**.matchLabels": "Label key → value; a matching object carries all of them (AND with matchExpressions).",
  "**.matchExpressions": "Set-based requirements, AND-ed with each other and with matchLabels.",
  "**.matchExpressions[].key": "Label key the requirement is about.",
  "**.matchExpressions[].operator": "In / NotIn compare with `values`; Exists / DoesNotExist ignore them.",
  "**.matchExpressions[].values": "Label values for In / NotIn.",
  status: "Written by the operator only, through the /status subresource, and only when it changed.",
  "status.observedGeneration": "The `metadata.generation` of the spec the status describes.",
  "status.conditions": "Completed, Healthy and SpecAllowed (see Conditions below); a list map keyed by `type`.",
  "status.conditions[].type": "Condition type (see Conditions below).",
  "status.conditions[].status": "True, False or Unknown.",
  "status.conditions[].reason": "CamelCase reason (see Reasons below); for Healthy=False, the root-cause finding code.",
  "status.conditions[].message": "Human-readable detail.",
  "status.conditions[].lastTransitionTime": "When `status` last changed (RFC 3339).",
  "status.conditions[].observedGeneration": "The `metadata.generation` the condition was set for.",
  "status.lastRun": "The last finished run.",
  "status.*Run.id": "Run id; the run's probe pods carry it as label `netdiag.dev/run-id`.",
  "status.*Run.startTime": "When the run started (RFC 3339).",
  "status.*Run.completionTime": "When the run finished (RFC 3339).",
  "status.*Run.durationSeconds": "How long the run took.",
  "status.nextRunTime": "When the schedule fires next (scheduled diagnoses only; RFC 3339).",
  "status.rootCause":
    "The primary root cause of the last run: the first Critical finding in method order, else the first Warning, a network finding before a Probe one. Absent when healthy.",
  "status.rootCause.code": "Finding code (docs/reference/findings.md).",
  "status.rootCause.layer": "Layer of the code.",
  "status.rootCause.target": "Target name; absent when it concerns the whole diagnosis.",
  "status.rootCause.message": "What failed, naming the objects.",
  "status.rootCause.remediation": "What to change.",
  "status.rootCause.escalateTo": "Which team owns the fix.",
  "status.findings": `Findings of the last run, sorted by severity, then method order; at most ${MAX_FINDINGS} (findingsTruncated counts the rest).`,
  "status.findings[].severity": "Critical and Warning make the diagnosis unhealthy; Info never does.",
  "status.findings[].layer": "Layer of the code (src/api/codes.ts).",
  "status.findings[].message": "What was found, naming the objects (redacted for other namespaces: docs/security.md).",
  "status.findings[].evidence": "Observations behind the finding: probe results, object states, policy verdicts.",
  "status.findings[].remediation": "What to change.",
  "status.findings[].escalateTo": "Which team owns the fix.",
  "status.targets": "Per target: the outcome of each layer of the method and what was measured.",
  "status.targets[].name": "Target name (spec.targets[].name).",
  "status.targets[].reachable":
    "Whether the probe connected (without probe data: whether NetworkPolicy allows the flow). False is the healthy outcome of an `expect: Blocked` target.",
  "status.targets[].expect": "The target's expectation, as resolved from the spec.",
  "status.targets[].layers": "One row per layer (Objects, DNS, L3, L4, L7, TLS), in method order.",
  "status.targets[].layers[].layer": "The layer.",
  "status.targets[].layers[].outcome": "Failed (a Critical finding), Warning, Passed (checked, nothing worse than Info), Skipped (not checked).",
  "status.targets[].layers[].detail": "The code of the worst finding in this row.",
  "status.targets[].layers[].latencyMs": "What the probe measured for this layer (lookup, connect, request, handshake), in milliseconds.",
  "status.targets[].dnsLookupMs": "DNS lookup time of the target's name, in milliseconds.",
  "status.history": "Summaries of the last runs, newest first, at most spec.historyLimit.",
  "status.history[].id": "Run id.",
  "status.history[].startTime": "When the run started.",
  "status.history[].completionTime": "When it finished.",
  "status.history[].healthy": "Whether it was healthy (false when only the probe failed).",
  "status.history[].rootCause": "Its root-cause code.",
  "status.history[].findings": "How many findings it had.",
};

/** What the operator's zod validation checks beyond the CRD schema (a refused spec: Completed=False, reason InvalidSpec). */
const OPERATOR_CHECKS: Readonly<Record<string, string>> = {
  "spec.schedule": "operator: a valid 5-field cron (`*`, lists, ranges, steps, month/day names, `@hourly`…`@yearly`), evaluated in UTC",
  "spec.targets[].url": "operator: http or https only, no `user:password@`, port 1–65535, a valid host",
  "spec.targets": "operator: target names unique",
};

/** A FIELD_DOCS key as a regular expression over field paths. */
export function globRegex(key: string): RegExp {
  const esc = key.replace(/[.[\]{}()+?^$|\\]/g, "\\$&").replace(/\\\.\\\*\\\*|\*\*\\\./g, "(?:.+\\.)?");
  return new RegExp(`^${esc.replace(/\*/g, "[^.]*")}$`);
}

export interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  default?: unknown;
  constraints: string[];
  description: string;
}

function typeOf(n: Json): string {
  if (n["x-kubernetes-int-or-string"]) return "int or string";
  if (n.type === "array") return `[]${n.items ? typeOf(n.items) : "any"}`;
  if (n.type === "object" && n.additionalProperties && typeof n.additionalProperties === "object") return `map[string]${typeOf(n.additionalProperties)}`;
  return String(n.type ?? "any");
}

function constraintsOf(n: Json): string[] {
  const out: string[] = [];
  const range = (lo0: unknown, hi0: unknown, unit: string) => {
    // zod's int() bounds are the safe-integer range: no constraint worth showing
    const lo = lo0 === -Number.MAX_SAFE_INTEGER ? undefined : lo0;
    const hi = hi0 === Number.MAX_SAFE_INTEGER ? undefined : hi0;
    if (lo !== undefined && hi !== undefined) out.push(`${unit}${lo}–${hi}`);
    else if (lo !== undefined) out.push(`${unit}≥ ${lo}`);
    else if (hi !== undefined) out.push(`${unit}≤ ${hi}`);
  };
  if (Array.isArray(n.enum)) out.push(`one of ${n.enum.map((e: unknown) => code(String(e))).join(", ")}`);
  range(n.minLength, n.maxLength, "length ");
  range(n.minimum, n.maximum, "");
  range(n.minItems, n.maxItems, "items ");
  if (n.pattern) out.push(`pattern ${code(String(n.pattern))}`);
  if (n["x-kubernetes-list-type"] === "map") out.push(`list map keyed by ${(n["x-kubernetes-list-map-keys"] ?? []).map(code).join(", ")}`);
  for (const v of n["x-kubernetes-validations"] ?? []) out.push(`CEL ${code(String(v.rule))}: ${v.message}`);
  return out;
}

/** Every field of a schema, depth first; array items and map values fold into their field's row. */
export function fieldRows(schema: Json, path: string, required = false): FieldRow[] {
  const rows: FieldRow[] = [];
  const constraints = constraintsOf(schema);
  let body = schema;
  if (schema.type === "array" && schema.items) {
    const items = schema.items as Json;
    constraints.push(...constraintsOf(items).map((c) => `each item: ${c}`));
    body = items;
  } else if (schema.type === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") {
    constraints.push(...constraintsOf(schema.additionalProperties).map((c) => `values: ${c}`));
  }
  const row: FieldRow = { path, type: typeOf(schema), required, constraints, description: String(schema.description ?? "") };
  if (schema.default !== undefined) row.default = schema.default;
  rows.push(row);
  const childPath = body === schema ? path : `${path}[]`;
  const req = new Set<string>(body.required ?? []);
  for (const [k, v] of Object.entries((body.properties ?? {}) as Json)) rows.push(...fieldRows(v as Json, `${childPath}.${k}`, req.has(k)));
  return rows;
}

/** Fills descriptions from FIELD_DOCS and adds the operator's checks; problems when a field stays undescribed or a key is stale. */
export function describeFields(
  rows: FieldRow[],
  docs: Readonly<Record<string, string>> = FIELD_DOCS,
  checks: Readonly<Record<string, string>> = OPERATOR_CHECKS,
): { rows: FieldRow[]; problems: string[] } {
  const problems: string[] = [];
  const used = new Set<string>();
  const keys = Object.keys(docs).map((k) => ({ k, re: globRegex(k) }));
  const out = rows.map((r) => {
    const hit = keys.find(({ re }) => re.test(r.path));
    const next = { ...r, constraints: [...r.constraints] };
    if (hit) {
      used.add(hit.k);
      if (r.description) problems.push(`src/dev/gen-docs.ts FIELD_DOCS["${hit.k}"] repeats the schema's own description of ${r.path}: delete the key`);
      else next.description = docs[hit.k] ?? "";
    }
    if (!next.description)
      problems.push(`${r.path} has no description: add .describe() to its zod schema in src/api, or a FIELD_DOCS entry in src/dev/gen-docs.ts`);
    const check = checks[r.path];
    if (check) next.constraints.push(check);
    return next;
  });
  for (const { k } of keys) if (!used.has(k)) problems.push(`src/dev/gen-docs.ts FIELD_DOCS["${k}"] matches no field of the CRD: delete or fix the key`);
  for (const k of Object.keys(checks))
    if (!rows.some((r) => r.path === k)) problems.push(`src/dev/gen-docs.ts OPERATOR_CHECKS["${k}"] matches no field of the CRD`);
  return { rows: out, problems };
}

function fieldTable(doc: string, rows: FieldRow[]): string {
  const lines = ["| Field | Type | Required | Default | Constraints | Description |", "|---|---|---|---|---|---|"];
  for (const r of rows) {
    const def = r.default === undefined ? "" : code(JSON.stringify(r.default));
    lines.push(
      `| ${code(r.path)} | ${cell(r.type)} | ${r.required ? "yes" : ""} | ${def} | ${cell(r.constraints.join("; "))} | ${cell(linkDocs(doc, r.description))} |`,
    );
  }
  return lines.join("\n");
}

function docTable(
  title: [string, string],
  entries: Map<string, { value: string; doc: string }>,
  fallback: Readonly<Record<string, string>> = {},
): { text: string; problems: string[] } {
  const problems: string[] = [];
  const lines = [`| ${title[0]} | ${title[1]} |`, "|---|---|"];
  for (const [name, { value, doc }] of entries) {
    const text = doc || fallback[name];
    if (!text) problems.push(`${title[0]} ${value} has no doc comment`);
    lines.push(`| ${code(value)} | ${cell(text ?? "")} |`);
  }
  return { text: lines.join("\n"), problems };
}

/** The zod JSON schema node at a field path ("spec.targets[].service.port"), before crd.ts made it structural. */
function rawNode(path: string): Json | undefined {
  const [top, ...rest] = path.split(".");
  let n: Json | undefined = z.toJSONSchema(top === "status" ? StatusSchema : SpecSchema, { target: "openapi-3.0", io: "input" }) as Json;
  for (const seg of rest) {
    const name = seg.replace(/(\[\]|\{\})+$/, "");
    n = n?.properties?.[name] as Json | undefined;
    for (const _ of seg.slice(name.length).match(/\[\]|\{\}/g) ?? []) n = (_ === "[]" ? n?.items : n?.additionalProperties) as Json | undefined;
  }
  return n;
}

/** int-or-string fields lose their zod constraints in the structural schema: the operator still checks them. */
function intOrStringChecks(rows: FieldRow[]): FieldRow[] {
  return rows.map((r) => {
    if (r.type !== "int or string") return r;
    const alts = (rawNode(r.path)?.anyOf ?? []) as Json[];
    const parts = alts.map((a) => `${a.type === "integer" ? "a number" : "a name"}${constraintsOf(a).length ? ` (${constraintsOf(a).join(", ")})` : ""}`);
    return parts.length ? { ...r, constraints: [...r.constraints, `operator: ${parts.join(" or ")}`] } : r;
  });
}

export function crdReference(): { text: string; problems: string[]; fields: number } {
  const doc = "docs/reference/crd.md";
  const crd = buildCrd() as Json;
  const version = crd.spec.versions[0] as Json;
  const schema = version.schema.openAPIV3Schema as Json;
  const all = describeFields(intOrStringChecks([...fieldRows(schema.properties.spec, "spec", true), ...fieldRows(schema.properties.status, "status")]));
  const spec = { rows: all.rows.filter((r) => r.path === "spec" || r.path.startsWith("spec.")) };
  const status = { rows: all.rows.filter((r) => r.path === "status" || r.path.startsWith("status.")) };
  const conditions = docTable(["Type", "Meaning"], memberDocs("src/api/codes.ts", "ConditionTypes"));
  const reasons = docTable(["Reason", "Meaning"], memberDocs("src/api/codes.ts", "Reasons"));
  const annotations = docTable(["Annotation", "Meaning"], memberDocs("src/api/group.ts", "Annotations"));
  const labels = docTable(["Label", "Meaning"], memberDocs("src/api/group.ts", "Labels"), { ManagedBy: "`netdiag` on every pod the operator creates." });
  const columns = ["| Column | JSONPath | Shown |", "|---|---|---|"];
  for (const c of version.additionalPrinterColumns as Json[])
    columns.push(`| ${c.name} | ${code(String(c.jsonPath))} | ${c.priority ? "with `-o wide`" : "always"} |`);
  const n = crd.spec.names as Json;
  const text = `${header(["src/api/spec.ts", "src/api/status.ts", "src/api/crd.ts", "src/api/codes.ts", "src/api/group.ts"])}# NetworkDiagnosis reference

\`${crd.spec.group}/${version.name}\`, kind \`${n.kind}\`, ${crd.spec.scope.toLowerCase()}; short names ${n.shortNames.map(code).join(", ")}. ${schema.description}

Every field below comes from the CRD that \`npm run gen:crd\` builds from the zod schemas (${link(doc, "crds/netdiag.dev_networkdiagnoses.yaml", "crds/")}). The API server checks the types and constraints at admission (including the CEL rules); the operator validates the spec again with zod and refuses what the schema cannot express (rows marked *operator:*) with \`Completed=False, reason=InvalidSpec\` and a message that names the field. Examples: ${link(doc, "examples")}; concepts: ${link(doc, "docs/concepts.md")}.

## Spec

${fieldTable(doc, spec.rows)}

## Status

${fieldTable(doc, status.rows)}

## Conditions

Every condition has \`type\`, \`status\`, \`reason\`, \`message\`, \`lastTransitionTime\` and \`observedGeneration\` (the Kubernetes API conventions), so \`kubectl wait --for=condition=Healthy\`, Argo CD and Flux understand them (${link(doc, "docs/gitops.md")}).

${conditions.text}

When \`Healthy\` is False its reason is the root-cause finding code (${link(doc, "docs/reference/findings.md")}).

## Reasons

${reasons.text}

## Annotations

${annotations.text}

## Labels

${labels.text}

## Printer columns

\`kubectl get netdiag\` shows:

${columns.join("\n")}
`;
  return {
    text,
    problems: [...all.problems, ...conditions.problems, ...reasons.problems, ...annotations.problems, ...labels.problems],
    fields: spec.rows.length + status.rows.length,
  };
}

// ---------------------------------------------------------------------------- findings.md

/** Which file each analyzer of the method comes from (the imports of method.ts). */
function analyzerFiles(): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of read("src/analyzers/method.ts").matchAll(/import\s*\{([^}]+)\}\s*from\s*"(\.\/[^"]+)"/g)) {
    for (const name of (m[1] ?? "").split(",").map((s) => s.trim().replace(/^type\s+/, ""))) if (name) out.set(name, posix.join("src/analyzers", m[2] ?? ""));
  }
  return out;
}

/** Scenario name -> the codes it expects (root cause first), from test/scenarios/<name>/expect.yaml. */
function scenarioCodes(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const dir = join(root, "test/scenarios");
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, "expect.yaml");
    if (!existsSync(file)) continue;
    const e = (parseYaml(readFileSync(file, "utf8")) ?? {}) as Json;
    const codes = [e.rootCause, ...(Array.isArray(e.findings) ? e.findings : [])].filter((c): c is string => typeof c === "string");
    out.set(name, [...new Set(codes)]);
  }
  return out;
}

/** Problems with the runbooks: a code without one, one without a code, one that is not filled in. */
export function runbookProblems(codes: readonly string[], runbooks: Readonly<Record<string, Runbook>>): string[] {
  const problems: string[] = [];
  for (const c of codes) {
    const r = runbooks[c];
    if (!r) problems.push(`finding code ${c} has no runbook: add one to src/dev/runbooks.ts`);
    else if (!r.means.trim() || !r.fix.trim() || r.confirm.length === 0 || r.severity.length === 0)
      problems.push(`runbook of ${c} in src/dev/runbooks.ts needs means, confirm, fix and severity`);
  }
  for (const c of Object.keys(runbooks))
    if (!codes.includes(c)) problems.push(`src/dev/runbooks.ts has a runbook for ${c}, which is not a code of src/api/codes.ts`);
  return problems;
}

export function findingsReference(runbooks: Readonly<Record<string, Runbook>> = Runbooks): { text: string; problems: string[]; codes: number } {
  const doc = "docs/reference/findings.md";
  const problems = runbookProblems(FindingCodeNames, runbooks);
  const files = analyzerFiles();
  const scenarios = scenarioCodes();
  const stepOf = (c: string) => Method.findIndex((s) => s.codes.includes(c as FindingCode));
  const stepName = (i: number) => {
    const s = Method[i];
    if (!s) return "";
    const file = files.get(s.run.name);
    return file ? link(doc, file, `\`${s.run.name}\``) : code(s.run.name);
  };
  for (const c of FindingCodeNames)
    if (stepOf(c) < 0 && RESERVED[c] === undefined) problems.push(`code ${c} is emitted by no step of src/analyzers/method.ts and not RESERVED`);
  for (const s of Method) if (!files.has(s.run.name)) problems.push(`analyzer ${s.run.name} of method.ts: its import was not found`);

  const steps = ["| # | Step | Scope | Row | Probe checks | Codes | What it checks |", "|---|---|---|---|---|---|---|"];
  Method.forEach((s, i) =>
    steps.push(
      `| ${i + 1} | ${stepName(i)} | ${s.scope} | ${s.row ?? ""} | ${s.reads.join(", ")} | ${s.codes.map((c) => `[${c}](#${c.toLowerCase()})`).join(", ")} | ${cell(s.checks)} |`,
    ),
  );

  const ordered = [...FindingCodeNames].sort((a, b) => {
    const la = Layers.indexOf(FindingCodes[a]);
    const lb = Layers.indexOf(FindingCodes[b]);
    if (la !== lb) return la - lb;
    const sa = stepOf(a) < 0 ? Method.length : stepOf(a);
    const sb = stepOf(b) < 0 ? Method.length : stepOf(b);
    return sa - sb || (Method[sa]?.codes.indexOf(a) ?? 0) - (Method[sb]?.codes.indexOf(b) ?? 0);
  });
  const sev = (r: Runbook | undefined) => (r ? r.severity.join(" / ") : "?");
  const owner = (r: Runbook | undefined) => (r && r.owner.length ? r.owner.join(", ") : "—");
  const index = ["| Code | Layer | Severity | Owner | Step |", "|---|---|---|---|---|"];
  for (const c of ordered) {
    const i = stepOf(c);
    index.push(
      `| [${c}](#${c.toLowerCase()}) | ${FindingCodes[c]} | ${sev(runbooks[c])} | ${owner(runbooks[c])} | ${i >= 0 ? `${i + 1} ${stepName(i)}` : "reserved"} |`,
    );
  }

  const sections: string[] = [];
  for (const layer of Layers) {
    const codes = ordered.filter((c) => FindingCodes[c] === layer);
    if (codes.length === 0) continue;
    sections.push(`## ${layer}\n`);
    for (const c of codes) {
      const r = runbooks[c];
      const i = stepOf(c);
      const s = Method[i];
      const facts = [`**Layer** ${layer}`, `**Severity** ${sev(r)}`, `**Owner** ${owner(r)}`];
      const lines = [`### ${c}\n`, `${facts.join(" · ")}\n`];
      if (r?.severityWhen) lines.push(`${r.severityWhen}\n`);
      if (s) {
        const where = [
          `Scope ${s.scope}`,
          s.row ? `shown in row ${s.row}` : "",
          s.reads.length ? `reads the probe's ${s.reads.join(", ")} checks` : "reads no probe check",
        ];
        lines.push(`**Emitted by** step ${i + 1}, ${stepName(i)}: ${s.checks}. ${where.filter(Boolean).join("; ")}.\n`);
      } else {
        lines.push(`**Not emitted yet**: ${RESERVED[c] ?? "no step"}.\n`);
      }
      const shared = SHARED[c];
      if (shared) lines.push(`**Also emitted by another step**: ${shared}.\n`);
      const seen = [...scenarios]
        .filter(([, cs]) => cs.includes(c))
        .map(([n, cs]) => `${link(doc, `test/scenarios/${n}`, n)}${cs[0] === c ? " (root cause)" : ""}`);
      if (seen.length) lines.push(`**Scenarios**: ${seen.join(", ")}.\n`);
      if (r) {
        lines.push(`**What it means.** ${linkDocs(doc, r.means)}\n`);
        if (r.signature) lines.push(`**Signature.** ${r.signature}\n`);
        lines.push("**Confirm by hand.**\n", "```sh", ...r.confirm, "```\n");
        lines.push(`**Fix.** ${linkDocs(doc, r.fix)}\n`);
        if (r.example) lines.push("```yaml", r.example, "```\n");
      }
      sections.push(lines.join("\n"));
    }
  }

  const text = `${header(["src/api/codes.ts", "src/analyzers/method.ts", "src/dev/runbooks.ts", "test/scenarios"])}# Finding codes

Every finding in \`status.findings\`, in Events and in the \`netdiag_findings\` metric carries a stable **code** (${link(doc, "src/api/codes.ts")}), a **severity** (Critical and Warning make the diagnosis unhealthy, Info never does), the **layer** of the method it belongs to, the target, the probe pod or node it was observed from (\`source\`), a message naming the objects, evidence, a remediation and the team that owns the fix (\`escalateTo\`). Codes are a public API: they are added, never renamed. There are ${FindingCodeNames.length} of them.

\`\`\`sh
kubectl describe netdiag <name> -n <ns>                       # root cause, findings, events
kubectl get netdiag <name> -n <ns> -o jsonpath='{range .status.findings[*]}{.severity}{" "}{.code}{" "}{.source}{": "}{.message}{"\\n"}{end}'
\`\`\`

Each code below has a runbook: what it means, the failure's signature as the tools show it, how to confirm it by hand and how to fix it. Placeholders: \`<ns>\` the diagnosis' namespace, \`<name>\` the diagnosis, \`<svc>\` / \`<target-ns>\` the target Service and its namespace, \`<pod>\` a backend pod, \`<probe-pod>\` the probe pod (the finding's \`source\`), \`<node>\` a node. "netshoot" is a debug shell in the client's namespace, where short names resolve as they do for the client:

\`\`\`sh
kubectl run tmp-shell -n <ns> --rm -it --image nicolaka/netshoot -- bash
\`\`\`

\`Probe\`-layer codes mean a check could not run: they are never a network failure of the target, and when only they are found the diagnosis' health is Unknown.

## The method

The steps of ${link(doc, "src/analyzers/method.ts")}, in the order that decides everything that has an order: execution, the root cause (the first Critical finding in step order, then the first Warning; a network finding always before a Probe one), the rows of \`status.targets[].layers\` and the \`check\` label of the metrics. Scope: \`cluster\` once per diagnosis; \`objects\` per target, also for one that must be Blocked; \`reachable\` per target that must be reachable; \`any\` per target. More in ${link(doc, "docs/concepts.md")}.

${steps.join("\n")}

## Index

${index.join("\n")}

${sections.join("\n")}`;
  return { text, problems, codes: FindingCodeNames.filter((c) => runbooks[c]).length };
}

// ---------------------------------------------------------------------------- metrics.md

interface LabelDoc {
  values: string;
  /** Distinct values per diagnosis; "D" for the labels that name the diagnosis itself. */
  bound: number | "D";
}

/** What each label of the metrics holds and how many values it takes; `metric/label` overrides `label`. */
function labelDocs(): Readonly<Record<string, LabelDoc>> {
  const spec = (buildCrd() as Json).spec.versions[0].schema.openAPIV3Schema.properties.spec;
  const maxTargets = Number(spec.properties.targets.maxItems);
  const checks = [...new Set(Object.values(RowMetricCheck))];
  const informers = Object.keys(new ClusterCache({} as Rest).informers);
  return {
    namespace: { values: "namespace of the NetworkDiagnosis", bound: "D" },
    diagnosis: { values: "name of the NetworkDiagnosis", bound: "D" },
    target: { values: `\`spec.targets[].name\` (at most ${maxTargets} per diagnosis)`, bound: maxTargets },
    check: { values: `the layer row: ${checks.map(code).join(", ")} (${TargetRows.join(", ")})`, bound: checks.length },
    phase: { values: `the layer row: ${checks.map(code).join(", ")}`, bound: checks.length },
    code: {
      values: `a finding code (${link("docs/reference/metrics.md", "docs/reference/findings.md", `${FindingCodeNames.length} codes`)})`,
      bound: FindingCodeNames.length,
    },
    severity: { values: Severities.map(code).join(", "), bound: Severities.length },
    "netdiag_runs_total/result": { values: "`healthy`, `unhealthy`, `probe-problem`", bound: 3 },
    "netdiag_reconcile_total/result": { values: "`ok`, `error`", bound: 2 },
    "netdiag_reconcile_duration_seconds/result": { values: "`ok`, `error`", bound: 2 },
    "netdiag_watch_restarts_total/resource": { values: `the informer: ${informers.map(code).join(", ")}`, bound: informers.length },
  };
}

/** Families whose series are capped below the product of their labels, with why. */
const CAPS: Readonly<Record<string, { perDiagnosis: number; why: string }>> = {
  netdiag_findings: { perDiagnosis: MAX_FINDINGS, why: `status.findings holds at most ${MAX_FINDINGS} findings` },
};

interface Family {
  name: string;
  help: string;
  type: string;
  labelNames: string[];
  buckets?: number[];
}

export function metricFamilies(): Family[] {
  const m = new Metrics({ diagnoses: () => [], queueDepth: () => 0, isLeader: () => false, activeProbePods: () => 0 });
  return (m.registry.getMetricsAsArray() as unknown as Json[]).map((x) => ({
    name: String(x.name),
    help: String(x.help),
    type: String(x.type),
    labelNames: [...((x.labelNames as string[] | undefined) ?? [])],
    ...(Array.isArray(x.upperBounds) ? { buckets: [...(x.upperBounds as number[])] } : {}),
  }));
}

export function metricsReference(families: Family[] = metricFamilies()): { text: string; problems: string[]; families: number } {
  const doc = "docs/reference/metrics.md";
  const labels = labelDocs();
  const problems: string[] = [];
  const rows = ["| Metric | Type | Labels | Series | Help |", "|---|---|---|---|---|"];
  const sections: string[] = [];
  const usedLabels = new Map<string, LabelDoc>();
  for (const f of families) {
    const perSet = f.type === "histogram" ? (f.buckets?.length ?? 0) + 3 : 1; // buckets, +Inf, _sum, _count
    let perDiagnosis = 1;
    let perDiagnosisLabels = false;
    const factors: string[] = [];
    for (const l of f.labelNames) {
      const d = labels[`${f.name}/${l}`] ?? labels[l];
      if (!d) {
        problems.push(`label ${l} of ${f.name} has no entry in labelDocs() of src/dev/gen-docs.ts (its values and bound)`);
        continue;
      }
      usedLabels.set(labels[`${f.name}/${l}`] ? `${l} (${f.name})` : l, d);
      if (d.bound === "D") perDiagnosisLabels = true;
      else {
        perDiagnosis *= d.bound;
        factors.push(`${d.bound} ${l}`);
      }
    }
    const cap = CAPS[f.name];
    if (cap) perDiagnosis = Math.min(perDiagnosis, cap.perDiagnosis);
    if (perSet > 1) factors.push(`${perSet} series per label set`);
    const total = perDiagnosis * perSet;
    const series = perDiagnosisLabels
      ? `≤ ${total} per diagnosis${factors.length ? ` (${factors.join(" × ")}${cap ? `, capped: ${cap.why}` : ""})` : ""}`
      : `≤ ${total}${factors.length ? ` (${factors.join(" × ")})` : ""}`;
    const anchor = f.name.toLowerCase();
    rows.push(`| [${f.name}](#${anchor}) | ${f.type} | ${f.labelNames.map(code).join(", ") || "—"} | ${cell(series)} | ${cell(f.help)} |`);
    const lines = [`### ${f.name}\n`, `${f.help}\n`, `- type: ${f.type}`, `- labels: ${f.labelNames.map(code).join(", ") || "none"}`, `- series: ${series}`];
    if (f.buckets) lines.push(`- buckets (seconds): ${f.buckets.join(", ")}`);
    sections.push(`${lines.join("\n")}\n`);
  }
  const labelRows = ["| Label | Values | Distinct values |", "|---|---|---|"];
  for (const [l, d] of [...usedLabels].sort(([a], [b]) => a.localeCompare(b)))
    labelRows.push(
      `| ${code(l.split(" ")[0] ?? l)}${l.includes(" ") ? ` ${l.slice(l.indexOf(" ") + 1)}` : ""} | ${cell(d.values)} | ${d.bound === "D" ? "one per diagnosis" : d.bound} |`,
    );

  const intro = moduleDoc("src/metrics/metrics.ts")
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, " "))
    .join(" ");
  const text = `${header(["src/metrics/metrics.ts", "src/api/codes.ts", "src/api/crd.ts"])}# Metrics

The operator serves Prometheus metrics on \`:8080/metrics\` (${link(doc, "charts/netdiag/README.md", "the chart")} can add a ServiceMonitor, a PrometheusRule and the Grafana dashboard ${link(doc, "dashboards/netdiag.json")}, whose queries a test keeps on these names).

How they are made (${link(doc, "src/metrics/metrics.ts")}): ${intro}

All ${families.length} families, with a bound on their series: "per diagnosis" families grow with the number of NetworkDiagnosis objects and nothing else — no pod, IP or free-form text is ever a label value.

${rows.join("\n")}

## Families

${sections.join("\n")}
## Labels

${labelRows.join("\n")}

## Queries

\`\`\`promql
netdiag_diagnosis_healthy == 0                                        # unhealthy diagnoses
sum by (code) (netdiag_findings{severity="Critical"})                 # what breaks, cluster-wide
netdiag_probe_success{check="tcp"} == 0                               # targets whose L4 check failed
(netdiag_tls_cert_expiry_timestamp_seconds - time()) / 86400 < ${EXPIRY_WARNING_DAYS}     # certificates expiring within ${EXPIRY_WARNING_DAYS} days (TLSCertificateExpiringSoon)
histogram_quantile(0.99, sum by (le) (rate(netdiag_reconcile_duration_seconds_bucket[5m])))
\`\`\`
`;
  return { text, problems, families: families.length };
}

// ---------------------------------------------------------------------------- all of it

export interface Rendered {
  files: Record<string, string>;
  counts: { codes: number; fields: number; families: number };
}

async function format(path: string, text: string): Promise<string> {
  const options = (await prettier.resolveConfig(join(root, path))) ?? {};
  return prettier.format(text, { ...options, parser: "markdown", filepath: join(root, path) });
}

/** Every generated doc, formatted as Prettier would; throws DocsProblem when the sources are incomplete. */
export async function renderDocs(): Promise<Rendered> {
  const crd = crdReference();
  const findings = findingsReference();
  const metrics = metricsReference();
  const problems = [...crd.problems, ...findings.problems, ...metrics.problems];
  if (problems.length > 0) throw new DocsProblem(problems);
  const raw: Record<string, string> = {
    "docs/reference/crd.md": crd.text,
    "docs/reference/findings.md": findings.text,
    "docs/reference/metrics.md": metrics.text,
  };
  const files: Record<string, string> = {};
  for (const [p, t] of Object.entries(raw)) files[p] = await format(p, t);
  return { files, counts: { codes: findings.codes, fields: crd.fields, families: metrics.families } };
}

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  let rendered: Rendered;
  try {
    rendered = await renderDocs();
  } catch (e) {
    if (e instanceof DocsProblem) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  let stale = false;
  for (const [p, want] of Object.entries(rendered.files)) {
    const path = join(root, p);
    if (check) {
      const have = existsSync(path) ? readFileSync(path, "utf8") : "";
      if (have !== want) {
        console.error(`${p} is stale: run npm run docs:gen`);
        stale = true;
      } else console.log(`${p} is up to date`);
    } else {
      writeFileSync(path, want);
      console.log(`wrote ${p}`);
    }
  }
  const c = rendered.counts;
  console.log(`${c.codes} codes with runbooks, ${c.fields} CRD fields, ${c.families} metric families`);
  if (stale) process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
