import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideRun } from "./schedule.ts";

const now = new Date("2026-03-01T10:07:00Z");
const ran = (startTime: string, extra: object = {}) => ({ observedGeneration: 1, lastRun: { id: "r1", startTime }, ...extra });

describe("decideRun", () => {
  it("starts a first run for a new diagnosis", () => {
    assert.deepEqual(decideRun({ generation: 1, annotations: {}, status: undefined, schedule: undefined, now }), { start: "create" });
  });
  it("re-runs when the spec's generation changed", () => {
    assert.equal(decideRun({ generation: 2, annotations: {}, status: ran("2026-03-01T10:00:00Z"), schedule: undefined, now }).start, "spec-change");
  });
  it("does nothing more for a one-shot diagnosis that already ran", () => {
    assert.deepEqual(decideRun({ generation: 1, annotations: {}, status: ran("2026-03-01T10:00:00Z"), schedule: undefined, now }), {});
  });
  it("runs on demand for a new run-now annotation value, once", () => {
    const a = { "netdiag.dev/run-now": "x1" };
    assert.equal(decideRun({ generation: 1, annotations: a, status: ran("2026-03-01T10:00:00Z"), schedule: undefined, now }).start, "run-now");
    assert.equal(
      decideRun({ generation: 1, annotations: a, status: ran("2026-03-01T10:00:00Z", { runNowServed: "x1" }), schedule: undefined, now }).start,
      undefined,
    );
  });
  it("runs when the schedule is due and otherwise says when it will be", () => {
    assert.equal(decideRun({ generation: 1, annotations: {}, status: ran("2026-03-01T09:55:00Z"), schedule: "*/10 * * * *", now }).start, "schedule");
    const d = decideRun({ generation: 1, annotations: {}, status: ran("2026-03-01T10:00:00Z"), schedule: "*/10 * * * *", now });
    assert.equal(d.start, undefined);
    assert.equal(d.nextRunAt?.toISOString(), "2026-03-01T10:10:00.000Z");
  });
});
