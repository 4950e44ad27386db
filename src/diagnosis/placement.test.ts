import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Spec } from "../api/spec.ts";
import { type NodeView, placeProbes } from "./placement.ts";

const spec = (source?: Spec["source"]) => ({ targets: [], timeoutSeconds: 30, historyLimit: 10, ...(source ? { source } : {}) }) as unknown as Spec;
const node = (
  name: string,
  o: { ready?: boolean; cordoned?: boolean; labels?: Record<string, string>; taints?: { key: string; effect: string }[] } = {},
): NodeView => ({
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
    assert.deepEqual(
      r.placements.map((p) => [p.index, p.nodeName]),
      [
        [0, "a"],
        [1, "b"],
      ],
    );
  });
  it("skips NotReady and cordoned nodes with Info findings, and names missing nodes", () => {
    const r = placeProbes(spec({ nodes: { names: ["a", "b", "zz"] } }), [node("a", { ready: false }), node("b", { cordoned: true })]);
    assert.deepEqual(r.placements, []);
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.severity, f.source]),
      [
        ["NodeSkipped", "Info", "a"],
        ["NodeSkipped", "Info", "b"],
        ["NodeSkipped", "Info", "zz"],
      ],
    );
    assert.match(r.findings[0]?.message ?? "", /NotReady/);
    assert.match(r.findings[1]?.message ?? "", /cordoned/);
  });
  it("tolerates only the taints the admin listed, never every taint", () => {
    const n = [
      node("a", {
        taints: [
          { key: "dedicated", effect: "NoSchedule" },
          { key: "soft", effect: "PreferNoSchedule" },
        ],
      }),
    ];
    const r = placeProbes(spec({ nodes: { selector: {} } }), n, { allowControlPlaneNodes: false, tolerableTaints: ["dedicated"] });
    assert.deepEqual(r.placements[0]?.tolerations, [{ key: "dedicated", operator: "Exists", effect: "NoSchedule" }]);
    const byEffect = placeProbes(spec({ nodes: { selector: {} } }), n, { allowControlPlaneNodes: false, tolerableTaints: ["dedicated:NoSchedule"] });
    assert.equal(byEffect.placements.length, 1);
  });
  it("skips a node whose NoSchedule or NoExecute taint the admin did not list", () => {
    const n = [node("a", { taints: [{ key: "dedicated", effect: "NoSchedule" }] }), node("b", { taints: [{ key: "gpu", effect: "NoExecute" }] }), node("c")];
    const r = placeProbes(spec({ nodes: { selector: {} } }), n);
    assert.deepEqual(
      r.placements.map((p) => p.nodeName),
      ["c"],
    );
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.source]),
      [
        ["NodeSkipped", "a"],
        ["NodeSkipped", "b"],
      ],
    );
    assert.match(r.findings[0]?.message ?? "", /dedicated:NoSchedule.*may not tolerate/);
    assert.match(r.findings[0]?.remediation ?? "", /--probe-tolerate-taints/);
  });
  it("never places a probe on a control-plane node unless the admin allows it", () => {
    const n = [
      node("cp", { labels: { "node-role.kubernetes.io/control-plane": "" } }),
      node("old", { labels: { "node-role.kubernetes.io/master": "" } }),
      node("w"),
    ];
    const r = placeProbes(spec({ nodes: { selector: {} } }), n);
    assert.deepEqual(
      r.placements.map((p) => p.nodeName),
      ["w"],
    );
    assert.match(r.findings[0]?.message ?? "", /control-plane/);
    const allowed = placeProbes(spec({ nodes: { names: ["cp"] } }), n, { allowControlPlaneNodes: true, tolerableTaints: [] });
    assert.deepEqual(
      allowed.placements.map((p) => p.nodeName),
      ["cp"],
    );
  });
});
