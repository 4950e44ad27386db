/**
 * Lints PromQL expressions (the dashboard's panels, the PrometheusRule's alerts) against
 * the operator's own registry, so that a query cannot point at a metric that does not
 * exist or use it against its type: every metric name must be exported (a histogram only
 * as `_bucket`, `_sum`, `_count`), a counter only under rate(), irate() or increase(), a
 * gauge never there, and every label in a selector or a `by (...)` must be one the
 * metrics carry. Pure: a small PromQL tokenizer (strings, durations, identifiers,
 * brackets) is enough for that; Prometheus itself runs the expressions in the e2e test
 * (test/e2e/prometheus.test.ts).
 *
 * @module
 */

/** A metric family as the registry declares it. */
export interface FamilyInfo {
  type: string;
  labelNames: readonly string[];
}

/** One metric selector of an expression. */
export interface MetricRef {
  name: string;
  /** The innermost function or aggregation around it (undefined at the top level). */
  within?: string;
  /** Label names of its {...} matchers. */
  matchers: string[];
}

export interface ParsedQuery {
  metrics: MetricRef[];
  /** Label names of every by (...) / without (...) / on (...) / ignoring (...) clause. */
  grouping: string[];
}

type Tok = { kind: "id" | "str" | "num" | "dur" | "op"; text: string };

const KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless", "inf", "nan"]);
const GROUPING = new Set(["by", "without", "on", "ignoring", "group_left", "group_right"]);
const RATE_FUNCTIONS = new Set(["rate", "irate", "increase"]);
/** Labels Prometheus adds to every scraped series, besides the metric's own. */
const TARGET_LABELS = ["job", "instance"];
/** Series that are not the operator's but that Prometheus makes itself. */
const PROMETHEUS_SERIES: Readonly<Record<string, FamilyInfo>> = { up: { type: "gauge", labelNames: [] } };

function tokenize(expr: string): Tok[] {
  const out: Tok[] = [];
  const re =
    /\s+|#[^\n]*|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)|(\[[^\]]*\])|([A-Za-z_:$][A-Za-z0-9_:$]*)|(\d+(?:\.\d+)?(?:e[+-]?\d+)?[a-z]*)|(=~|!~|!=|==|>=|<=|[-+*/%^(){},=<>@])/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < expr.length) {
    const at = re.lastIndex;
    m = re.exec(expr);
    if (!m) throw new Error(`cannot read the PromQL at ${JSON.stringify(expr.slice(at, at + 20))} (in ${JSON.stringify(expr)})`);
    if (m[1]) out.push({ kind: "str", text: m[1] });
    else if (m[2]) out.push({ kind: "dur", text: m[2] });
    else if (m[3]) out.push({ kind: "id", text: m[3] });
    else if (m[4]) out.push({ kind: "num", text: m[4] });
    else if (m[5]) out.push({ kind: "op", text: m[5] });
  }
  return out;
}

/**
 * The metric selectors and grouping labels of one expression.
 *
 * @example parseQuery('sum by (le) (rate(x_bucket{result="ok"}[5m]))')
 *   // { metrics: [{ name: "x_bucket", within: "rate", matchers: ["result"] }], grouping: ["le"] }
 */
export function parseQuery(expr: string): ParsedQuery {
  const t = tokenize(expr);
  const metrics: MetricRef[] = [];
  const grouping: string[] = [];
  // one frame per open parenthesis: the function or aggregation it calls, "" for a plain group
  const stack: string[] = [];
  let pendingAggregation: string | undefined; // "sum" of `sum by (x) (...)`, waiting for its body
  for (let i = 0; i < t.length; i++) {
    const tok = t[i] as Tok;
    const next = t[i + 1];
    if (tok.kind === "id" && GROUPING.has(tok.text)) {
      if (next?.text === "(") {
        let j = i + 2;
        for (; j < t.length && t[j]?.text !== ")"; j++) if (t[j]?.kind === "id") grouping.push((t[j] as Tok).text);
        i = j; // past the clause's ")"
      }
      continue;
    }
    if (tok.kind === "id" && next?.text === "(") {
      stack.push(tok.text);
      i++;
      continue;
    }
    if (tok.kind === "id" && (next?.text === "by" || next?.text === "without")) {
      pendingAggregation = tok.text;
      continue;
    }
    if (tok.text === "(") {
      stack.push(pendingAggregation ?? "");
      pendingAggregation = undefined;
      continue;
    }
    if (tok.text === ")") {
      stack.pop();
      continue;
    }
    if (tok.kind === "id" && !KEYWORDS.has(tok.text.toLowerCase()) && !tok.text.startsWith("$")) {
      const ref: MetricRef = { name: tok.text, matchers: [] };
      const within = [...stack].reverse().find((f) => f !== "");
      if (within) ref.within = within;
      if (next?.text === "{") {
        let j = i + 2;
        for (; j < t.length && t[j]?.text !== "}"; j++)
          if (t[j]?.kind === "id" && /^(=|!=|=~|!~)$/.test(t[j + 1]?.text ?? "")) ref.matchers.push((t[j] as Tok).text);
        i = j;
      }
      metrics.push(ref);
    }
  }
  return { metrics, grouping };
}

