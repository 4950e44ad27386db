/**
 * Hostile specs through the real API server and the controller: every case of the
 * corpus (test/fixtures/hostile-specs.ts) is created with the admin client, and ends in
 * exactly one of three ways:
 *   (a) rejected at admission (CRD schema, CEL rules) with an error naming the field;
 *   (b) accepted, then refused by the controller: Completed=False, reason InvalidSpec,
 *       with a message naming the field;
 *   (c) accepted and run (the test acts as kubelet and answers every probe pod with an
 *       all-ok result), ending Completed=True.
 * Never: the operator process exits, a diagnosis stays without a terminal Completed
 * condition past timeoutSeconds + 30 s, an executed payload's output in status, events or
 * the operator's log, a user string in a probe pod's command, an uncaught exception in
 * the log. A healthy control diagnosis completes before and after the flood.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { kubectlBinary } from "../../src/dev/scenario/kubectl.ts";
import { EXECUTED_MARKER, type HostileSpec, hostileSpecs, PAYLOAD_MARKER } from "../fixtures/hostile-specs.ts";
import { cond, deployAndRun, diagnosis, getDiag, resetNamespace, waitCompleted, workload } from "./fixtures.ts";
import { admin, adminKubeconfig, installOperatorObjects, labDir, labMissing, type OperatorProcess, operatorKubeconfig, startOperator } from "./harness.ts";
import { autoKubelet } from "./kubelet.ts";
import { allOk, type Plan, resultFor } from "./probe-results.ts";

const skip = labMissing();
const NS = "hostile-specs";
const CONCURRENCY = 12;
const POLL_MS = 250;
const path = `/apis/netdiag.dev/v1alpha1/namespaces/${NS}/networkdiagnoses`;
const run = promisify(execFile);

type Bucket = "rejected" | "invalidSpec" | "ran";
interface Outcome {
  c: HostileSpec;
  id: string;
  bucket?: Bucket;
  text: string;
  ms: number;
}

/** The last field name of a path: `spec.targets[0].service.port` -> `port`. */
const lastName = (field: string) =>
  field
    .split(/[.[\]]/)
    .filter((s) => s && !/^\d+$/.test(s))
    .pop() ?? field;
const namesField = (msg: string, field: string) => msg.includes(field) || msg.includes(lastName(field));

/** An all-ok probe result without the echoed inputs (a real probe keeps the message < 4 KiB). */
function smallResult(plan: Plan): string {
  const r = resultFor(plan, allOk) as { targets: { checks: { detail: Record<string, unknown> }[] }[] };
  for (const t of r.targets) for (const c of t.checks) delete c.detail.input;
  return JSON.stringify(r);
}

/** Creates one case's diagnosis: its error message, or undefined when admitted. */
async function create(c: HostileSpec, id: string): Promise<string | undefined> {
  const meta = { name: id, namespace: NS, ...(c.annotations ? { annotations: c.annotations } : {}) };
  if (c.raw !== undefined) {
    const file = join(labDir, "test", `${id}.json`);
    const head = JSON.stringify({ apiVersion: "netdiag.dev/v1alpha1", kind: "NetworkDiagnosis", metadata: meta });
    writeFileSync(file, Buffer.from(`${head.slice(0, -1)},"spec":${c.raw}}`, "latin1"));
    try {
      await run(kubectlBinary(), ["--kubeconfig", adminKubeconfig, "create", "--raw", path, "-f", file], { maxBuffer: 1 << 24 });
      return undefined;
    } catch (e) {
      return String((e as { stderr?: string }).stderr || (e as Error).message);
    }
  }
  try {
    await admin().create(path, {
      apiVersion: "netdiag.dev/v1alpha1",
      kind: "NetworkDiagnosis",
      metadata: meta,
      ...(c.spec === undefined ? {} : { spec: c.spec }),
    });
    return undefined;
  } catch (e) {
    const err = e as Error & { status?: number };
    if (err.status === undefined || err.status >= 500 || err.status < 400)
      throw new Error(`${c.name}: the API server failed instead of rejecting: ${err.message}`);
    return err.message;
  }
}

/** The seconds a run of this spec may take, by its own timeoutSeconds (30 when not a valid one). */
const runBound = (spec: unknown) => {
  const t = (spec as { timeoutSeconds?: unknown } | null)?.timeoutSeconds;
  return (typeof t === "number" && Number.isInteger(t) && t >= 1 && t <= 300 ? t : 30) + 30;
};

