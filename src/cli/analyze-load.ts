/**
 * Reads manifests for `netdiag analyze`: files and directories (recursively: .yaml,
 * .yml, .json), every YAML document, `List` kinds expanded. Bad input is an InputError
 * whose message points at file:line.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { ManifestObject } from "../analyzers/offline/snapshot-from-objects.ts";

/** Bad input: exit code 2, message says what to fix. */
export class InputError extends Error {
  override name = "InputError";
}

const EXTENSIONS = /\.(ya?ml|json)$/i;

/** Every manifest file under the paths (explicit files are taken whatever their name). */
export function manifestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, explicit: boolean) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new InputError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      for (const e of readdirSync(p).sort()) if (!e.startsWith(".")) walk(join(p, e), false);
    } else if (explicit || EXTENSIONS.test(p)) {
      out.push(p);
    }
  };
  for (const p of paths) walk(p, true);
  return out;
}

function expand(doc: unknown): ManifestObject[] {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return [];
  const o = doc as ManifestObject & { items?: unknown[] };
  if (typeof o.kind === "string" && o.kind.endsWith("List") && Array.isArray(o.items)) return o.items.flatMap(expand);
  return [o];
}

/** Parses one file's documents. */
export function parseManifest(file: string, text: string): ManifestObject[] {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: ManifestObject[] = [];
  for (const d of list) {
    const err = d.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      throw new InputError(`${file}:${pos ? `${pos.line}:${pos.col}` : "?"}: YAML error: ${err.message.split("\n")[0]}`);
    }
    out.push(...expand(d.toJS()));
  }
  return out;
}

/** Reads every object from the paths. */
export function loadManifests(paths: readonly string[]): { file: string; object: ManifestObject }[] {
  return manifestFiles(paths).flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new InputError(`${file}: cannot read: ${(e as Error).message}`);
    }
    return parseManifest(file, text).map((object) => ({ file, object }));
  });
}
