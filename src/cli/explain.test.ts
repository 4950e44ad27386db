import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { FindingCodeNames } from "../api/codes.ts";
import { Runbooks } from "../dev/runbooks.ts";
import { FINDINGS_DOC, runbookSection, runExplain } from "./explain.ts";

const doc = readFileSync(FINDINGS_DOC, "utf8");

describe("explain", () => {
  it("prints, for every finding code, the runbook that src/dev/runbooks.ts holds and docs/reference/findings.md shows", () => {
    for (const code of FindingCodeNames) {
      const text = runbookSection(doc, code);
      const r = Runbooks[code];
      assert.ok(text && r, `no section or runbook for ${code}`);
      assert.match(text, new RegExp(`^### ${code}\\n`));
      assert.ok(text.includes(r.means), `${code}: the meaning`);
      assert.ok(text.includes(r.fix), `${code}: the fix`);
      for (const line of r.confirm) assert.ok(text.includes(line), `${code}: confirm line ${line}`);
      assert.doesNotMatch(text, /\]\(/, `${code}: links reduced to their text`);
      assert.doesNotMatch(text, /\n### /, `${code}: one section only`);
    }
  });

  it("takes the code case-insensitively and exits 0", async () => {
    const r = await runExplain(["targetportmismatch"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^### TargetPortMismatch\n/);
    assert.match(r.stdout, /\*\*Fix\.\*\*/);
  });

  it("exits 2 for an unknown code and suggests the codes that contain it", async () => {
    const r = await runExplain(["Selector"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^netdiag explain: no finding code Selector: did you mean ServiceSelectorMatchesNoPods\?/);
    assert.match((await runExplain(["zzz"])).stderr, /netdiag explain lists them/);
  });

  it("lists every code by layer without an argument", async () => {
    const r = await runExplain([]);
    assert.equal(r.code, 0);
    for (const code of FindingCodeNames) assert.match(r.stdout, new RegExp(`\\b${code}\\b`));
  });
});