describe("hostile specs through the API server and the controller", { skip, timeout: 600_000 }, () => {
  let op: OperatorProcess;
  let stopKubelet: (() => void) | undefined;
  const podViolations: string[] = [];
  const rest = () => admin();
  const corpus = hostileSpecs();

  before(async () => {
    installOperatorObjects();
    await deployAndRun(rest(), NS, workload(NS, "backend"));
    op = await startOperator({
      kubeconfig: operatorKubeconfig(),
      identity: "op-hostile",
      leaseName: "netdiag-hostile-test",
      // the admin allows every image and fan-out here, so hostile values reach the probe pod
      extraArgs: ["--probe-image-allowlist", "*", "--node-fanout-namespaces", NS, "--concurrency", "8", "--log-level", "info"],
    });
    stopKubelet = autoKubelet(rest(), [NS], (p, plan) => {
      const pod = p as unknown as {
        metadata: { name: string };
        spec: { containers: { command?: string[]; args?: string[] }[]; initContainers?: { command?: string[]; args?: string[] }[] };
      };
      for (const ctr of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
        const code = [...(ctr.command ?? []), ...(ctr.args ?? [])].join(" ");
        if (code.includes(PAYLOAD_MARKER)) podViolations.push(`${pod.metadata.name}: a user string is spliced into the probe's command`);
      }
      return plan ? smallResult(plan as Plan) : undefined;
    });
  });
  after(async () => {
    stopKubelet?.();
    await op?.stop();
    await resetNamespace(rest(), NS);
  });

  const control = async (name: string) => {
    const t0 = Date.now();
    await rest().create(path, diagnosis(NS, name, { targets: [{ name: "backend", service: { name: "backend", port: 80 } }], timeoutSeconds: 20 }));
    const s = await waitCompleted(rest(), NS, name, undefined, 40_000);
    assert.equal(cond(s, "Healthy")?.status, "True", `${name}: ${JSON.stringify(s.findings)}`);
    return Date.now() - t0;
  };

  it(`sorts every one of the corpus' cases into rejected / InvalidSpec / ran, and the operator keeps serving`, async () => {
    const tStart = Date.now();
    const controlStartMs = await control("control-start");
    const outcomes: Outcome[] = corpus.map((c, i) => ({ c, id: `hs-${String(i).padStart(3, "0")}`, text: "", ms: 0 }));
    const problems: string[] = [];
    const statusTexts: string[] = [];
    let next = 0;
    let crashed = false;

    const one = async (o: Outcome) => {
      const t0 = Date.now();
      const rejected = await create(o.c, o.id);
      if (rejected !== undefined) {
        o.bucket = "rejected";
        o.text = rejected;
        if (o.c.undecodable ? !/json|unmarshal|parse|depth/i.test(rejected) : !namesField(rejected, o.c.field))
          problems.push(`${o.id} ${o.c.name}: rejected without naming ${o.c.field}: ${rejected.slice(0, 300)}`);
        o.ms = Date.now() - t0;
        return;
      }
      const bound = Date.now() + runBound(o.c.spec) * 1000;
      let last: unknown;
      for (;;) {
        if (op.proc.exitCode !== null || op.proc.signalCode !== null) {
          crashed = true;
          problems.push(`${o.id} ${o.c.name}: the operator exited (${op.proc.exitCode ?? op.proc.signalCode})`);
          break;
        }
        const d = await getDiag(rest(), NS, o.id);
        last = d.status;
        const done = cond(d.status, "Completed");
        const current = d.status?.observedGeneration === d.metadata.generation;
        if (current && done?.status === "True") {
          o.bucket = "ran";
          o.text = JSON.stringify(d.status);
          break;
        }
        if (current && done?.status === "False" && done.reason === "InvalidSpec") {
          o.bucket = "invalidSpec";
          o.text = done.message;
          if (!namesField(done.message, o.c.field))
            problems.push(`${o.id} ${o.c.name}: InvalidSpec without naming ${o.c.field}: ${done.message.slice(0, 300)}`);
          break;
        }
        if (current && done?.status === "False" && done.reason !== "Running") {
          problems.push(`${o.id} ${o.c.name}: Completed=False with reason ${done.reason}: ${done.message.slice(0, 300)}`);
          break;
        }
        if (Date.now() > bound) {
          problems.push(
            `${o.id} ${o.c.name}: no terminal Completed condition after ${runBound(o.c.spec)} s (stuck); spec ${JSON.stringify(o.c.spec ?? null).slice(0, 200)}; status ${JSON.stringify(last ?? null).slice(0, 300)}`,
          );
          break;
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      statusTexts.push(JSON.stringify(last ?? null));
      o.ms = Date.now() - t0;
      await rest()
        .delete(`${path}/${o.id}`, { propagationPolicy: "Background" })
        .catch(() => undefined);
    };

    const worker = async () => {
      while (!crashed && next < outcomes.length) {
        const o = outcomes[next++] as Outcome;
        try {
          await one(o);
        } catch (e) {
          problems.push(`${o.id} ${o.c.name}: ${(e as Error).message.slice(0, 400)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const floodMs = Date.now() - tStart - controlStartMs;

    assert.equal(op.proc.exitCode, null, `the operator exited during the flood:\n${op.logs().slice(-4000)}`);
    const controlEndMs = await control("control-end");

    const count = (b: Bucket) => outcomes.filter((o) => o.bucket === b).length;
    const counts = { rejected: count("rejected"), invalidSpec: count("invalidSpec"), ran: count("ran") };
    const unsorted = outcomes.filter((o) => !o.bucket);
    const byFamily: Record<string, Record<string, number>> = {};
    for (const o of outcomes) {
      const f = (byFamily[o.c.family] ??= {});
      f[o.bucket ?? "unsorted"] = (f[o.bucket ?? "unsorted"] ?? 0) + 1;
    }
    console.log(
      `hostile specs: ${corpus.length} cases: rejected at admission ${counts.rejected}, InvalidSpec ${counts.invalidSpec}, accepted and run ${counts.ran}, unsorted ${unsorted.length}`,
    );
    console.log(`hostile specs by family: ${JSON.stringify(byFamily)}`);
    console.log(
      `hostile specs: flood ${(floodMs / 1000).toFixed(1)} s, control before ${(controlStartMs / 1000).toFixed(1)} s, after ${(controlEndMs / 1000).toFixed(1)} s, slowest case ${Math.max(...outcomes.map((o) => o.ms))} ms`,
    );
    if (process.env.HOSTILE_DUMP)
      writeFileSync(
        process.env.HOSTILE_DUMP,
        JSON.stringify(
          outcomes.map((o) => ({ id: o.id, name: o.c.name, bucket: o.bucket, text: o.text.slice(0, 500) })),
          null,
          1,
        ),
      );

    const events = await rest().list<{ note?: string; reason?: string }>(`/apis/events.k8s.io/v1/namespaces/${NS}/events`);
    const eventText = events.items.map((e) => `${e.reason}: ${e.note}`).join("\n");
    for (const [what, text] of [
      ["status", statusTexts.join("\n") + outcomes.map((o) => o.text).join("\n")],
      ["events", eventText],
      ["operator log", op.logs()],
    ] as const) {
      if (text.includes(EXECUTED_MARKER)) problems.push(`an executed payload's output (${EXECUTED_MARKER}) is in the ${what}`);
    }
    problems.push(...podViolations);
    const log = op.logs();
    const uncaught = log
      .split("\n")
      .filter((l) => /Uncaught|UnhandledPromiseRejection|unhandledRejection|uncaughtException|^\s+at /.test(l) || /"level":60/.test(l));
    if (uncaught.length) problems.push(`the operator's log shows uncaught exceptions:\n${uncaught.slice(0, 20).join("\n")}`);
    const retried = log.split("\n").filter((l) => l.includes("reconcile failed; retrying") && /hostile-specs\/hs-\d+/.test(l));
    if (retried.length) {
      const keys = [...new Set(retried.map((l) => /hostile-specs\/(hs-\d+)/.exec(l)?.[1]))];
      problems.push(
        `reconciles of ${keys.length} hostile cases failed and were retried (a spec should be terminal, not a retry loop): ${keys.map((k) => `${k} (${outcomes.find((o) => o.id === k)?.c.name})`).join(", ")}; first: ${retried[0]?.slice(0, 400)}`,
      );
    }

    assert.deepEqual(problems, [], `${problems.length} problems:\n${problems.join("\n")}`);
    assert.equal(unsorted.length, 0);
    assert.equal(counts.rejected + counts.invalidSpec + counts.ran, corpus.length, "every case lands in exactly one bucket");
    assert.ok(corpus.length >= 300, "a corpus of at least 300 cases");
  });
});
