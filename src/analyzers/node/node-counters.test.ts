import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeInspection } from "../../api/node-inspection.ts";
import { SpecSchema } from "../../api/spec.ts";
import { evaluate } from "../evaluate.ts";
import { snapshotFromObjects } from "../offline/snapshot-from-objects.ts";
import { inspectionNotes, nodeCounterFindings } from "./node-counters.ts";

const base = (o: Partial<NodeInspection> = {}): NodeInspection => ({
  version: 1,
  kind: "node-inspection",
  runId: "r",
  node: "n1",
  sampleMs: 1000,
  interfaces: [{ name: "eth0", before: [1000, 0, 5, 1000, 0, 0], after: [2000, 0, 5, 2000, 0, 0] }],
  tcp: [
    { outSegs: 1000, retransSegs: 10 },
    { outSegs: 2000, retransSegs: 11 },
  ],
  conntrack: { count: 1000, max: 262144 },
  pods: [],
  routes: [],
  services: [],
  ...o,
});

describe("node counters", () => {
  it("says nothing about a quiet, roomy node", () => {
    assert.deepEqual(nodeCounterFindings(base()), []);
  });

  it("warns from 75 % of nf_conntrack_max and is Critical from 95 %", () => {
    assert.deepEqual(nodeCounterFindings(base({ conntrack: { count: 740, max: 1000 } })), []);
    const w = nodeCounterFindings(base({ conntrack: { count: 800, max: 1000 } }));
    assert.equal(w[0]?.code, "ConntrackTableNearFull");
    assert.equal(w[0]?.severity, "Warning");
    assert.match(w[0]?.message ?? "", /node n1 is 80% full \(800 of nf_conntrack_max 1000\)/);
    assert.equal(nodeCounterFindings(base({ conntrack: { count: 990, max: 1000 } }))[0]?.severity, "Critical");
  });

  it("reports interfaces that lost over 1 % of their packets during the sample, not old totals nor noise", () => {
    const noise = nodeCounterFindings(base({ interfaces: [{ name: "eth0", before: [1000, 0, 5, 1000, 0, 0], after: [2000, 0, 9, 2000, 0, 0] }] }));
    assert.deepEqual(noise, [], "4 drops in 1000 packets: noise");
    const f = nodeCounterFindings(
      base({
        interfaces: [
          { name: "eth0", before: [1000, 0, 5, 1000, 0, 0], after: [1980, 0, 25, 2000, 0, 0] },
          { name: "eth1", before: [3, 3, 3, 3, 3, 3], after: [3, 3, 3, 3, 3, 3] },
        ],
      }),
    );
    assert.equal(f.length, 1);
    assert.equal(f[0]?.code, "InterfaceDrops");
    assert.deepEqual(f[0]?.evidence, ["node n1 eth0 over 1.0 s: rx 20 lost of 1000, tx 0 lost of 1000 (errors + drops)"]);
  });

  it("flags retransmits above 2 % of at least 200 segments", () => {
    assert.deepEqual(
      nodeCounterFindings(
        base({
          tcp: [
            { outSegs: 0, retransSegs: 0 },
            { outSegs: 100, retransSegs: 50 },
          ],
        }),
      ),
      [],
      "too few segments to say",
    );
    const f = nodeCounterFindings(
      base({
        tcp: [
          { outSegs: 0, retransSegs: 0 },
          { outSegs: 1000, retransSegs: 50 },
        ],
      }),
    );
    assert.equal(f[0]?.code, "TCPRetransmitsHigh");
    assert.match(f[0]?.message ?? "", /5% of its TCP segments/);
  });

  it("joins the verdict: a nearly full table on a node is a finding of the diagnosis", () => {
    const spec = SpecSchema.parse({ targets: [{ name: "ext", host: "198.18.1.1", port: 80 }] });
    const snapshot = snapshotFromObjects([{ kind: "Namespace", metadata: { name: "shop" } }], ["shop"]);
    const v = evaluate({
      namespace: "shop",
      spec,
      snapshot,
      now: new Date("2026-01-01T00:00:00Z"),
      nodeInspections: [base({ conntrack: { count: 999, max: 1000 } })],
    });
    assert.equal(v.findings.find((f) => f.code === "ConntrackTableNearFull")?.severity, "Critical");
    assert.equal(v.healthy, false);
  });

  it("says in one Info line what a run without node inspection could not see, and how to enable it", () => {
    const off = inspectionNotes({ enabled: false, failures: [] });
    assert.equal(off.length, 1);
    assert.equal(off[0]?.code, "NodeInspectionUnavailable");
    assert.equal(off[0]?.severity, "Info");
    assert.match(off[0]?.remediation ?? "", /--node-inspection.*policy\.nodeInspection=true/);
    assert.deepEqual(inspectionNotes({ enabled: true, failures: [] }), []);
    const failed = inspectionNotes({ enabled: true, failures: [{ node: "n2", message: "pods is forbidden" }] });
    assert.match(failed[0]?.message ?? "", /Node n2 could not be inspected: pods is forbidden/);
    assert.deepEqual(inspectionNotes(undefined), [], "offline analysis says nothing about it");
  });
});
