import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyProbePod, emptyResultProblem, type ProbePodView } from "./collect.ts";

const created = "2026-01-01T00:00:00Z";
const at = (s: number) => Date.parse(created) + s * 1000;
const limits = (nowS: number) => ({ now: at(nowS), pendingTimeoutMs: 60_000, deadline: at(45) });
const pod = (status: ProbePodView["status"]): ProbePodView => ({ metadata: { name: "d-r1-0", creationTimestamp: created }, status });

describe("classifyProbePod", () => {
  it("takes the result from the termination message", () => {
    const c = classifyProbePod(
      pod({ phase: "Succeeded", containerStatuses: [{ name: "probe", state: { terminated: { exitCode: 0, message: '{"version":1}' } } }] }),
      limits(5),
    );
    assert.deepEqual(c, { kind: "result", message: '{"version":1}' });
  });
  const failures: [string, ProbePodView["status"], number, string, RegExp][] = [
    [
      "an exit without a result",
      { phase: "Failed", containerStatuses: [{ name: "probe", state: { terminated: { exitCode: 2, reason: "Error", message: "bad plan" } } }] },
      5,
      "ProbeFailed",
      /exited with code 2 \(Error\).*bad plan/,
    ],
    [
      "a pod past activeDeadlineSeconds",
      { phase: "Failed", reason: "DeadlineExceeded", message: "too long" },
      40,
      "ProbeTimedOut",
      /exceeded its activeDeadlineSeconds/,
    ],
    [
      "an image that cannot be pulled",
      { phase: "Pending", containerStatuses: [{ name: "probe", state: { waiting: { reason: "ImagePullBackOff", message: "no such image" } } }] },
      5,
      "ProbeImagePullFailed",
      /ImagePullBackOff.*no such image/,
    ],
    [
      "a pod unscheduled past the pending timeout",
      { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available" }] },
      61,
      "ProbeNotScheduled",
      /did not start within 60s \(Unschedulable: 0\/3 nodes are available\)/,
    ],
    [
      "a running pod past the run's deadline",
      { phase: "Running", containerStatuses: [{ name: "probe", state: {} }] },
      46,
      "ProbeTimedOut",
      /before the run's deadline/,
    ],
  ];
  for (const [what, status, nowS, code, msg] of failures) {
    it(`reports ${code} for ${what}`, () => {
      const c = classifyProbePod(pod(status), limits(nowS));
      assert.equal(c.kind, "failure");
      if (c.kind === "failure") {
        assert.equal(c.code, code);
        assert.match(c.message, msg);
      }
    });
  }
  it("waits for a pod that is pending within its limits", () => {
    assert.deepEqual(
      classifyProbePod(pod({ phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }] }), limits(30)),
      { kind: "pending" },
    );
    assert.deepEqual(classifyProbePod(pod({ phase: "Running" }), limits(10)), { kind: "pending" });
  });
});

describe("emptyResultProblem", () => {
  it("turns a result without checks into a probe problem that says why", () => {
    assert.equal(
      emptyResultProblem({ targets: [], outcome: "tool-missing", detail: { reason: "jq not found" } }),
      "the probe returned no checks (tool-missing: jq not found)",
    );
    assert.equal(emptyResultProblem({ targets: [] }), "the probe returned no checks");
  });
  it("accepts a result with checks", () => {
    assert.equal(emptyResultProblem({ targets: [{ name: "a", checks: [] }] }), undefined);
  });
});
