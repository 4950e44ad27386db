import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GoneError } from "./errors.ts";
import { Informer } from "./informer.ts";
import type { Obj, ObjList, Rest, WatchEvent } from "./rest.ts";

/** A Rest stand-in at the unit boundary: scripted list pages and watch streams. */
class ScriptedRest {
  lists: ObjList[] = [];
  listCalls = 0;
  watchCalls: Record<string, unknown>[] = [];
  private streams: ((onEvent: (e: WatchEvent) => void, onDone: (err: unknown) => void) => void)[] = [];
  script(s: (onEvent: (e: WatchEvent) => void, onDone: (err: unknown) => void) => void) {
    this.streams.push(s);
  }
  async list(): Promise<ObjList> {
    this.listCalls++;
    const l = this.lists.shift();
    if (!l) throw new Error("no more lists");
    return l;
  }
  async watch(_path: string, query: Record<string, unknown>, onEvent: (e: WatchEvent) => void, onDone: (err: unknown) => void) {
    this.watchCalls.push(query);
    const s = this.streams.shift();
    if (s) setImmediate(() => s(onEvent, onDone));
    return () => {};
  }
}

const pod = (name: string, rv: string): Obj => ({ metadata: { name, namespace: "ns", resourceVersion: rv } });
const until = async (f: () => boolean) => {
  for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(f(), "condition not reached");
};

describe("Informer", () => {
  it("lists, then watches from the list's resourceVersion and applies events to the cache", async () => {
    const rest = new ScriptedRest();
    rest.lists.push({ metadata: { resourceVersion: "10" }, items: [pod("a", "5")] });
    rest.script((ev) => {
      ev({ type: "ADDED", object: pod("b", "11") });
      ev({ type: "MODIFIED", object: pod("a", "12") });
      ev({ type: "DELETED", object: pod("b", "13") });
    });
    const inf = new Informer(rest as unknown as Rest, { path: "/api/v1/pods" });
    const seen: string[] = [];
    inf.on((t, o) => seen.push(`${t}:${o.metadata?.name}`));
    inf.start();
    await inf.waitForSync();
    await until(() => seen.length === 4);
    inf.stop();
    assert.deepEqual(seen, ["add:a", "add:b", "update:a", "delete:b"]);
    assert.equal(rest.watchCalls[0]?.resourceVersion, "10");
    assert.deepEqual(
      inf.list().map((o) => o.metadata?.name),
      ["a"],
    );
  });

  it("re-watches from the last seen resourceVersion after a watch error instead of giving up", async () => {
    const rest = new ScriptedRest();
    rest.lists.push({ metadata: { resourceVersion: "10" }, items: [] });
    rest.script((ev, done) => {
      ev({ type: "ADDED", object: pod("a", "11") });
      ev({ type: "BOOKMARK", object: { metadata: { resourceVersion: "15" } } });
      done(new Error("connection reset"));
    });
    rest.script((ev) => ev({ type: "ADDED", object: pod("b", "16") }));
    const restarts: string[] = [];
    const inf = new Informer(rest as unknown as Rest, { path: "/api/v1/pods", onRestart: (r) => restarts.push(r) });
    inf.start();
    await until(() => inf.size === 2);
    inf.stop();
    assert.equal(rest.listCalls, 1, "no relist for a plain error");
    assert.equal(rest.watchCalls[1]?.resourceVersion, "15", "resumes after the bookmark");
    assert.match(restarts[0] ?? "", /connection reset/);
  });

  it("relists on 410 Gone and emits deletes for objects that vanished meanwhile", async () => {
    const rest = new ScriptedRest();
    rest.lists.push({ metadata: { resourceVersion: "10" }, items: [pod("a", "1"), pod("b", "2")] });
    rest.lists.push({ metadata: { resourceVersion: "50" }, items: [pod("a", "1"), pod("c", "40")] });
    rest.script((_ev, done) => done(new GoneError("too old", 410)));
    const seen: string[] = [];
    const inf = new Informer(rest as unknown as Rest, { path: "/api/v1/pods" });
    inf.on((t, o) => seen.push(`${t}:${o.metadata?.name}`));
    inf.start();
    await until(() => seen.includes("delete:b"));
    inf.stop();
    assert.equal(rest.listCalls, 2);
    assert.deepEqual(seen, ["add:a", "add:b", "add:c", "delete:b"]);
    assert.equal(rest.watchCalls[1]?.resourceVersion, "50");
  });

  it("strips objects through the transform before caching them", async () => {
    const rest = new ScriptedRest();
    rest.lists.push({ metadata: { resourceVersion: "1" }, items: [{ metadata: { name: "a", managedFields: [1, 2, 3] } as never }] });
    const inf = new Informer(rest as unknown as Rest, { path: "/x", transform: (o) => ({ metadata: { name: o.metadata?.name } }) });
    inf.start();
    await inf.waitForSync();
    inf.stop();
    assert.deepEqual(inf.list(), [{ metadata: { name: "a" } }]);
  });

  it("says since when the API server has not answered, and forgets it once a watch opens again", async () => {
    const rest = new ScriptedRest(); // no list scripted: the first list fails
    const inf = new Informer(rest as unknown as Rest, { path: "/api/v1/nodes" });
    const before = Date.now();
    inf.start();
    await until(() => inf.unreachableSince !== undefined);
    assert.ok((inf.unreachableSince ?? 0) >= before);
    assert.equal(inf.hasSynced, false);
    rest.lists.push({ metadata: { resourceVersion: "7" }, items: [] }); // the API server is back; a quiet resource: no event
    for (let i = 0; i < 300 && inf.unreachableSince !== undefined; i++) await new Promise((r) => setTimeout(r, 5));
    inf.stop();
    assert.equal(inf.unreachableSince, undefined);
    assert.equal(inf.hasSynced, true);
  });
});
