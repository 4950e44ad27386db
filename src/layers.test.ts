/**
 * The dependency order of the source tree, enforced: every production file under src/
 * may import only from its own folder or from a folder of a lower layer, and no chain
 * of imports comes back to where it started. Test files are exempt from the order (a
 * test may use a harness above it) but not from the cycle check of what they import.
 *
 *   api → model, runtime → policy, k8s → analyzers, metrics → probe → diagnosis
 *       → operator → cli → main.ts → dev
 *
 * dev/ (the e2e scenario harness, gen-crd) sits on top: nothing shipped may import it,
 * and tsconfig.build.json keeps it out of dist/ and the image.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const SRC = dirname(fileURLToPath(import.meta.url));

/** Lowest first. A folder may import from folders of strictly lower layers only. */
export const LAYERS: readonly (readonly string[])[] = [
  ["api"], //                  the public API: CRD types, finding codes, the probe contract
  ["model", "runtime"], //     cluster objects as data (index, selectors, resolution); generic runtime helpers
  ["policy", "k8s"], //        NetworkPolicy semantics; the API client, informers, Lease
  ["analyzers", "metrics"], // the method; Prometheus metrics
  ["probe"], //                the probe plan and result parsing
  ["diagnosis"], //            the reconcile: snapshot → plan → pods → verdict → status
  ["operator"], //             the process
  ["cli"], //                  the netdiag command
  ["main.ts"],
  ["dev"], //                  developer tools, not shipped: the e2e scenario harness, gen-crd
];

function folderOf(file: string): string {
  const rel = relative(SRC, file);
  return rel.includes("/") ? (rel.split("/")[0] ?? rel) : rel;
}

function rank(folder: string): number {
  const r = LAYERS.findIndex((l) => l.includes(folder));
  assert.ok(r >= 0, `src/${folder} is in no layer: add it to LAYERS in src/layers.test.ts`);
  return r;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["'](\.{1,2}\/[^"']+)["']/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)].map((m) => normalize(join(dirname(file), m[1] ?? "")));
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let n = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, n);
    low.set(v, n++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe("the source tree's dependency order", () => {
  const files = sources(SRC);
  const prod = files.filter((f) => !f.endsWith(".test.ts"));

  it("finds the cycle in a graph that has one (the checker can fail)", () => {
    const g = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    assert.deepEqual(
      cycles(g).map((c) => c.sort()),
      [["a", "b", "c"]],
    );
  });

  it("has no import cycle", () => {
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    const found = cycles(graph).map((c) => c.map((f) => relative(SRC, f)).join(" ↔ "));
    assert.deepEqual(found, []);
  });

  it("imports only downward: api → model, runtime → policy, k8s → analyzers, metrics → probe → diagnosis → operator → cli → main → dev", () => {
    const upward: string[] = [];
    for (const f of prod) {
      const from = folderOf(f);
      for (const target of importsOf(f)) {
        if (!target.startsWith(SRC)) {
          upward.push(`${relative(SRC, f)} imports ${relative(SRC, target)} outside src/`);
          continue;
        }
        const to = folderOf(target);
        if (to !== from && rank(to) >= rank(from)) upward.push(`${relative(SRC, f)} (${from}) imports ${relative(SRC, target)} (${to})`);
      }
    }
    assert.deepEqual(upward, []);
  });

  it("puts every folder of src/ in a layer", () => {
    for (const f of prod) rank(folderOf(f));
  });
});
