import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getCondition, isTrue, setCondition } from "./conditions.ts";
import { deepEqual } from "./deep-equal.ts";

const t0 = new Date("2026-01-01T00:00:00.123Z");
const t1 = new Date("2026-01-01T00:05:00Z");

describe("setCondition", () => {
  it("adds a condition with lastTransitionTime and observedGeneration", () => {
    const c = setCondition(undefined, { type: "Healthy", status: "True", reason: "AllChecksPassed", message: "ok" }, 2, t0);
    assert.deepEqual(c, [
      { type: "Healthy", status: "True", reason: "AllChecksPassed", message: "ok", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: 2 },
    ]);
  });

  it("keeps lastTransitionTime when the status is unchanged but updates reason, message and generation", () => {
    const a = setCondition(undefined, { type: "Healthy", status: "False", reason: "A", message: "a" }, 1, t0);
    const b = setCondition(a, { type: "Healthy", status: "False", reason: "B", message: "b" }, 2, t1);
    assert.equal(b[0]?.lastTransitionTime, "2026-01-01T00:00:00Z");
    assert.equal(b[0]?.reason, "B");
    assert.equal(b[0]?.observedGeneration, 2);
  });

  it("moves lastTransitionTime when the status flips", () => {
    const a = setCondition(undefined, { type: "Healthy", status: "False", reason: "A", message: "a" }, 1, t0);
    const b = setCondition(a, { type: "Healthy", status: "True", reason: "B", message: "b" }, 1, t1);
    assert.equal(b[0]?.lastTransitionTime, "2026-01-01T00:05:00Z");
  });

  it("leaves other conditions alone and does not mutate its input", () => {
    const a = setCondition(undefined, { type: "Completed", status: "True", reason: "RunFinished", message: "" }, 1, t0);
    const b = setCondition(a, { type: "Healthy", status: "True", reason: "AllChecksPassed", message: "" }, 1, t1);
    assert.equal(a.length, 1);
    assert.equal(b.length, 2);
    assert.equal(getCondition(b, "Completed")?.lastTransitionTime, "2026-01-01T00:00:00Z");
    assert.ok(isTrue(b, "Healthy"));
    assert.ok(!isTrue(b, "Missing"));
  });
});

describe("deepEqual (status diffing)", () => {
  const cases: [string, unknown, unknown, boolean][] = [
    ["equal objects in another key order", { a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    ["a missing key and an undefined one", { a: 1, b: undefined }, { a: 1 }, true],
    ["different array order", [1, 2], [2, 1], false],
    ["different nested value", { a: { b: 1 } }, { a: { b: 2 } }, false],
    ["array vs object", [], {}, false],
    ["null vs object", null, {}, false],
  ];
  for (const [name, a, b, want] of cases) {
    it(`says ${want ? "equal" : "different"} for ${name}`, () => assert.equal(deepEqual(a, b), want));
  }
});
