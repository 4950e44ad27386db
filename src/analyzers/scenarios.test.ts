import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseProbeResult } from "../probe/parse-result.ts";
import type { ProbeReport } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import { snapshotFromObjects } from "./offline/snapshot-from-objects.ts";
import { checkExpect, verdictStatus } from "../dev/scenario/expect.ts";
import { clusterFixture, fixturesDir, loadScenarios } from "../dev/scenario/load.ts";

/**
 * The lab's admin runs the operator with --namespace-hints=all (a single-tenant cluster:
 * scripts/lib/cluster.sh); short-name-cross-namespace expects the namespace to be named.
 */
const LAB_HINTS = "all" as const;

function probes(name: string): ProbeReport[] {
  const raw = JSON.parse(readFileSync(join(fixturesDir, name, "probe.json"), "utf8")) as { pod: string; node?: string; result: unknown }[];
  return raw.map((r) => {
    const parsed = parseProbeResult(JSON.stringify(r.result));
    assert.ok(parsed.ok, `${name}: probe fixture does not match the contract: ${parsed.ok ? "" : parsed.error}`);
    return { pod: r.pod, ...(r.node ? { node: r.node } : {}), result: parsed.result };
  });
}

describe("shared scenarios with probe results", () => {
  for (const s of loadScenarios()) {
    it(`comes out as expect.yaml says for ${s.name}`, () => {
      const snapshot = snapshotFromObjects([...s.objects, ...clusterFixture(s.name)], [s.namespace]);
      const v = evaluate({
        namespace: s.namespace,
        spec: s.spec,
        snapshot,
        probes: probes(s.name),
        now: new Date("2025-01-01T00:00:00Z"),
        namespaceHints: LAB_HINTS,
      });
      assert.deepEqual(
        checkExpect(s.expect, verdictStatus(v)),
        [],
        JSON.stringify({ rootCause: v.rootCause, findings: v.findings.map((f) => `${f.severity}:${f.code}: ${f.message}`) }, null, 1),
      );
      assert.equal(v.probeProblem, false);
    });
  }
});
