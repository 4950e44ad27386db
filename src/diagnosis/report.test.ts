import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { finishRun, invalidSpec, startRun } from "./report.ts";

const t0 = new Date("2026-01-01T00:00:00Z");
const t1 = new Date("2026-01-01T00:00:02.5Z");
const run = { id: "r1", startTime: "2026-01-01T00:00:00Z", trigger: "create" };
const broken = {
  healthy: false,
  rootCause: { code: "ServiceSelectorMatchesNoPods", layer: "Objects" as const, target: "backend", message: "selects app=api" },
  findings: [{ code: "ServiceSelectorMatchesNoPods", severity: "Critical" as const, layer: "Objects" as const, message: "selects app=api" }],
  targets: [],
};

describe("startRun", () => {
  it("records the active run, Completed=False/Running and Healthy=Unknown for a first run", () => {
    const s = startRun(undefined, 1, run, t0, undefined);
    assert.equal(s.activeRun?.id, "r1");
    assert.equal(s.observedGeneration, 1);
    assert.deepEqual(
      s.conditions?.map((c) => [c.type, c.status, c.reason]),
      [
        ["Completed", "False", "Running"],
        ["Healthy", "Unknown", "NotYetRun"],
      ],
    );
  });
  it("keeps the previous Healthy verdict while a new run is in progress", () => {
    const done = finishRun({ prev: undefined, generation: 1, run, verdict: broken, now: t1, historyLimit: 10 }).status;
    const s = startRun(done, 1, { ...run, id: "r2" }, t1, "x");
    assert.equal(s.conditions?.find((c) => c.type === "Healthy")?.status, "False");
    assert.equal(s.runNowServed, "x");
  });
});

describe("finishRun", () => {
  it("writes the verdict, the run's duration and a Warning event naming the root cause", () => {
    const { status, event } = finishRun({ prev: startRun(undefined, 1, run, t0, undefined), generation: 1, run, verdict: broken, now: t1, historyLimit: 10 });
    assert.equal(status.lastRun?.durationSeconds, 2.5);
    assert.equal(status.activeRun, undefined, "the run is over");
    assert.equal(status.rootCause?.code, "ServiceSelectorMatchesNoPods");
    assert.deepEqual(
      status.conditions?.map((c) => [c.type, c.status, c.reason]),
      [
        ["Completed", "True", "RunFinished"],
        ["Healthy", "False", "ServiceSelectorMatchesNoPods"],
      ],
    );
    assert.equal(event?.type, "Warning");
    assert.match(event?.note ?? "", /root cause ServiceSelectorMatchesNoPods \(target backend\): selects app=api/);
  });
  it("emits no event when nothing changed, and a Normal one when it turns healthy", () => {
    const first = finishRun({ prev: undefined, generation: 1, run, verdict: broken, now: t1, historyLimit: 10 }).status;
    assert.equal(finishRun({ prev: first, generation: 1, run: { ...run, id: "r2" }, verdict: broken, now: t1, historyLimit: 10 }).event, undefined);
    const ok = finishRun({
      prev: first,
      generation: 1,
      run: { ...run, id: "r3" },
      verdict: { healthy: true, findings: [], targets: [] },
      now: t1,
      historyLimit: 10,
    });
    assert.equal(ok.event?.type, "Normal");
    assert.equal(ok.status.rootCause, undefined);
  });
  it("says Unknown, not False, when the probes could not run", () => {
    const r = finishRun({
      prev: undefined,
      generation: 1,
      run,
      verdict: { ...broken, probeProblem: true, rootCause: { code: "ProbeNotScheduled", layer: "Probe", message: "m" } },
      now: t1,
      historyLimit: 10,
    });
    assert.equal(r.status.conditions?.find((c) => c.type === "Healthy")?.status, "Unknown");
    assert.equal(r.status.history?.[0]?.healthy, false);
  });
  it("keeps at most historyLimit runs, newest first, and caps findings", () => {
    let prev;
    for (let i = 0; i < 5; i++) prev = finishRun({ prev, generation: 1, run: { ...run, id: `r${i}` }, verdict: broken, now: t1, historyLimit: 3 }).status;
    assert.deepEqual(
      prev?.history?.map((h) => h.id),
      ["r4", "r3", "r2"],
    );
    const many = Array.from({ length: 60 }, () => broken.findings[0] as (typeof broken.findings)[0]);
    const s = finishRun({ prev: undefined, generation: 1, run, verdict: { ...broken, findings: many }, now: t1, historyLimit: 3 }).status;
    assert.equal(s.findings?.length, 50);
    assert.equal(s.findingsTruncated, 10);
  });
});

describe("invalidSpec", () => {
  it("is terminal: Completed=False/InvalidSpec with the message, one event per distinct problem", () => {
    const a = invalidSpec(undefined, 2, "spec.targets: too small", t0);
    assert.deepEqual(
      a.status.conditions?.map((c) => [c.type, c.status, c.reason]),
      [
        ["Completed", "False", "InvalidSpec"],
        ["Healthy", "Unknown", "InvalidSpec"],
      ],
    );
    assert.equal(a.status.observedGeneration, 2);
    assert.equal(a.event?.reason, "InvalidSpec");
    assert.equal(invalidSpec(a.status, 2, "spec.targets: too small", t1).event, undefined);
  });
});
