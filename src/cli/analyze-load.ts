/**
 * Reads manifests for `netdiag analyze`: files and directories (recursively: .yaml,
 * .yml, .json), every YAML document, `List` kinds expanded. Bad input is an InputError
 * whose message points at file:line and says what to fix: missing or unreadable paths,
 * non-regular files (FIFOs, devices), files over MAX_FILE_BYTES, YAML errors, alias
 * bombs (more than MAX_ALIASES alias expansions) and documents that are not objects.
 * Directory symlink loops are walked once.
 *
 * @module
 */
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { ManifestObject } from "../analyzers/offline/snapshot-from-objects.ts";

/** Bad input: exit code 2, message says what to fix. */
export class InputError extends Error {
  override name = "InputError";
}

const EXTENSIONS = /\.(ya?ml|json)$/i;
/** Larger files are refused: manifests are small, and the whole file is held in memory. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** Alias expansions allowed per document (the yaml package's guard against "billion laughs"). */
export const MAX_ALIASES = 100;

/** A filesystem error in words, e.g. "no such file or directory" for ENOENT. */
function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ELOOP") return "too many levels of symbolic links";
  return (e as Error).message;
}

/** Every manifest file under the paths (explicit files are taken whatever their name). */
export function manifestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const seenDirs = new Set<string>();
  const walk = (p: string, explicit: boolean) => {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new InputError(`${p}: ${fsReason(e)}`);
    }
    if (st.isDirectory()) {
      const real = realpathSync(p);
      if (seenDirs.has(real)) return; // a symlink back to a directory already walked
      seenDirs.add(real);
      let entries: string[];
      try {
        entries = readdirSync(p).sort();
      } catch (e) {
        throw new InputError(`${p}: cannot list the directory: ${fsReason(e)}`);
      }
      for (const e of entries) if (!e.startsWith(".")) walk(join(p, e), false);
    } else if (explicit || EXTENSIONS.test(p)) {
      if (!st.isFile()) throw new InputError(`${p}: not a regular file (a FIFO, socket or device): pass a manifest file or a directory`);
      if (st.size > MAX_FILE_BYTES) throw new InputError(`${p}: ${st.size} bytes is over the ${MAX_FILE_BYTES}-byte limit for one manifest file: split it`);
      out.push(p);
    }
  };
  for (const p of paths) walk(p, true);
  return out;
}

/** What a non-object YAML value is, in words. */
function kindOfValue(v: unknown): string {
  return Array.isArray(v) ? "a list" : typeof v === "string" ? "a string" : `a ${typeof v}`;
}

/** The objects of one document: itself, or the items of a `*List`. Empty documents are skipped. */
function expand(file: string, doc: unknown, where = "a document"): ManifestObject[] {
  if (doc === null || doc === undefined) return [];
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new InputError(`${file}: ${where} is ${kindOfValue(doc)}, not a Kubernetes object: give each object as a mapping with kind and metadata`);
  }
  const o = doc as ManifestObject & { items?: unknown[] };
  if (typeof o.kind === "string" && o.kind.endsWith("List") && Array.isArray(o.items)) {
    return o.items.flatMap((item, i) => expand(file, item, `items[${i}] of ${o.kind}`));
  }
  return [o];
}

/** A document's value as plain JS; aliases are capped, so an alias bomb is an InputError. */
function toPlain(file: string, doc: { toJS(o: { maxAliasCount: number }): unknown }): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) {
      throw new InputError(
        `${file}: YAML aliases expand too much (over ${MAX_ALIASES} per document, a "billion laughs" pattern): write the repeated values out`,
      );
    }
    throw new InputError(`${file}: cannot read the YAML: ${(e as Error).message.split("\n")[0]}`);
  }
}

/** Parses one file's documents. */
export function parseManifest(file: string, text: string): ManifestObject[] {
  let docs;
  try {
    docs = parseAllDocuments(text, { prettyErrors: true });
  } catch (e) {
    throw new InputError(`${file}: cannot parse the YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const out: ManifestObject[] = [];
  for (const d of list) {
    const err = d.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      throw new InputError(
        `${file}:${pos ? `${pos.line}:${pos.col}` : "?"}: YAML error: ${err.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "")}`,
      );
    }
    out.push(...expand(file, toPlain(file, d)));
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
