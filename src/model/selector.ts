/**
 * Label selectors compiled once into matchers (matchLabels AND matchExpressions), with
 * a human rendering for messages ("app=web,tier in (a,b)").
 *
 * Semantics as in Kubernetes: an empty selector `{}` matches everything; an absent
 * selector is the caller's decision (NetworkPolicy peers and Services differ).
 *
 * @module
 */
import type { LabelSelector, LabelMap } from "./snapshot.ts";

export interface Matcher {
  /** True when the labels satisfy every requirement. */
  matches(labels: LabelMap | undefined): boolean;
  /** The selector in words, e.g. "app=web" or "{} (everything)". */
  text: string;
  /** True for `{}`: matches everything. */
  empty: boolean;
}

type Requirement = (labels: LabelMap) => boolean;

/**
 * The value of label `key`, read as an own property only, so keys like `constructor`
 * or `__proto__` never pick up Object.prototype members.
 * @example labelValue({}, "constructor") // undefined
 */
export function labelValue(labels: LabelMap, key: string): string | undefined {
  return Object.hasOwn(labels, key) ? labels[key] : undefined;
}

function requirement(key: string, operator: string, values: readonly string[]): Requirement {
  switch (operator) {
    case "In":
      return (l) => {
        const v = labelValue(l, key);
        return v !== undefined && values.includes(v);
      };
    case "NotIn":
      return (l) => {
        const v = labelValue(l, key);
        return v === undefined || !values.includes(v);
      };
    case "Exists":
      return (l) => labelValue(l, key) !== undefined;
    case "DoesNotExist":
      return (l) => labelValue(l, key) === undefined;
    default:
      return () => false; // an unknown operator selects nothing (the API server rejects it)
  }
}

function requirementText(key: string, operator: string, values: readonly string[]): string {
  switch (operator) {
    case "In":
      return `${key} in (${values.join(",")})`;
    case "NotIn":
      return `${key} notin (${values.join(",")})`;
    case "Exists":
      return key;
    case "DoesNotExist":
      return `!${key}`;
    default:
      return `${key} ${operator} (${values.join(",")})`;
  }
}

/** Renders labels as "k=v,k2=v2". */
export function labelsText(labels: LabelMap | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/**
 * Compiles a selector.
 * @example compileSelector({ matchLabels: { app: "web" } }).matches({ app: "web", x: "y" }) // true
 */
export function compileSelector(selector: LabelSelector | null | undefined): Matcher {
  const reqs: Requirement[] = [];
  const texts: string[] = [];
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) {
    reqs.push((l) => labelValue(l, k) === v);
    texts.push(`${k}=${v}`);
  }
  for (const e of selector?.matchExpressions ?? []) {
    const values = e.values ?? [];
    reqs.push(requirement(e.key, e.operator, values));
    texts.push(requirementText(e.key, e.operator, values));
  }
  const empty = reqs.length === 0;
  return {
    empty,
    text: empty ? "{} (everything)" : texts.join(","),
    matches: empty ? () => true : (labels) => reqs.every((r) => r(labels ?? {})),
  };
}
