import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { statusPatch } from "./status-writer.ts";

describe("statusPatch", () => {
  it("returns nothing when the status is unchanged, whatever the key order", () => {
    assert.equal(statusPatch({ a: 1, b: { c: [1] } }, { b: { c: [1] }, a: 1 }), undefined);
  });
  it("sends only the changed fields", () => {
    assert.deepEqual(statusPatch({ a: 1, b: 2 }, { a: 1, b: 3 }), { b: 3 });
  });
  it("deletes fields that disappeared with null", () => {
    assert.deepEqual(statusPatch({ rootCause: { code: "X" }, observedGeneration: 1 }, { observedGeneration: 1 }), { rootCause: null });
  });
  it("sends arrays whole", () => {
    const conds = [{ type: "A" }, { type: "B" }];
    assert.deepEqual(statusPatch({ conditions: [{ type: "A" }] }, { conditions: conds }), { conditions: conds });
  });
  it("writes everything for a first status", () => {
    assert.deepEqual(statusPatch(undefined, { observedGeneration: 1 }), { observedGeneration: 1 });
  });
});
