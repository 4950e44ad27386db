import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { FindingCodeNames } from "../api/codes.ts";
import { describeFields, fieldRows, globRegex, metricFamilies, metricsReference, renderDocs, root, runbookProblems } from "./gen-docs.ts";
import { Runbooks } from "./runbooks.ts";

describe("generated docs (src/dev/gen-docs.ts)", () => {
  it("match the committed docs/reference/*.md (run npm run docs:gen when this fails)", async () => {
    const { files, counts } = await renderDocs();
    for (const [path, want] of Object.entries(files)) assert.equal(readFileSync(join(root, path), "utf8"), want, `${path} is stale: run npm run docs:gen`);
    assert.equal(counts.codes, FindingCodeNames.length);
  });

  it("fail when a code has no runbook, or a runbook has no code", () => {
    assert.deepEqual(runbookProblems(FindingCodeNames, Runbooks), []);
    const { ToolMissing: _gone, ...without } = Runbooks;
    assert.deepEqual(runbookProblems(FindingCodeNames, without), ["finding code ToolMissing has no runbook: add one to src/dev/runbooks.ts"]);
    const extra = { ...Runbooks, NoSuchCode: { severity: ["Info"], owner: [], means: "m", confirm: ["true"], fix: "f" } } as const;
    assert.deepEqual(runbookProblems(FindingCodeNames, extra), ["src/dev/runbooks.ts has a runbook for NoSuchCode, which is not a code of src/api/codes.ts"]);
  });

  it("fail when a field has no description, or a supplied description is stale or repeats the schema's", () => {
    const rows = fieldRows(
      {
        type: "object",
        required: ["a"],
        properties: {
          a: { type: "string", description: "from the schema" },
          b: { type: "array", maxItems: 3, items: { type: "object", properties: { c: { type: "integer", minimum: 1 } } } },
        },
      },
      "spec",
      true,
    );
    assert.deepEqual(
      rows.map((r) => [r.path, r.type, r.required, r.constraints.join("; ")]),
      [
        ["spec", "object", true, ""],
        ["spec.a", "string", true, ""],
        ["spec.b", "[]object", false, "items ≤ 3"],
        ["spec.b[].c", "integer", false, "≥ 1"],
      ],
    );
    const { problems } = describeFields(rows, { spec: "the spec", "spec.a": "again", "spec.*.c": "c", "spec.gone": "x" }, {});
    assert.deepEqual(problems, [
      'src/dev/gen-docs.ts FIELD_DOCS["spec.a"] repeats the schema\'s own description of spec.a: delete the key',
      "spec.b has no description: add .describe() to its zod schema in src/api, or a FIELD_DOCS entry in src/dev/gen-docs.ts",
      'src/dev/gen-docs.ts FIELD_DOCS["spec.gone"] matches no field of the CRD: delete or fix the key',
    ]);
  });

  it("match field paths with * (one segment) and **. (any prefix)", () => {
    assert.ok(globRegex("status.*Run.id").test("status.lastRun.id"));
    assert.ok(globRegex("status.*Run.id").test("status.activeRun.id"));
    assert.ok(!globRegex("status.*Run.id").test("status.lastRun.x.id"));
    assert.ok(globRegex("**.matchExpressions[].key").test("spec.source.nodes.selector.matchExpressions[].key"));
    assert.ok(!globRegex("spec.targets[].url").test("spec.targets.url"));
  });

  it("document every metric family the operator registers, and fail on a label without a bound", () => {
    const families = metricFamilies();
    const { text, problems } = metricsReference(families);
    assert.deepEqual(problems, []);
    for (const f of families) assert.match(text, new RegExp(`### ${f.name}\\n`));
    assert.ok(families.some((f) => f.name === "netdiag_probe_success"));
    const more = metricsReference([...families, { name: "netdiag_new", help: "h", type: "gauge", labelNames: ["pod"] }]);
    assert.deepEqual(more.problems, ["label pod of netdiag_new has no entry in labelDocs() of src/dev/gen-docs.ts (its values and bound)"]);
  });
});