/** The family a series name belongs to, and which histogram series it is. */
function familyOf(name: string, families: Readonly<Record<string, FamilyInfo>>): { family?: FamilyInfo; base: string; histogramPart?: string } {
  const direct = families[name] ?? PROMETHEUS_SERIES[name];
  if (direct) return { family: direct, base: name };
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  const base = m?.[1];
  const family = base === undefined ? undefined : families[base];
  if (m && family?.type === "histogram") return { family, base: m[1] as string, histogramPart: m[2] as string };
  return { base: name };
}

/** What is wrong with one expression, in words ([] when nothing is). */
export function lintQuery(expr: string, families: Readonly<Record<string, FamilyInfo>>): string[] {
  const problems: string[] = [];
  let q: ParsedQuery;
  try {
    q = parseQuery(expr);
  } catch (err) {
    return [(err as Error).message];
  }
  const labels = new Set(TARGET_LABELS);
  if (q.metrics.length === 0) problems.push("it reads no metric");
  for (const ref of q.metrics) {
    const { family, histogramPart } = familyOf(ref.name, families);
    if (!family) {
      problems.push(`${ref.name} is not a metric the operator exports`);
      continue;
    }
    if (family.type === "histogram" && !histogramPart) problems.push(`${ref.name} is a histogram: query ${ref.name}_bucket, _sum or _count`);
    const counting = family.type === "counter" || family.type === "histogram";
    const rated = ref.within !== undefined && RATE_FUNCTIONS.has(ref.within);
    if (counting && !rated) problems.push(`${ref.name} is a ${family.type}: wrap it in rate(), irate() or increase(), not ${ref.within ?? "nothing"}`);
    if (!counting && rated) problems.push(`${ref.name} is a ${family.type}: ${ref.within}() is only for counters`);
    const own = new Set([...family.labelNames, ...TARGET_LABELS, ...(histogramPart === "bucket" ? ["le"] : [])]);
    for (const l of own) labels.add(l);
    for (const l of ref.matchers) if (!own.has(l)) problems.push(`${ref.name} has no label ${l} (it has ${[...own].join(", ")})`);
  }
  for (const l of q.grouping) if (!labels.has(l)) problems.push(`no metric of the expression has the label ${l} it groups by`);
  return problems;
}

/**
 * What an alert expression compares: the part left of its last top-level comparison
 * (`A > 3` -> `A`), or the argument of a top-level absent(). An alert that does not fire
 * returns nothing; its signal must still return series on a live operator.
 *
 * @example alertSignal("max by (ns) (x) >= 3") // "max by (ns) (x)"
 */
export function alertSignal(expr: string): string {
  const e = expr.trim();
  const absent = /^absent\((.*)\)$/s.exec(e);
  if (absent) return (absent[1] as string).trim();
  let depth = 0;
  let quote = "";
  let cut = -1;
  for (let i = 0; i < e.length; i++) {
    const c = e[i] as string;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (depth === 0 && /[<>=!]/.test(c) && !/[=~]/.test(e[i - 1] ?? "")) {
      // ==, !=, >=, <=, >, < (not =~ nor a matcher: those sit inside braces)
      if (c === "=" && e[i + 1] !== "=") continue;
      cut = i;
      if (/[=]/.test(e[i + 1] ?? "")) i++;
    }
  }
  return cut === -1 ? e : e.slice(0, cut).trim();
}
