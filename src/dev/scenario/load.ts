/**
 * The shared fault scenarios (`../shared/scenarios`, or $NETDIAG_SCENARIOS) as test
 * input: manifests, the diagnosis and expect.yaml, plus our fixtures for what a probe
 * observes in each (test/fixtures/scenarios/<name>/probe.json, and cluster.yaml for live
 * state the manifests do not show). `checkExpect` (./expect.ts) compares a verdict with
 * expect.yaml.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import type { ManifestObject } from "../../analyzers/offline/snapshot-from-objects.ts";
import { validateSpec } from "../../api/diagnosis.ts";
import type { Spec } from "../../api/spec.ts";
import { type Expect, ExpectSchema } from "./expect.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export const scenariosDir = process.env["NETDIAG_SCENARIOS"] ?? join(repoRoot, "..", "shared", "scenarios");
export const fixturesDir = join(repoRoot, "test", "fixtures", "scenarios");

export interface Scenario {
  name: string;
  objects: ManifestObject[];
  namespace: string;
  spec: Spec;
  expect: Expect;
  dir: string;
}

function docs(file: string): ManifestObject[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map((d) => d.toJS() as ManifestObject)
    .filter((o) => o !== null && typeof o === "object");
}

export function loadScenarios(): Scenario[] {
  if (!existsSync(scenariosDir)) return [];
  return readdirSync(scenariosDir)
    .filter((n) => existsSync(join(scenariosDir, n, "expect.yaml")))
    .sort()
    .map((name) => {
      const dir = join(scenariosDir, name);
      const d = docs(join(dir, "diagnosis.yaml"))[0] ?? {};
      const r = validateSpec(d["spec"]);
      if (!r.ok) throw new Error(`${name}: ${r.message}`);
      const expect = ExpectSchema.parse(docs(join(dir, "expect.yaml"))[0]);
      return { name, dir, objects: docs(join(dir, "manifests.yaml")), namespace: d.metadata?.namespace ?? "default", spec: r.spec, expect };
    });
}

/** Extra live-state objects of a scenario (fixtures), if any. */
export function clusterFixture(name: string): ManifestObject[] {
  const f = join(fixturesDir, name, "cluster.yaml");
  return existsSync(f) ? docs(f) : [];
}
