import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { statusReport } from "./status-report.ts";

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
    assert.match(text, /ROOT CAUSE {2}ServiceSelectorMatchesNoPods \(Objects, target backend\)/);
    assert.match(text, /FIX {9}set the selector to app=backend/);
    assert.match(text, /target +Objects +DNS +L7/);
    assert.match(text, /backend +FAIL +ok 3ms +-/);
    assert.match(text, /\[Critical\] ServiceSelectorMatchesNoPods \(Objects, backend\): selects app=api/);
  });
  it("says Unknown for a diagnosis that has not run", () => {
    assert.match(statusReport("a/b", undefined), /Healthy=Unknown/);
  });
});
