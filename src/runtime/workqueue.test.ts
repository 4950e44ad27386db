import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "./clock.ts";
import { WorkQueue } from "./workqueue.ts";

const tick = () => new Promise((r) => setImmediate(r));
async function settle(n = 5) {
  for (let i = 0; i < n; i++) await tick();
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("WorkQueue", () => {
  it("processes a key added several times before it runs only once", async () => {
    const seen: string[] = [];
    const q = new WorkQueue({ handler: async (k) => void seen.push(k), clock: new ManualClock() });
    q.add("a");
    q.add("a");
    q.add("b");
    q.add("a");
    q.start();
    await settle();
    assert.deepEqual(seen, ["a", "b"]);
  });

  it("never runs two handlers for the same key at once, and reruns a key added while it was processing", async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let calls = 0;
    const gate = deferred();
    const q = new WorkQueue({
      concurrency: 4,
      clock: new ManualClock(),
      handler: async () => {
        calls++;
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        if (calls === 1) await gate.promise;
        concurrent--;
      },
    });
    q.start();
    q.add("k");
    await settle();
    q.add("k");
    q.add("k");
    await settle();
    assert.equal(calls, 1, "second add waits for the first run");
    gate.resolve();
    await settle();
    assert.equal(calls, 2, "the dirty key ran once more");
    assert.equal(maxConcurrent, 1);
  });

  it("bounds concurrency across keys", async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    const gate = deferred();
    const q = new WorkQueue({
      concurrency: 2,
      clock: new ManualClock(),
      handler: async () => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await gate.promise;
        concurrent--;
      },
    });
    q.start();
    for (const k of ["a", "b", "c", "d"]) q.add(k);
    await settle();
    assert.equal(q.active, 2);
    assert.equal(q.depth, 2);
    gate.resolve();
    await settle(10);
    assert.equal(maxConcurrent, 2);
    assert.equal(q.depth, 0);
  });

  it("retries a failing key with exponential backoff and forgets failures after a success", async () => {
    const clock = new ManualClock();
    const times: number[] = [];
    let fail = 3;
    const q = new WorkQueue({
      clock,
      backoff: { baseMs: 100, maxMs: 10_000, jitter: 0 },
      handler: async () => {
        times.push(clock.now());
        if (fail-- > 0) throw new Error("boom");
      },
    });
    q.start();
    q.add("k");
    await settle();
    for (const wait of [100, 200, 400]) {
      clock.advance(wait);
      await settle();
    }
    assert.deepEqual(times, [0, 100, 300, 700]);
    assert.equal(q.retries("k"), 0);
  });

  it("caps the backoff at maxMs and spreads it with jitter", async () => {
    const clock = new ManualClock();
    const errors: number[] = [];
    const q = new WorkQueue({
      clock,
      random: () => 1, // +jitter
      backoff: { baseMs: 100, maxMs: 1000, jitter: 0.5 },
      handler: async () => {
        throw new Error("always");
      },
      onError: (_k, _e, wait) => errors.push(wait),
    });
    q.start();
    q.add("k");
    for (let i = 0; i < 6; i++) {
      await settle();
      clock.advance(2000);
    }
    assert.deepEqual(errors.slice(0, 6), [150, 300, 600, 1000, 1000, 1000]);
  });

  it("requeues after the delay the handler asks for, keeping the earliest delay", async () => {
    const clock = new ManualClock();
    const times: number[] = [];
    const q = new WorkQueue({
      clock,
      handler: async () => {
        times.push(clock.now());
        return { requeueAfterMs: 5000 };
      },
    });
    q.start();
    q.add("k");
    await settle();
    q.addAfter("k", 2000);
    q.addAfter("k", 9000);
    clock.advance(2000);
    await settle();
    assert.deepEqual(times, [0, 2000]);
    clock.advance(5000);
    await settle();
    assert.deepEqual(times, [0, 2000, 7000]);
  });

  it("forget cancels a delayed add", async () => {
    const clock = new ManualClock();
    let calls = 0;
    const q = new WorkQueue({ clock, handler: async () => void calls++ });
    q.start();
    q.addAfter("k", 1000);
    q.forget("k");
    clock.advance(5000);
    await settle();
    assert.equal(calls, 0);
    assert.equal(q.delayedCount, 0);
  });

  it("stop waits for handlers in flight and takes no more work", async () => {
    const gate = deferred();
    let done = false;
    let calls = 0;
    const q = new WorkQueue({
      clock: new ManualClock(),
      handler: async () => {
        calls++;
        await gate.promise;
        done = true;
      },
    });
    q.start();
    q.add("a");
    await settle();
    const stopping = q.stop();
    q.add("b");
    gate.resolve();
    await stopping;
    assert.equal(done, true);
    await settle();
    assert.equal(calls, 1);
  });
});
