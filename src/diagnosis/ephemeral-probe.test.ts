import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyProbePod } from "./collect.ts";
import { buildEphemeralContainer, ephemeralName, ephemeralView, MAX_EPHEMERAL, ourEphemeralCount } from "./ephemeral-probe.ts";
import { PROBE_UID } from "./probe-pod.ts";

const input = { runId: "abc1234", image: "nicolaka/netshoot:v0.13", script: "echo probe", planJson: '{"version":1}' };

describe("the ephemeral probe container (spec.source.pod)", () => {
  it("runs the probe program with the plan, unprivileged and restricted-compliant, named for the run", () => {
    const c = buildEphemeralContainer({ ...input, targetContainer: "app" }) as Record<string, any>;
    assert.equal(c.name, "netdiag-abc1234");
    assert.equal(c.targetContainerName, "app");
    assert.deepEqual(c.command, ["/bin/bash", "-c", "echo probe", "netdiag-probe"]);
    assert.equal(c.env.find((e: { name: string }) => e.name === "NETDIAG_PLAN").value, '{"version":1}');
    assert.equal(c.terminationMessagePath, "/dev/termination-log");
    assert.deepEqual(c.securityContext, {
      runAsNonRoot: true,
      runAsUser: PROBE_UID,
      runAsGroup: PROBE_UID,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    // the API forbids resources, ports and probes on ephemeral containers: none is set
    for (const k of ["resources", "ports", "readinessProbe", "livenessProbe", "volumeMounts"]) assert.equal(c[k], undefined, k);
    assert.equal((buildEphemeralContainer(input) as Record<string, unknown>).targetContainerName, undefined, "no target: no process namespace joined");
  });

  it("counts only netdiag's ephemeral containers", () => {
    const pod = { spec: { ephemeralContainers: [{ name: "netdiag-a" }, { name: "debugger-x" }, { name: "netdiag-b" }] } };
    assert.equal(ourEphemeralCount(pod), 2);
    assert.equal(ourEphemeralCount({}), 0);
    assert.ok(MAX_EPHEMERAL >= 1);
  });

  const pod = (phase: string, state?: object) => ({
    metadata: { name: "web-0" },
    status: {
      phase,
      ...(state
        ? {
            ephemeralContainerStatuses: [
              { name: ephemeralName("r1"), state },
              { name: "netdiag-r0", state: { running: {} } },
            ],
          }
        : {}),
    },
  });
  const opts = { now: Date.parse("2026-12-03T10:00:10Z"), pendingTimeoutMs: 45_000, deadline: Date.parse("2026-12-03T10:01:00Z") };
  const added = "2026-12-03T10:00:00Z";

  it("reads this run's container as the probe: pending until it terminates, then its message", () => {
    assert.equal(classifyProbePod(ephemeralView(pod("Running"), "r1", added), opts).kind, "pending", "not in the status yet");
    assert.equal(classifyProbePod(ephemeralView(pod("Running", { running: {} }), "r1", added), opts).kind, "pending");
    const done = classifyProbePod(ephemeralView(pod("Running", { terminated: { exitCode: 0, reason: "Completed", message: "{}" } }), "r1", added), opts);
    assert.equal(done.kind, "result");
    assert.equal((done as { message: string }).message, "{}");
  });

  it("reports a container the kubelet cannot start as a probe failure once the pending time is over, naming the pod", () => {
    const waiting = pod("Running", { waiting: { reason: "CreateContainerConfigError", message: "unable to find target container app" } });
    const c = classifyProbePod(ephemeralView(waiting, "r1", added), { ...opts, now: Date.parse("2026-12-03T10:00:50Z") });
    assert.equal(c.kind, "failure");
    assert.match((c as { message: string }).message, /web-0 \(ephemeral container netdiag-r1\).*unable to find target container app/);
  });

  it("is a probe failure, never a verdict, when the source pod ended before the probe reported", () => {
    const c = classifyProbePod(ephemeralView(pod("Failed", { running: {} }), "r1", added), opts);
    assert.equal(c.kind, "failure", JSON.stringify(c));
  });
});
