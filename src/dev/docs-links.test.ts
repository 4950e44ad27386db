/**
 * The docs' links resolve: every relative markdown link (`[text](path)`, `[text](path#anchor)`,
 * `[text](#anchor)`, reference definitions `[id]: path`) in README.md, docs/**\/*.md and
 * charts/netdiag/README.md points at a file or directory of the repository, and every
 * anchor at a heading (GitHub's slugs) or an HTML anchor of the target markdown file. Also,
 * conservatively, a repo path of a markdown file written in backticks (`docs/security.md`,
 * `docs/adr/0003-probe-contract.md#decision`), as the docs often cite them. External links
 * (with a scheme) are not fetched. Code blocks and inline code are not links.
 *
 * @module
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { describe, it } from "node:test";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** GitHub's anchor of a heading (github-slugger): lowercase, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  const text = heading
    .replace(/`+([^`]*)`+/g, "$1") // inline code keeps its text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // links keep their text
    .replace(/<[^>]+>/g, "") // html tags
    .replace(/\*+/g, "")
    .replace(/(^|\s)_+([^_]+?)_+(?=\s|$)/g, "$1$2"); // _emphasis_
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** Lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(md: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let fence: string | undefined;
  md.split("\n").forEach((text, i) => {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(text);
    if (fence) {
      if (m?.[1] && m[1][0] === fence[0] && m[1].length >= fence.length && text.trim() === m[1]) fence = undefined;
      return;
    }
    if (m?.[1]) {
      fence = m[1];
      return;
    }
    out.push({ text, line: i + 1 });
  });
  return out;
}

/** Every anchor a markdown file offers: heading slugs (duplicates get -1, -2, …) and HTML id/name attributes. */
function anchorsOf(md: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  const add = (heading: string) => {
    const s = slug(heading);
    const n = seen.get(s) ?? 0;
    seen.set(s, n + 1);
    out.add(n === 0 ? s : `${s}-${n}`);
  };
  const lines = proseLines(md);
  lines.forEach(({ text }, i) => {
    const atx = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text);
    if (atx) add(atx[1] ?? "");
    const next = lines[i + 1];
    if (!atx && next && next.line === lines[i]!.line + 1 && /^ {0,3}(=+|-+)\s*$/.test(next.text) && text.trim() !== "" && !/^\s*([-*+>|]|\d+\.)/.test(text))
      add(text);
    for (const m of text.matchAll(/<[a-z][^>]*\s(?:id|name)=["']([^"']+)["']/gi)) out.add(m[1] ?? "");
  });
  return out;
}

interface Ref {
  target: string;
  line: number;
  kind: "link" | "code";
}

/** Relative links, and backticked repo paths of markdown files, of one markdown file. */
function refsOf(md: string): Ref[] {
  const out: Ref[] = [];
  for (const { text, line } of proseLines(md)) {
    for (const m of text.matchAll(/(`+)([^`]+?)\1/g)) {
      const c = (m[2] ?? "").trim();
      if (/^(?:README\.md|(?:docs|charts\/netdiag)\/[\w./-]*\.md)(?:#[\w-]+)?$/.test(c)) out.push({ target: `/${c}`, line, kind: "code" });
    }
    const prose = text.replace(/(`+)[^`]*?\1/g, "");
    for (const m of prose.matchAll(/!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g))
      out.push({ target: (m[1] ?? "").replace(/^<|>$/g, ""), line, kind: "link" });
    const def = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(prose);
    if (def) out.push({ target: (def[1] ?? "").replace(/^<|>$/g, ""), line, kind: "link" });
  }
  return out.filter((r) => !/^[a-z][a-z0-9+.-]*:/i.test(r.target) && !r.target.startsWith("//"));
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOfFile(path: string): Set<string> {
  let a = anchorCache.get(path);
  if (!a) {
    a = anchorsOf(readFileSync(path, "utf8"));
    anchorCache.set(path, a);
  }
  return a;
}

/** What is wrong with the links of one file ("file:line: why"). */
function brokenLinks(file: string, md = readFileSync(file, "utf8")): string[] {
  const out: string[] = [];
  const name = relative(root, file);
  for (const r of refsOf(md)) {
    const [rawPath = "", anchor] = r.target.split("#", 2);
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      out.push(`${name}:${r.line}: ${r.target}: not a valid URL path`);
      continue;
    }
    if (path === "") {
      if (anchor !== undefined && !anchorsOf(md).has(anchor.toLowerCase()))
        out.push(`${name}:${r.line}: #${anchor}: no heading or anchor #${anchor} in ${name}`);
      continue;
    }
    const target = path.startsWith("/") ? join(root, path) : resolve(dirname(file), path);
    const shown = r.kind === "code" ? `\`${r.target.slice(1)}\`` : r.target;
    if (target !== root && !target.startsWith(root + sep)) {
      out.push(`${name}:${r.line}: ${shown} points outside the repository`);
      continue;
    }
    if (!existsSync(target)) {
      out.push(`${name}:${r.line}: ${shown}: ${relative(root, target)} does not exist`);
      continue;
    }
    if (anchor !== undefined && target.endsWith(".md") && statSync(target).isFile() && !anchorsOfFile(target).has(anchor.toLowerCase()))
      out.push(`${name}:${r.line}: ${shown}: no heading or anchor #${anchor} in ${relative(root, target)}`);
  }
  return out;
}

function markdownUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? markdownUnder(p) : e.name.endsWith(".md") ? [p] : [];
  });
}

