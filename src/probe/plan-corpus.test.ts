// One accept/reject corpus (test/fixtures/plan-corpus.json), two plan validators: the zod
// schema the operator builds plans against (ProbePlanSchema) and the probe's own jq
// validator (probe/src/validate-plan.jq, inlined into probe/netdiag-probe). A plan is
// accepted by the probe when the validator lists no plan error (E) and no invalid check or
// target (I); by zod when ProbePlanSchema parses it. Both must give the case's `accept`,
// except where a case says zod differs (`zodAccepts`, with the `reason`).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { ProbePlanSchema } from "../api/probe-contract.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const VALIDATOR = path.join(root, "probe", "src", "validate-plan.jq");

interface CorpusCase {
  name: string;
  accept: boolean;
  /** Set only where zod legitimately differs from the probe; then `reason` says why. */
  zodAccepts?: boolean;
  reason?: string;
  plan: unknown;
}

const corpus = JSON.parse(readFileSync(path.join(root, "test", "fixtures", "plan-corpus.json"), "utf8")) as CorpusCase[];
const jq = process.env.NETDIAG_JQ ?? "jq";
const noJq = spawnSync(jq, ["--version"]).status === 0 ? false : `${jq} is not installed (the probe's validator is a jq program)`;

/**
 * The probe validator's output lines for each plan. One jq run for the whole corpus: the
 * validator becomes the body of a jq function applied to each input in turn (the program
 * text is the file's, unchanged; a direct run of one case is compared in the first test).
 */
function validatorLines(plans: unknown[]): string[][] {
  const program = `def validate:\n${readFileSync(VALIDATOR, "utf8")}\n;\ninputs | [validate]`;
  const r = spawnSync(jq, ["-c", "-n", program], { input: plans.map((p) => JSON.stringify(p)).join("\n"), encoding: "utf8" });
  assert.equal(r.status, 0, `jq failed: ${r.stderr}`);
  const out = r.stdout
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as string[]);
  assert.equal(out.length, plans.length);
  return out;
}

/** What the probe's validator says: accepted, or the reasons it rejects (one per bad field). */
function probeVerdict(lines: string[]): { accept: boolean; why: string[] } {
  assert.ok(lines.length > 0, "the validator printed nothing");
  const why = lines.filter((l) => l.startsWith("E\t") || l.startsWith("I\t")).map((l) => l.split("\t").pop() ?? l);
  if (why.length === 0) {
    assert.ok(lines[0]?.startsWith("P\t"), `an accepted plan starts with its skeleton: ${lines[0]}`);
    assert.ok(
      lines.slice(1).every((l) => l.startsWith("C\t")),
      "an accepted plan lists only checks to run",
    );
  }
  return { accept: why.length === 0, why };
}

function zodVerdict(plan: unknown): { accept: boolean; why: string[] } {
  const r = ProbePlanSchema.safeParse(plan);
  return { accept: r.success, why: r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
}

describe("plan validation corpus: zod schema and probe validator", { skip: noJq }, () => {
  const lines = noJq ? [] : validatorLines(corpus.map((c) => c.plan));

  it("runs the validator as the probe does: one case through `jq -r -f validate-plan.jq` gives the same lines", () => {
    for (const i of [0, corpus.findIndex((c) => !c.accept)]) {
      const r = spawnSync(jq, ["-r", "-f", VALIDATOR], { input: JSON.stringify(corpus[i]?.plan), encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(
        r.stdout.split("\n").filter((l) => l.length > 0),
        lines[i],
      );
    }
  });

  it("is a corpus worth the name: named cases, both verdicts, few and explained differences", () => {
    const names = new Set(corpus.map((c) => c.name));
    assert.equal(names.size, corpus.length, "case names are unique");
    assert.ok(corpus.filter((c) => c.accept).length >= 20 && corpus.filter((c) => !c.accept).length >= 40);
    const differing = corpus.filter((c) => c.zodAccepts !== undefined);
    for (const c of differing) {
      assert.notEqual(c.zodAccepts, c.accept, `${c.name}: zodAccepts only where zod differs`);
      assert.ok(c.reason && c.reason.length > 20, `${c.name}: a difference needs its reason`);
    }
    assert.ok(differing.length <= corpus.length / 6, `${differing.length} differing cases: keep them few`);
  });

  corpus.forEach((c, i) => {
    it(`${c.accept ? "accepts" : "rejects"} ${c.name}`, () => {
      const probe = probeVerdict(lines[i] ?? []);
      assert.equal(probe.accept, c.accept, `probe: ${probe.why.join("; ") || "accepted"}`);
      const zod = zodVerdict(c.plan);
      const zodWant = c.zodAccepts ?? c.accept;
      assert.equal(zod.accept, zodWant, `zod: ${zod.why.join("; ") || "accepted"}${c.reason ? ` (expected to differ: ${c.reason})` : ""}`);
    });
  });
});
