import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { crdYaml } from "../dev/crd-yaml.ts";
import { buildCrd, structural } from "./crd.ts";

type J = Record<string, any>;

function walk(node: unknown, visit: (n: J, path: string) => void, path = "$"): void {
  if (Array.isArray(node)) node.forEach((n, i) => walk(n, visit, `${path}[${i}]`));
  else if (node && typeof node === "object") {
    visit(node as J, path);
    for (const [k, v] of Object.entries(node)) walk(v, visit, `${path}.${k}`);
  }
}

describe("CRD generation", () => {
  it("matches the committed crds/netdiag.dev_networkdiagnoses.yaml (run npm run gen:crd when this fails)", () => {
    const committed = readFileSync(new URL("../../crds/netdiag.dev_networkdiagnoses.yaml", import.meta.url), "utf8");
    assert.equal(committed, crdYaml());
  });

  const crd = buildCrd() as J;
  const version = crd.spec.versions[0];
  const schema = version.schema.openAPIV3Schema;

  it("is namespaced with short name netdiag, a status subresource and the printer columns", () => {
    assert.equal(crd.spec.scope, "Namespaced");
    assert.ok(crd.spec.names.shortNames.includes("netdiag"));
    assert.deepEqual(version.subresources, { status: {} });
    assert.deepEqual(
      version.additionalPrinterColumns.map((c: J) => c.name),
      ["Healthy", "Root Cause", "Last Run", "Age", "Message"],
    );
    assert.equal(version.additionalPrinterColumns.find((c: J) => c.name === "Message").priority, 1);
  });

  it("is structural: every node has a type (or is int-or-string), no $schema, no propertyNames, no unions", () => {
    walk(schema, (n, path) => {
      assert.ok(!("$schema" in n), `${path} has $schema`);
      assert.ok(!("propertyNames" in n), `${path} has propertyNames`);
      assert.ok(!("anyOf" in n) && !("oneOf" in n), `${path} has a union`);
      if (path.endsWith(".properties") || path.endsWith("x-kubernetes-validations")) return;
      if ("properties" in n || "items" in n || "additionalProperties" in n) assert.ok(n.type, `${path} lacks type`);
    });
  });

  it("makes service.port int-or-string and checks target kinds with CEL", () => {
    const target = schema.properties.spec.properties.targets.items;
    assert.equal(target.properties.service.properties.port["x-kubernetes-int-or-string"], true);
    const rules = target["x-kubernetes-validations"].map((r: J) => r.message);
    assert.ok(rules.includes("set exactly one of service, url or host"));
    assert.ok(rules.includes("a host target needs port"));
  });

  it("keeps the contract fields the scenarios use", () => {
    const spec = schema.properties.spec.properties;
    for (const f of ["source", "targets", "schedule", "timeoutSeconds"]) assert.ok(spec[f], f);
    assert.ok(spec.source.properties.podSelector && spec.source.properties.nodes);
    for (const f of ["name", "service", "url", "host", "port", "expect"]) assert.ok(spec.targets.items.properties[f], f);
    assert.deepEqual(spec.targets.items.properties.expect.enum, ["Reachable", "Blocked"]);
    const status = schema.properties.status.properties;
    for (const f of ["observedGeneration", "conditions", "rootCause", "findings", "lastRun", "targets"]) assert.ok(status[f], f);
    for (const f of ["code", "severity", "layer", "target", "message", "evidence", "remediation", "escalateTo"])
      assert.ok(status.findings.items.properties[f], f);
  });

  it("rewrites an integer|string union into int-or-string", () => {
    assert.deepEqual(structural({ anyOf: [{ type: "string" }, { type: "integer" }], description: "p" }), {
      description: "p",
      "x-kubernetes-int-or-string": true,
    });
  });
});
