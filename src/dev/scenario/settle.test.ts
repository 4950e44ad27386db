import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { settled } from "./settle.ts";

describe("settled", () => {
  it("waits until every expected pod exists", () => {
    assert.equal(settled([{ name: "a", ready: true }], 2, new Map(), 0), false);
  });
  it("is settled when all pods are Ready", () => {
    assert.equal(
      settled(
        [
          { name: "a", ready: true },
          { name: "b", ready: true },
        ],
        2,
        new Map(),
        0,
      ),
      true,
    );
  });
  it("accepts a pod that stayed not-Ready for the grace period, not before", () => {
    const seen = new Map<string, number>();
    const pods = [{ name: "a", ready: false }];
    assert.equal(settled(pods, 1, seen, 1000), false);
    assert.equal(settled(pods, 1, seen, 20_999), false);
    assert.equal(settled(pods, 1, seen, 21_000), true);
  });
  it("restarts the grace period when a pod was Ready in between", () => {
    const seen = new Map<string, number>();
    settled([{ name: "a", ready: false }], 1, seen, 0);
    settled([{ name: "a", ready: true }], 1, seen, 10_000);
    assert.equal(settled([{ name: "a", ready: false }], 1, seen, 25_000), false);
  });
});
