import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readiness, UNREACHABLE_GRACE_MS } from "./readiness.ts";

const now = 1_000_000;
const cache = (name: string, hasSynced = true, unreachableSince?: number) => ({ name, hasSynced, unreachableSince });

describe("/readyz", () => {
  it("is not ready before every cache has synced, naming those that have not", () => {
    assert.deepEqual(readiness([cache("pods"), cache("nodes", false)], now), { ready: false, reason: "caches not synced: nodes" });
  });

  it("stays ready through a short reconnect, and is not while the API server has been away longer", () => {
    assert.deepEqual(readiness([cache("pods", true, now - UNREACHABLE_GRACE_MS + 1)], now), { ready: true });
    const r = readiness([cache("pods", true, now - 25_000), cache("nodes", true, now - 12_000), cache("services")], now);
    assert.equal(r.ready, false);
    assert.match((r as { reason: string }).reason, /has not answered the watches of pods, nodes for 25 s/);
  });

  it("is ready again once every cache reaches the API server", () => {
    assert.deepEqual(readiness([cache("pods"), cache("nodes")], now), { ready: true });
  });
});
