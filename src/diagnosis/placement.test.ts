import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Spec } from "../api/spec.ts";
import { type NodeView, placeProbes } from "./placement.ts";

const spec = (source?: Spec["source"]) => ({ targets: [], timeoutSeconds: 30, historyLimit: 10, ...(source ? { source } : {}) }) as unknown as Spec;
const node = (name: string, o: { ready?: boolean; cordoned?: boolean; labels?: Record<string, string>; taints?: { key: string; effect: string }[] } = {}): NodeView => ({
  metadata: { name, labels: o.labels ?? {} },
  spec: { unschedulable: o.cordoned ?? false, ...(o.taints ? { taints: o.taints } : {}) },
  status: { conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True" }] },
});

describe("placeProbes", () => {
  it("places one probe in the namespace by default", () => {
    assert.deepEqual(placeProbes(spec(), [node("a")]), { placements: [{ index: 0 }], findings: [] });
  });
  it("fans out to every Ready schedulable node matching the selector, in name order", () => {
    const nodes = [node("b", { labels: { zone: "x" } }), node("a", { labels: { zone: "x" } }), node("c", { labels: { zone: "y" } })];
    const r = placeProbes(spec({ nodes: { selector: { matchLabels: { zone: "x" } } } }), nodes);
    assert.deepEqual(r.placements.map((p) => [p.index, p.nodeName]), [[0, "a"], [1, "b"]]);
  });
  it("skips NotReady and cordoned nodes with Info findings, and names missing nodes", () => {
    const r = placeProbes(spec({ nodes: { names: ["a", "b", "zz"] } }), [node("a", { ready: false }), node("b", { cordoned: true })]);
    assert.deepEqual(r.placements, []);
    assert.deepEqual(r.findings.map((f) => [f.code, f.severity, f.source]), [["NodeSkipped", "Info", "a"], ["NodeSkipped", "Info", "b"], ["NodeSkipped", "Info", "zz"]]);
    assert.match(r.findings[0]?.message ?? "", /NotReady/);
    assert.match(r.findings[1]?.message ?? "", /cordoned/);
  });
  it("tolerates the taints of the nodes it places on", () => {
    const r = placeProbes(spec({ nodes: { selector: {} } }), [node("a", { taints: [{ key: "dedicated", effect: "NoSchedule" }] })]);
    assert.deepEqual(r.placements[0]?.tolerations, [{ key: "dedicated", operator: "Exists", effect: "NoSchedule" }]);
  });
});
