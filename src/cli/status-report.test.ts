import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { exitCodeOf, statusJson, statusReport } from "./status-report.ts";

describe("statusReport", () => {
  it("shows the root cause, the fix, the layer table and the findings", () => {
    const text = statusReport("broken-net/frontend-to-backend", {
      conditions: [{ type: "Healthy", status: "False", reason: "ServiceSelectorMatchesNoPods", message: "m", lastTransitionTime: "2026-01-01T00:00:00Z" }],
      lastRun: { id: "abc1234", startTime: "2026-01-01T00:00:00Z", durationSeconds: 2.5 },
      rootCause: {
        code: "ServiceSelectorMatchesNoPods",
        layer: "Objects",
        target: "backend",
        message: "selects app=api; pods carry app=backend",
        remediation: "set the selector to app=backend",
      },
      findings: [{ code: "ServiceSelectorMatchesNoPods", severity: "Critical", layer: "Objects", target: "backend", message: "selects app=api" }],
      targets: [
        {
          name: "backend",
          layers: [
            { layer: "Objects", outcome: "Failed" },
            { layer: "DNS", outcome: "Passed", latencyMs: 3.2 },
            { layer: "L7", outcome: "Skipped" },
          ],
        },
      ],
    });
    assert.match(text, /Healthy=False \(run abc1234, 2.5s\)/);
    assert.match(text, /^ROOT CAUSE {2}ServiceSelectorMatchesNoPods \(Objects, target backend\)\n/, "the root cause first");
    assert.match(text, /FIX {9}set the selector to app=backend/);
    assert.match(text, /target +Objects +DNS +L7/);
    assert.match(text, /backend +FAIL +ok 3ms +-/);
    assert.match(text, /\[Critical\] ServiceSelectorMatchesNoPods \(Objects, backend\): selects app=api/);
  });
  it("says Unknown for a diagnosis that has not run", () => {
    assert.match(statusReport("a/b", undefined), /^HEALTH {6}Unknown\n[^]*Healthy=Unknown/);
  });
  it("leads with HEALTHY and the condition's message for a healthy diagnosis", () => {
    const s = { conditions: [{ type: "Healthy", status: "True" as const, reason: "AllChecksPassed", message: "1 target reachable", lastTransitionTime: "t" }] };
    assert.match(statusReport("a/b", s), /^HEALTHY {5}1 target reachable\n/);
    assert.equal(exitCodeOf(s), 0);
    assert.deepEqual(statusJson("a", "b", s), { namespace: "a", name: "b", healthy: true, findings: [], targets: [], conditions: s.conditions });
  });
  it("exits 1 and says healthy: null when health is unknown", () => {
    assert.equal(exitCodeOf(undefined), 1);
    assert.equal(statusJson("a", "b", undefined).healthy, null);
  });
});
