import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Status } from "../api/status.ts";
import type { Rest, WatchEvent } from "../k8s/rest.ts";
import type { Display } from "./display.ts";
import { follow } from "./follow.ts";
import type { ProbePod, ProgressView } from "./progress.ts";

const run = { id: "r1", startTime: "2026-01-01T00:00:00Z", trigger: "create" };
const completed: Status = {
  lastRun: { ...run, durationSeconds: 0.4 },
  conditions: [
    { type: "Completed", status: "True", reason: "RunCompleted", message: "", lastTransitionTime: "t" },
    { type: "Healthy", status: "True", reason: "AllChecksPassed", message: "ok", lastTransitionTime: "t" },
  ],
};
const pod = (state: NonNullable<NonNullable<ProbePod["status"]>["containerStatuses"]>[number]["state"]): ProbePod => ({
  metadata: { name: "d-r1-0", labels: { "netdiag.dev/run-id": "r1", "netdiag.dev/diagnosis": "d" } },
  spec: { nodeName: "n1" },
  status: { containerStatuses: [{ name: "probe", state }] },
});
const done = pod({
  terminated: { exitCode: 0, message: JSON.stringify({ version: 1, targets: [{ name: "t", checks: [{ check: "dns", outcome: "ok", durationMs: 1 }] }] }) },
});

/** The API as the CLI sees it during a fast run: the status goes active → completed between two polls; the pod is seen only by the watch. */
function fakeApi(statuses: Status[]) {
  const calls: string[] = [];
  let i = 0;
  const rest = {
    get: async (path: string) => {
      calls.push(`get ${path}`);
      return { status: statuses[Math.min(i++, statuses.length - 1)] };
    },
    list: async (path: string, q: { labelSelector?: string }) => {
      calls.push(`list ${path}?${q.labelSelector}`);
      return { metadata: { resourceVersion: "7" }, items: [] };
    },
    watch: async (_path: string, q: Record<string, unknown>, onEvent: (e: WatchEvent) => void) => {
      calls.push(`watch ?${q.labelSelector}&rv=${q.resourceVersion}`);
      onEvent({ type: "ADDED", object: pod({ running: {} }) as never });
      onEvent({ type: "MODIFIED", object: done as never });
      onEvent({ type: "DELETED", object: pod({ running: {} }) as never }); // an older state: the terminated one stays
      return () => calls.push("stop watch");
    },
  } as unknown as Rest;
  return { rest, calls };
}

function recorder(): Display & { views: ProgressView[] } {
  const views: ProgressView[] = [];
  return { views, update: (v) => views.push(v), note: () => {}, end: () => {} };
}

describe("follow", () => {
  it("shows a fast run's probe pod as done from the watch, though no poll saw it, then returns the completed status", async () => {
    const { rest, calls } = fakeApi([{}, { activeRun: run }, completed]);
    const d = recorder();
    const r = await follow({ rest, namespace: "ns", name: "d", display: d, deadline: Date.now() + 5000, pollMs: 5 });
    assert.equal(r.kind, "completed");
    const last = d.views.at(-1);
    assert.equal(last?.runId, "r1");
    assert.deepEqual(
      last?.probes.map((p) => [p.name, p.state]),
      [["d-r1-0", "Done"]],
    );
    assert.ok(calls.includes("watch ?netdiag.dev/diagnosis=d&rv=7"), calls.join("\n"));
    assert.ok(calls.includes("stop watch"), "the watch is stopped when the run completes");
  });

  it("waits for a run other than --after-run", async () => {
    const { rest } = fakeApi([completed, completed, { ...completed, lastRun: { ...run, id: "r2" } }]);
    const r = await follow({ rest, namespace: "ns", name: "d", display: recorder(), afterRun: "r1", deadline: Date.now() + 5000, pollMs: 5 });
    assert.equal(r.kind === "completed" && r.status.lastRun?.id, "r2");
  });

  it("says so when the spec is invalid, and when time runs out", async () => {
    const invalid: Status = {
      conditions: [{ type: "Completed", status: "False", reason: "InvalidSpec", message: "spec.targets: required", lastTransitionTime: "t" }],
    };
    assert.deepEqual(await follow({ rest: fakeApi([invalid]).rest, namespace: "ns", name: "d", display: recorder(), deadline: Date.now() + 5000, pollMs: 5 }), {
      kind: "invalid",
      message: "spec.targets: required",
    });
    assert.deepEqual(await follow({ rest: fakeApi([{}]).rest, namespace: "ns", name: "d", display: recorder(), deadline: Date.now() + 30, pollMs: 5 }), {
      kind: "timeout",
    });
  });
});