/** The docs users read: README.md, docs/**\/*.md, the chart's README. */
function docFiles(): string[] {
  return [join(root, "README.md"), ...markdownUnder(join(root, "docs")).sort(), join(root, "charts/netdiag/README.md")].filter((f) => existsSync(f));
}

describe("docs links", () => {
  it("slugs headings as GitHub does", () => {
    assert.equal(slug("The tenancy rule"), "the-tenancy-rule");
    assert.equal(slug("Offline: lint manifests before they are deployed"), "offline-lint-manifests-before-they-are-deployed");
    assert.equal(slug("ADR 0003 — The probe contract"), "adr-0003--the-probe-contract");
    assert.equal(slug("Admin policy (operator flags = env = Helm `policy:` values)"), "admin-policy-operator-flags--env--helm-policy-values");
    assert.equal(slug("netdiag_probe_success"), "netdiag_probe_success");
    assert.equal(slug("Why not …"), "why-not-");
  });

  it("collects anchors outside code blocks, numbers duplicates, and knows html anchors", () => {
    const a = anchorsOf(["# Title", "```sh", "# not a heading", "```", "## Run", "## Run", "Setext", "------", '<a id="custom"></a>'].join("\n"));
    assert.deepEqual([...a].sort(), ["custom", "run", "run-1", "setext", "title"]);
  });

  it("finds relative links, reference definitions and backticked doc paths, but not code or external links", () => {
    const refs = refsOf(
      [
        'See [the reference](reference/crd.md#spec), [top](#title) and ![img](img.png "t").',
        "`[not](a-link.md)` and `docs/security.md#the-tenancy-rule` and `src/api/codes.ts`",
        "[ext](https://example.org/x.md) [mail](mailto:a@b) [link with `code`](../README.md)",
        "[id]: docs/concepts.md",
        "```",
        "[inside](code.md)",
        "```",
      ].join("\n"),
    ).map((r) => `${r.kind}:${r.target}`);
    assert.deepEqual(refs, [
      "link:reference/crd.md#spec",
      "link:#title",
      "link:img.png",
      "code:/docs/security.md#the-tenancy-rule",
      "link:../README.md",
      "link:docs/concepts.md",
    ]);
  });

  it("reports a missing file, a missing anchor and a link out of the repository", () => {
    const file = join(root, "docs", "probe.md");
    const broken = brokenLinks(
      file,
      ["# Probe", "[a](security.md#no-such-heading) [b](nope.md) [c](#probe) [d](#nope) [e](../../outside.md)", "`docs/missing.md`"].join("\n"),
    );
    assert.deepEqual(broken, [
      "docs/probe.md:2: security.md#no-such-heading: no heading or anchor #no-such-heading in docs/security.md",
      "docs/probe.md:2: nope.md: docs/nope.md does not exist",
      "docs/probe.md:2: #nope: no heading or anchor #nope in docs/probe.md",
      "docs/probe.md:2: ../../outside.md points outside the repository",
      "docs/probe.md:3: `docs/missing.md`: docs/missing.md does not exist",
    ]);
  });

  it("every relative link and anchor in README.md, docs/ and charts/netdiag/README.md resolves", () => {
    const files = docFiles();
    assert.ok(files.length > 3, "found the docs");
    assert.deepEqual(
      files.flatMap((f) => brokenLinks(f)),
      [],
    );
  });
});
