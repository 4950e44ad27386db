import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProbePlanSchema } from "../api/probe-contract.ts";
import { buildProbePod } from "../diagnosis/probe-pod.ts";
import { type ProbePod, probeView, progressView, rowOfCheck } from "./progress.ts";
import { progressEvents, progressFrame } from "./progress-text.ts";

const plan = ProbePlanSchema.parse({
  version: 1,
  runId: "r1",
  timeoutSeconds: 10,
  targets: [
    {
      name: "backend",
      checks: [
        { check: "dns", name: "backend.shop.svc.cluster.local" },
        { check: "icmp", host: "198.19.0.20" },
        { check: "tcp", host: "198.19.0.20", port: 80, role: "clusterIP" },
        { check: "tcp", host: "198.18.1.7", port: 5678, role: "endpoint" },
        { check: "http", url: "http://198.19.0.20:80/" },
      ],
    },
  ],
});

/** The pod the operator builds (real spec, NETDIAG_PLAN env), with a status as the kubelet would write it. */
function pod(status: ProbePod["status"], node = "node-1"): ProbePod {
  const p = buildProbePod({
    diagnosis: { name: "d", namespace: "shop", uid: "u" },
    runId: "r1",
    index: 0,
    image: "netshoot",
    planJson: JSON.stringify(plan),
    script: "true",
    timeoutSeconds: 10,
    nodeName: node,
  }) as unknown as ProbePod;
  return { ...p, status };
}

const result = {
  version: 1,
  runId: "r1",
  targets: [
    {
      name: "backend",
      checks: [
        { check: "dns", outcome: "ok", durationMs: 9, detail: { queryTimeMs: 2 } },
        { check: "icmp", outcome: "ok", durationMs: 1 },
        { check: "tcp", outcome: "ok", durationMs: 3, detail: { connectMs: 1.4 } },
        { check: "tcp", outcome: "refused", durationMs: 2, detail: { connectMs: 0.6 } },
      ],
    },
  ],
};
const terminated = (message: string, exitCode = 0) => ({
  phase: exitCode ? "Failed" : "Succeeded",
  containerStatuses: [{ name: "probe", state: { terminated: { exitCode, message, startedAt: "2026-01-01T00:00:00Z", finishedAt: "2026-01-01T00:00:01.5Z" } } }],
});

describe("probe progress", () => {
  it("maps each probe check to the row of the layer table it informs", () => {
    assert.deepEqual(["dns", "icmp", "route", "mtu", "tcp", "http", "tls", "weird"].map(rowOfCheck), ["DNS", "L3", "L3", "L3", "L4", "L7", "TLS", undefined]);
  });

  it("shows every planned layer as pending while the probe pod runs", () => {
    const v = probeView(pod({ phase: "Running", containerStatuses: [{ name: "probe", state: { running: { startedAt: "2026-01-01T00:00:00Z" } } }] }));
    assert.equal(v.state, "Running");
    assert.equal(v.node, "node-1");
    assert.equal(v.done, false);
    assert.deepEqual(v.targets, [
      {
        name: "backend",
        cells: ["DNS", "L3", "L4", "L7"].map((row) => ({ row, outcome: "pending" })),
      },
    ]);
  });

  it("says why a pod is still pending", () => {
    const v = probeView(pod({ phase: "Pending", containerStatuses: [{ name: "probe", state: { waiting: { reason: "ContainerCreating" } } }] }));
    assert.equal(v.state, "Pending (ContainerCreating)");
    const u = probeView({ ...pod(undefined), spec: {}, status: { conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }] } });
    assert.equal(u.state, "Pending (Unschedulable)");
  });

  it("fills the cells from the termination message: the first failing check of a row, else ok with its latency; unplanned-and-absent rows not run", () => {
    const v = probeView(pod(terminated(JSON.stringify(result))));
    assert.equal(v.state, "Done");
    assert.equal(v.seconds, 1.5);
    assert.deepEqual(v.targets[0]?.cells, [
      { row: "DNS", outcome: "ok", ms: 2 },
      { row: "L3", outcome: "ok", ms: 1 },
      { row: "L4", outcome: "refused", ms: 1 },
      { row: "L7", outcome: "not run" },
    ]);
  });

  it("reports a pod that ended without a result as failed, not as a network outcome", () => {
    const v = probeView(pod(terminated("bash: jq: command not found", 127)));
    assert.equal(v.done, true);
    assert.match(v.state, /^Failed \(exit 127, no result\)/);
    assert.deepEqual(
      v.targets[0]?.cells.map((c) => c.outcome),
      ["not run", "not run", "not run", "not run"],
    );
  });

  it("moves from waiting to probing to the verdict", () => {
    const run = { id: "r1", startTime: "2026-01-01T00:00:00Z", trigger: "create" };
    assert.equal(progressView("shop/d", undefined, [], 0).stage, "waiting");
    assert.equal(progressView("shop/d", { activeRun: run }, [], 0).stage, "probing");
    assert.equal(progressView("shop/d", { activeRun: run }, [pod({ phase: "Running" })], 0).stage, "probing");
    assert.equal(progressView("shop/d", { activeRun: run }, [pod(terminated(JSON.stringify(result)))], 0).stage, "verdict");
  });
});

describe("progress text", () => {
  const run = { id: "r1", startTime: "2026-01-01T00:00:00Z", trigger: "create" };
  const running = progressView("shop/d", { activeRun: run }, [pod({ phase: "Running", containerStatuses: [{ name: "probe", state: { running: {} } }] })], 2300);
  const done = progressView("shop/d", { activeRun: run }, [pod(terminated(JSON.stringify(result)))], 3100);

  it("draws a frame with the spinner, elapsed time, one line per probe pod and per target", () => {
    const f = progressFrame(running, 1).split("\n");
    assert.equal(f[0], "\\ shop/d  run r1 (create)  2.3s  probing (0/1 probe pods done)");
    assert.match(f[1] ?? "", /^ {2}\[\.\.\.\.\] probe d-r1-0 on node-1: Running$/);
    assert.match(f[2] ?? "", /backend {2}DNS \.\. {2}L3 \.\. {2}L4 \.\. {2}L7 \.\.$/);
    const g = progressFrame(done, 2).split("\n");
    assert.match(g[0] ?? "", /probes done, waiting for the verdict/);
    assert.match(g[1] ?? "", /\[done\] probe d-r1-0 on node-1: Done in 1.5s/);
    assert.match(g[2] ?? "", /DNS ok 2ms {2}L3 ok 1ms {2}L4 refused 1ms {2}L7 -/);
  });

  it("gives log lines that stay true once printed, the layers on the pod's last line", () => {
    assert.deepEqual(progressEvents(running), ["run r1 started (create)", "probe d-r1-0 on node-1: Running"]);
    assert.deepEqual(progressEvents(done), [
      "run r1 started (create)",
      "probe d-r1-0 on node-1: Done in 1.5s — backend: DNS ok 2ms, L3 ok 1ms, L4 refused 1ms, L7 -",
      "probes done, waiting for the verdict",
    ]);
  });

  it("says where to look when no run starts", () => {
    assert.deepEqual(progressEvents(progressView("shop/d", undefined, [], 1000)), []);
    assert.match(progressEvents(progressView("shop/d", undefined, [], 11_000))[0] ?? "", /is the operator running\?/);
  });
});
