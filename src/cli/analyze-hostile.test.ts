import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { MAX_FILE_BYTES } from "./analyze-load.ts";

const bin = fileURLToPath(new URL("../../bin/netdiag", import.meta.url));
const hostile = fileURLToPath(new URL("../../test/fixtures/hostile/", import.meta.url));
const okDiagnosis = join(hostile, "diagnosis-ok.yaml");

/** Inputs that cannot live in git: generated into a temporary directory. */
function generated(): [string, string[]][] {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-hostile-"));
  const deep = join(dir, "deep.yaml");
  writeFileSync(deep, `kind: ConfigMap\nmetadata: { name: deep }\ndata: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`);
  const deepJson = join(dir, "deep.json");
  writeFileSync(deepJson, `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`);
  const loops = join(dir, "loops");
  mkdirSync(loops);
  symlinkSync(".", join(loops, "a")); // two links back to the directory: 2^depth walks without a seen-set
  symlinkSync(".", join(loops, "b"));
  const selfLink = join(dir, "self.yaml");
  symlinkSync(selfLink, selfLink);
  const huge = join(dir, "huge.yaml");
  writeFileSync(huge, "");
  truncateSync(huge, MAX_FILE_BYTES + 1); // sparse: no real disk use
  const empty = join(dir, "empty");
  mkdirSync(empty);
  return [
    ["YAML nested 100000 levels deep", ["-f", deep, "--diagnosis", okDiagnosis]],
    ["JSON nested 100000 levels deep", ["-f", deepJson, "--diagnosis", okDiagnosis]],
    ["a directory of symlink loops", ["-f", loops]],
    ["a symlink to itself", ["-f", selfLink, "--diagnosis", okDiagnosis]],
    [`a file over ${MAX_FILE_BYTES} bytes`, ["-f", huge, "--diagnosis", okDiagnosis]],
    ["a directory without manifests", ["-f", empty]],
    ["a device instead of a file", ["-f", "/dev/zero", "--diagnosis", okDiagnosis]],
    ["a missing file", ["-f", join(dir, "nope.yaml")]],
    ["a directory as the diagnosis", ["-f", okDiagnosis, "--diagnosis", dir]],
    ["-f without a value", ["-f"]],
    ["an unknown output format", ["-f", okDiagnosis, "-o", "yaml"]],
    ["an unknown flag", ["--frobnicate"]],
  ];
}

/** Every file of test/fixtures/hostile: manifests-* with a valid diagnosis, the rest alone. */
function fixtures(): [string, string[]][] {
  return readdirSync(hostile)
    .filter((f) => /\.(ya?ml|json|txt)$/.test(f) && f !== "diagnosis-ok.yaml")
    .sort()
    .map((f) => [`test/fixtures/hostile/${f}`, f.startsWith("manifests-") ? ["-f", join(hostile, f), "--diagnosis", okDiagnosis] : ["-f", join(hostile, f)]]);
}

describe("bin/netdiag analyze on hostile input", { timeout: 300_000 }, () => {
  it("exits 1 on the valid diagnosis the hostile manifests are checked with (the baseline)", () => {
    const r = spawnSync(bin, ["analyze", "-f", okDiagnosis], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /ServiceNotFound/);
  });

  for (const [what, args] of [...fixtures(), ...generated()]) {
    it(`exits 2 with one paragraph that says what to fix, and no stack trace, on ${what}`, () => {
      const r = spawnSync(bin, ["analyze", ...args], { encoding: "utf8", timeout: 60_000, maxBuffer: 1 << 20 });
      assert.equal(r.error, undefined, `did not finish: ${String(r.error)}`);
      assert.equal(r.status, 2, `exit ${r.status}\nstdout: ${r.stdout.slice(0, 500)}\nstderr: ${r.stderr.slice(0, 2000)}`);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /^netdiag analyze: \S/, r.stderr);
      assert.doesNotMatch(r.stderr, /^\s+at /m, r.stderr);
      assert.doesNotMatch(r.stderr.trimEnd(), /\n\s*\n/, "one paragraph");
      assert.ok(r.stderr.length < 2000, `short: ${r.stderr.length} characters`);
    });
  }

  it("never copies a URL's credentials into the message", () => {
    const r = spawnSync(bin, ["analyze", "-f", join(hostile, "url-credentials.yaml")], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /remove the user:password@ part/);
    assert.doesNotMatch(r.stderr, /hunter2/);
  });
});
