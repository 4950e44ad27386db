/**
 * Object metadata and label selectors as the API server sends them: the one definition
 * every layer uses (the NetworkDiagnosis, the cluster snapshot, the policy index). Wire
 * shapes are open (an operator string is whatever the server sent); the spec's own
 * selectors are validated more strictly by zod in spec.ts.
 *
 * @module
 */

/** Label key -> value (a pod's labels, a Service selector, matchLabels). */
export type LabelMap = Record<string, string>;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  labels?: LabelMap;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  ownerReferences?: { kind: string; name: string }[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | string;
  values?: string[];
}

/** A Kubernetes label selector: matchLabels AND matchExpressions. */
export interface LabelSelector {
  matchLabels?: LabelMap;
  matchExpressions?: LabelSelectorRequirement[];
}
