/**
 * Builds the NetworkDiagnosis CustomResourceDefinition from the zod schemas: zod 4's
 * OpenAPI 3.0 output post-processed into a Kubernetes structural schema (int-or-string
 * for port unions, no $schema/propertyNames/additionalProperties:false), plus CEL rules
 * the API server enforces, the status subresource and printer columns.
 *
 * @module
 */
import { z } from "zod";
import { Group, Kind, Plural, ShortNames, Singular, Version } from "./group.ts";
import { SpecSchema } from "./spec.ts";
import { StatusSchema } from "./status.ts";

type Json = { [k: string]: unknown };

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Rewrites a JSON schema node (recursively) into Kubernetes' structural dialect. */
export function structural(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(structural);
  if (!isObj(node)) return node;
  const anyOf = node.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const types = anyOf.map((s) => (isObj(s) ? s.type : undefined)).sort();
    if (types[0] === "integer" && types[1] === "string") {
      const { anyOf: _drop, ...rest } = node;
      return { ...(structural(rest) as Json), "x-kubernetes-int-or-string": true };
    }
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "$schema" || k === "propertyNames" || k === "id") continue;
    if (k === "additionalProperties" && v === false) continue;
    if (k === "properties" && isObj(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, structural(s)]));
      continue;
    }
    out[k] = structural(v);
  }
  return out;
}

/** The target rule the API server checks itself (CEL), mirroring the zod refinement. */
export const TargetCelRules = [
  {
    rule: "[has(self.service), has(self.url), has(self.host)].filter(x, x).size() == 1",
    message: "set exactly one of service, url or host",
  },
  { rule: "!has(self.host) || has(self.port)", message: "a host target needs port", fieldPath: ".port" },
];

function specSchema(): Json {
  const s = structural(z.toJSONSchema(SpecSchema, { target: "openapi-3.0", io: "input" })) as Json;
  const targets = (s.properties as Json).targets as Json;
  (targets.items as Json)["x-kubernetes-validations"] = TargetCelRules;
  targets["x-kubernetes-list-type"] = "map";
  targets["x-kubernetes-list-map-keys"] = ["name"];
  return s;
}

function statusSchema(): Json {
  const s = structural(z.toJSONSchema(StatusSchema, { target: "openapi-3.0", io: "input" })) as Json;
  const conditions = (s.properties as Json).conditions as Json;
  conditions["x-kubernetes-list-type"] = "map";
  conditions["x-kubernetes-list-map-keys"] = ["type"];
  return s;
}

/** The CRD object, ready to serialise. */
export function buildCrd(): Json {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${Plural}.${Group}` },
    spec: {
      group: Group,
      names: { kind: Kind, listKind: `${Kind}List`, plural: Plural, singular: Singular, shortNames: [...ShortNames], categories: ["netdiag"] },
      scope: "Namespaced",
      versions: [
        {
          name: Version,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: "Healthy", type: "string", jsonPath: '.status.conditions[?(@.type=="Healthy")].status' },
            { name: "Root Cause", type: "string", jsonPath: ".status.rootCause.code" },
            { name: "Last Run", type: "date", jsonPath: ".status.lastRun.completionTime" },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
            { name: "Message", type: "string", priority: 1, jsonPath: ".status.rootCause.message" },
          ],
          schema: {
            openAPIV3Schema: {
              type: "object",
              description: "NetworkDiagnosis asks: can this source reach these targets? The status answers with the root cause, evidence and fix.",
              required: ["spec"],
              properties: {
                apiVersion: { type: "string" },
                kind: { type: "string" },
                metadata: { type: "object" },
                spec: specSchema(),
                status: statusSchema(),
              },
            },
          },
        },
      ],
    },
  };
}
