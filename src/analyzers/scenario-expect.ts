/**
 * The shared fault scenarios (`../shared/scenarios`, or $NETDIAG_SCENARIOS) as test
 * input: manifests, the diagnosis and expect.yaml, plus our fixtures for what a probe
 * observes in each (test/fixtures/scenarios/<name>/probe.json, and cluster.yaml for live
 * state the manifests do not show). `checkExpect` compares a verdict with expect.yaml.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { validateSpec } from "../api/diagnosis.ts";
import type { Spec } from "../api/spec.ts";
import type { ManifestObject } from "./offline/snapshot-from-objects.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export const scenariosDir = process.env["NETDIAG_SCENARIOS"] ?? join(repoRoot, "..", "shared", "scenarios");
export const fixturesDir = join(repoRoot, "test", "fixtures", "scenarios");

export interface Expect {
  healthy: "True" | "False";
  rootCause?: string | string[];
  findings?: string[];
  absent?: string[];
  mentions?: string[];
}

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
      const expect = docs(join(dir, "expect.yaml"))[0] as unknown as Expect;
      return { name, dir, objects: docs(join(dir, "manifests.yaml")), namespace: d.metadata?.namespace ?? "default", spec: r.spec, expect };
    });
}

/** Extra live-state objects of a scenario (fixtures), if any. */
export function clusterFixture(name: string): ManifestObject[] {
  const f = join(fixturesDir, name, "cluster.yaml");
  return existsSync(f) ? docs(f) : [];
}

/** Problems of a verdict against expect.yaml; empty = as expected. */
export function checkExpect(
  e: Expect,
  v: { healthy: boolean; rootCause?: { code: string; message: string }; findings: { code: string; severity: string }[] },
): string[] {
  const problems: string[] = [];
  const codes = new Set(v.findings.map((f) => f.code));
  if ((e.healthy === "True") !== v.healthy) problems.push(`healthy ${v.healthy}, want ${e.healthy}`);
  if (e.healthy === "True" && v.findings.some((f) => f.severity !== "Info"))
    problems.push(
      `findings above Info: ${v.findings
        .filter((f) => f.severity !== "Info")
        .map((f) => f.code)
        .join(", ")}`,
    );
  const want = e.rootCause === undefined ? [] : Array.isArray(e.rootCause) ? e.rootCause : [e.rootCause];
  if (want.length && !want.includes(v.rootCause?.code ?? "")) problems.push(`rootCause ${v.rootCause?.code}, want ${want.join(" or ")}`);
  for (const c of e.findings ?? []) if (!codes.has(c)) problems.push(`missing finding ${c}`);
  for (const c of e.absent ?? []) if (codes.has(c)) problems.push(`unexpected finding ${c}`);
  for (const m of e.mentions ?? []) if (!v.rootCause?.message.includes(m)) problems.push(`rootCause message lacks "${m}": ${v.rootCause?.message}`);
  return problems;
}
