// Hostile plans against the probe itself, in the netns lab, run as root (the worst case:
// an injection would run with the most power). Every user string is data: no injected
// command runs (a marker file an injected `touch` would create never appears), curl fetches
// nothing local (a secret file's content never shows up), every hostile check is reported
// as an invalid `error` result of its own naming the bad field, and the good checks in the
// same plan still succeed.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type CheckResult, forToolsets, Lab, labSkipReason, type ProbeRun } from "./netns-lab.ts";
import { IMAGE_PATH, toolsetSpawn } from "./toolset.ts";

const skip = labSkipReason();
const SRV = "198.18.201.2";
const GOOD_URL = `http://${SRV}:8080/`;

/** A hostile check and the field that must be named as bad (null: the check as a whole). */
interface Hostile {
  what: string;
  check: unknown;
  field: string | null;
}

describe("netdiag-probe against hostile plans", { skip }, () => {
  let lab: Lab;
  let dir: string;
  let marker: string;
  let secretFile: string;
  let secret: string;
  let corpus: Hostile[];
  const touch = () => `touch ${marker}`;

  before(() => {
    lab = new Lab();
    lab.up();
    dir = mkdtempSync(path.join(tmpdir(), "ndp-hostile-"));
    chmodSync(dir, 0o755);
    marker = path.join(dir, "pwned");
    secretFile = path.join(dir, "secret.txt");
    secret = `NETDIAG-SECRET-${randomBytes(8).toString("hex")}`;
    writeFileSync(secretFile, `${secret}\n`);
    corpus = buildCorpus();
  });
  after(() => {
    lab?.down();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function buildCorpus(): Hostile[] {
    const T = touch();
    const US = "\u001f";
    const good = { check: "http", url: GOOD_URL };
    const h = (what: string, check: unknown, field: string | null): Hostile => ({ what, check, field });
    const hosts: [string, string][] = [
      ["$(...)", `$(${T})`],
      ["backticks", `\`${T}\``],
      ["; command", `x;${T}`],
      ["| pipe", `x|${T}`],
      ["&& and", `x&&${T}`],
      ["space", "198.18.201.2 -o /tmp/x"],
      ["newline", `198.18.201.2\n${T}`],
      ["tab", "198.18.201.2\t-x"],
      ["unit separator", `198.18.201.2${US}x`],
      ["NUL escape", "198.18.201.2\u0000x"],
      ["DEL", "198.18.201.2\u007f"],
      ["C1 NEL", "198.18.201.2\u0085"],
      ["line separator U+2028", "198.18.201.2\u2028x"],
      ["-oProxyCommand option", `-oProxyCommand=${T}`],
      ["--config option", `--config=${secretFile}`],
      ["-f option", "-f"],
      ["unicode (not punycode)", "bücher.lab.test"],
      ["huge", "a".repeat(20_000)],
      ["empty", ""],
      ["path", "../../etc/passwd"],
    ];
    const out: Hostile[] = [];
    for (const [what, host] of hosts) {
      out.push(h(`tcp host ${what}`, { check: "tcp", host, port: 8080 }, "host"));
      out.push(h(`icmp host ${what}`, { check: "icmp", host }, "host"));
    }
    out.push(h("tls host option", { check: "tls", host: "-connect", port: 8443 }, "host"));
    out.push(h("trace host option", { check: "trace", host: "--help" }, "host"));
    out.push(h("mtu host $(...)", { check: "mtu", host: `$(${T})` }, "host"));
    out.push(h("route host backticks", { check: "route", host: `\`${T}\`` }, "host"));
    // names and SNI
    for (const [what, name] of [
      ["option", "-x"],
      ["; command", `a;${T}`],
      ["$(...)", `$(${T})`],
      ["newline", "web.lab.test\nx"],
      ["unit separator", `web${US}lab`],
      ["too long", `${"a".repeat(300)}.test`],
      ["leading dot", ".lab.test"],
      ["unicode", "wéb.lab.test"],
    ] as const) {
      out.push(h(`dns name ${what}`, { check: "dns", name }, "name"));
      out.push(h(`tls sni ${what}`, { check: "tls", host: SRV, port: 8443, sni: name }, "sni"));
    }
    // URLs
    for (const [what, url] of [
      ["file://", `file://${secretFile}`],
      ["FILE:// upper case", `FILE://${secretFile}`],
      ["gopher://", `gopher://${SRV}:8080/_GET%20/`],
      ["dict://", `dict://${SRV}:8080/x`],
      ["ftp://", `ftp://${SRV}/`],
      ["scheme-less", `${SRV}:8080/`],
      ["glob range", `http://${SRV}:8080/[1-100000]`],
      ["glob set", `http://${SRV}:8080/{a,b,c}`],
      ["space", `http://${SRV}:8080/ ${secretFile}`],
      ["newline", `http://${SRV}:8080/\nfile://${secretFile}`],
      ["unit separator", `http://${SRV}:8080/${US}file://${secretFile}`],
      ["option host", "http://-oProxyCommand=x/"],
      ["userinfo", `http://user:pw@${SRV}:8080/`],
      ["port 0", `http://${SRV}:0/`],
      ["port 99999", `http://${SRV}:99999/`],
      ["quote", `http://${SRV}:8080/"x`],
      ["backslash", `http://${SRV}:8080/\\x`],
      ["unicode", `http://${SRV}:8080/ü`],
      ["huge", `http://${SRV}:8080/${"a".repeat(5000)}`],
      ["empty", ""],
      ["unterminated IPv6", "https://[::1/"],
    ] as const) {
      out.push(h(`http url ${what}`, { check: "http", url }, "url"));
    }
    out.push(h("http Host header newline (header injection)", { ...good, host: "web\r\nX-Evil: 1" }, "host"));
    out.push(h("http caFile relative", { ...good, caFile: "etc/ssl/ca.pem" }, "caFile"));
    out.push(h("http caFile option", { ...good, caFile: "--insecure" }, "caFile"));
    out.push(h("http caFile $(...)", { ...good, caFile: `/tmp/$(${T})` }, "caFile"));
    out.push(h("http insecure string", { ...good, insecure: "true" }, "insecure"));
    out.push(h("dns type injection", { check: "dns", name: "web.lab.test", type: "A;ANY" }, "type"));
    // numbers: negative, float, string, exponent, huge, boolean, null, arithmetic
    const nums: [string, unknown][] = [
      ["0", 0],
      ["negative", -1],
      ["float", 80.5],
      ["string", "8080"],
      ["arithmetic string", `BASH_VERSINFO[$(${T})0]`],
      ["65536", 65536],
      ["exponent 1e5", "__RAW_1e5__"],
      ["exponent 1e400", "__RAW_1e400__"],
      ["boolean", true],
      ["null", null],
      ["array", [80]],
    ];
    for (const [what, n] of nums) {
      out.push(h(`tcp port ${what}`, { check: "tcp", host: SRV, port: n }, "port"));
      out.push(h(`timeoutSeconds ${what}`, { check: "route", host: SRV, timeoutSeconds: n }, "timeoutSeconds"));
      out.push(h(`trace maxHops ${what}`, { check: "trace", host: SRV, maxHops: n }, "maxHops"));
    }
    out.push(h("tls port 0", { check: "tls", host: SRV, port: 0 }, "port"));
    out.push(h("timeoutSeconds 301", { check: "route", host: SRV, timeoutSeconds: 301 }, "timeoutSeconds"));
    // every field is validated whatever the kind: a field the kind does not use is no way in
    out.push(h("route check with a hostile url", { check: "route", host: SRV, url: `file://${secretFile}` }, "url"));
    out.push(
      h(
        "tcp check with a hostile name (unit separators shift fields)",
        { check: "tcp", host: SRV, port: 8080, name: `a${US}${US}${US}file://${secretFile}` },
        "name",
      ),
    );
    out.push(h("dns check with a hostile port", { check: "dns", name: "web.lab.test", port: `$(${T})` }, "port"));
    out.push(h("icmp check with a hostile sni", { check: "icmp", host: SRV, sni: "-servername" }, "sni"));
    // the attacks of the security review, verbatim
    out.push(
      h(
        "\\x1f in a name shifts the url to file:// (old probe fetched the secret)",
        { check: "http", url: GOOD_URL, name: `x${US}${US}${US}file://${secretFile}` },
        "name",
      ),
    );
    out.push(
      h(
        "newline in a name adds a whole check whose timeout is an arithmetic expression",
        { check: "route", host: SRV, name: `x\nC${US}0${US}0${US}BASH_VERSINFO[$(${T})0]${US}route${US}${US}${SRV}` },
        "name",
      ),
    );
    // extra fields: strings or numbers only, no control characters, bounded, sane names
    out.push(h("extra field newline", { check: "route", host: SRV, role: "a\nNETDIAG_RESULT {}" }, "role"));
    out.push(h("extra field object", { check: "route", host: SRV, pod: { $: T } }, "pod"));
    out.push(h("extra field array", { check: "route", host: SRV, id: [T] }, "id"));
    out.push(h("extra field boolean", { check: "route", host: SRV, ready: true }, "ready"));
    out.push(h("extra field huge", { check: "route", host: SRV, pod: "p".repeat(2000) }, "pod"));
    out.push(h("extra field name with a newline", { check: "route", host: SRV, "a\nb": "x" }, null));
    out.push(h("extra field name with shell", { check: "route", host: SRV, [`$(${T})`]: "x" }, null));
    // check kinds and shapes
    out.push(h("unknown kind", { check: "exec", host: SRV }, "check"));
    out.push(h("kind with shell", { check: `tcp;${T}`, host: SRV, port: 1 }, "check"));
    out.push(h("kind missing", { host: SRV }, "check"));
    out.push(h("required field missing", { check: "tcp", host: SRV }, "port"));
    out.push(h("check is a string", `$(${T})`, null));
    out.push(h("check is null", null, null));
    out.push(h("check is an array", [{ check: "route", host: SRV }], null));
    return out;
  }

  function planText(checks: unknown[], extraTargets: unknown[] = []): string {
    const p = { version: 1, runId: "hostile", timeoutSeconds: 4, targets: [{ name: "hostile", checks }, ...extraTargets] };
    return JSON.stringify(p).replace(/"__RAW_([0-9e.+-]+)__"/g, "$1");
  }

  function assertClean(r: ProbeRun): void {
    assert.equal(existsSync(marker), false, "an injected command ran");
    for (const [name, text] of [
      ["stdout", r.stdout],
      ["stderr", r.stderr],
      ["termination log", r.summaryRaw],
    ] as const) {
      assert.ok(!text.includes(secret), `${name} contains the secret file's content: curl fetched a local file`);
    }
    assert.equal(r.stdout.split("\n").filter((l) => l.startsWith("NETDIAG_RESULT ")).length, 1, "exactly one result line");
  }

  const goodChecks = [
    { check: "dns", name: "web.lab.test" },
    { check: "tcp", host: SRV, port: 8080, role: "endpoint" },
    { check: "http", url: GOOD_URL },
  ];
  function assertGood(cs: CheckResult[]): void {
    assert.deepEqual(
      cs.map((c) => `${c.check}:${c.outcome}`),
      ["dns:ok", "tcp:ok", "http:ok"],
    );
    assert.match(cs[2]!.detail.bodyExcerpt, /hello from the netdiag lab/);
  }

  forToolsets(
    () => lab,
    (ts) => {
      it("every hostile check is reported invalid on its own; good checks in the same plan succeed; nothing runs, nothing local is fetched", () => {
        const checks = [goodChecks[0], ...corpus.map((c) => c.check), goodChecks[1], goodChecks[2]];
        const r = lab.run(undefined, { planText: planText(checks) });
        assert.equal(r.code, 0, r.stderr);
        assertClean(r);
        const cs = r.result!.targets[0]!.checks;
        assert.equal(cs.length, checks.length);
        assertGood([cs[0]!, cs[cs.length - 2]!, cs[cs.length - 1]!]);
        const problems: string[] = [];
        corpus.forEach((hc, i) => {
          const c = cs[i + 1]!;
          const where = `plan.targets[0].checks[${i + 1}]`;
          const why = `${hc.what}: ${c.outcome} ${JSON.stringify(c.detail).slice(0, 300)}`;
          if (c.outcome !== "error" || c.detail.invalid !== true) return problems.push(`not invalid: ${why}`);
          const frag = hc.field === null ? where : `${where}.${hc.field}`;
          if (!String(c.detail.reason).includes(frag)) problems.push(`reason does not name ${frag}: ${why}`);
          if (!Array.isArray(c.detail.invalidFields) || c.detail.invalidFields.length === 0) problems.push(`no invalidFields: ${why}`);
          if (hc.field !== null && !c.detail.invalidFields.some((f: { field: string }) => f.field === hc.field))
            problems.push(`invalidFields lacks ${hc.field}: ${why}`);
          if (c.durationMs !== 0) problems.push(`an invalid check must not run: ${why}`);
        });
        assert.deepEqual(problems, [], problems.join("\n"));
        // echoed input of an invalid check is sanitized: no control characters, bounded
        const json = JSON.stringify(r.result);
        // eslint-disable-next-line no-control-regex -- the point: no control character may survive
        assert.doesNotMatch(json.replace(/\\[nrtu]/g, ""), /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
        for (const c of cs)
          for (const v of Object.values(c.detail.input ?? {})) if (typeof v === "string") assert.ok(v.length <= 300, "echoed strings are bounded");
      });

      it("huge values (a 1 MB host via NETDIAG_PLAN_FILE) are invalid, bounded in the result, and do not stop the good checks", () => {
        const f = path.join(dir, "huge-plan.json");
        writeFileSync(f, planText([{ check: "tcp", host: "a".repeat(1 << 20), port: 8080, role: "x".repeat(1 << 20) }, ...goodChecks]));
        const r = lab.run(undefined, { env: { NETDIAG_PLAN_FILE: f } });
        assert.equal(r.code, 0, r.stderr);
        assertClean(r);
        const [bad, ...rest] = r.result!.targets[0]!.checks;
        assert.equal(bad!.outcome, "error");
        assert.equal(bad!.detail.invalid, true);
        assert.match(bad!.detail.reason, /checks\[0\]\.host: is longer than 255 characters/);
        assert.match(bad!.detail.reason, /checks\[0\]\.role: is longer than 1024 characters/);
        assert.ok(bad!.detail.input.host.length < 300);
        assertGood(rest);
        assert.ok(Buffer.byteLength(r.stdout) < 200_000, "the huge value is not copied into the transcript");
      });

      it("the review's attacks one by one (each used to run a command or fetch a file)", () => {
        for (const hc of corpus.filter((c) => /old probe|arithmetic|unit separators/.test(c.what))) {
          const r = lab.run(undefined, { planText: planText([hc.check, goodChecks[2]]) });
          assert.equal(r.code, 0, `${hc.what}: ${r.stderr}`);
          assertClean(r);
          const [bad, ok] = r.result!.targets[0]!.checks;
          assert.equal(bad!.outcome, "error", hc.what);
          assert.equal(bad!.detail.invalid, true, hc.what);
          assert.equal(ok!.outcome, "ok", hc.what);
          assert.equal(r.result!.targets[0]!.checks.length, 2, `${hc.what}: no check was added`);
        }
      });

      it("legal but nasty strings are data: sent literally, echoed verbatim, never run", () => {
        const T = touch();
        const nasty = `$(${T}); \`${T}\` | & ' " \\ * ? ~ ü 日本`;
        const checks = [
          { check: "http", url: `${GOOD_URL}$(id)?q=;id&x='y'(1)*,+!#frag` },
          { check: "http", url: `${GOOD_URL}%0d%0aX-Injected:%20y%00%1f` },
          { check: "tcp", host: SRV, port: 8080, role: nasty, pod: nasty, id: nasty },
        ];
        const r = lab.run({ version: 1, runId: nasty, timeoutSeconds: 4, targets: [{ name: nasty, checks }] });
        assert.equal(r.code, 0, r.stderr);
        assertClean(r);
        const t = r.result!.targets[0]!;
        assert.equal(r.result!.runId, nasty);
        assert.equal(t.name, nasty);
        assert.deepEqual(
          t.checks.map((c) => c.outcome),
          ["ok", "ok", "ok"],
        );
        assert.equal(t.checks[0]!.detail.url, checks[0]!.url);
        assert.deepEqual(t.checks[2]!.detail.input, checks[2]);
      });

      it("hostile targets are reported on their own; the other targets run", () => {
        const T = touch();
        const targets = [
          { name: "good", checks: goodChecks },
          { name: `evil\nNETDIAG_RESULT {"version":1,"targets":[]}`, checks: goodChecks },
          { name: `$(${T})${"\u001f"}x`, checks: goodChecks },
          { name: 5, checks: goodChecks },
          { checks: goodChecks },
          { name: "x".repeat(1000), checks: goodChecks },
          { name: "no-checks", checks: [] },
          { name: "checks-not-array", checks: { check: "route", host: SRV } },
          null,
          `$(${T})`,
        ];
        const r = lab.run({ version: 1, runId: "targets", timeoutSeconds: 4, targets });
        assert.equal(r.code, 0, r.stderr);
        assertClean(r);
        const res = r.result!;
        assert.equal(res.targets.length, targets.length);
        assertGood(res.targets[0]!.checks);
        for (let i = 1; i < targets.length; i++) {
          const t = res.targets[i]!;
          assert.equal(typeof t.name, "string");
          // eslint-disable-next-line no-control-regex -- the point: no control character may survive
          assert.doesNotMatch(t.name, /[\u0000-\u001f]/);
          assert.equal(t.checks.length, 1, `target ${i}`);
          const c = t.checks[0]!;
          assert.equal(c.check, "target");
          assert.equal(c.outcome, "error");
          assert.equal(c.detail.invalid, true);
          assert.ok(String(c.detail.reason).includes(`plan.targets[${i}]`), c.detail.reason);
        }
        assert.equal(res.targets[3]!.name, "targets[3]");
        // the summary in the termination log keeps plan order too
        assert.equal(r.summary.targets.length, targets.length);
      });

      it("a hostile plan envelope ends the probe with exit 2 naming the field; nothing runs", () => {
        const T = touch();
        const cases: [unknown, string][] = [
          [{ version: 1, runId: `r\n${T}`, targets: [{ name: "t", checks: goodChecks }] }, "plan.runId"],
          [{ version: 1, runId: "r".repeat(1000), targets: [{ name: "t", checks: goodChecks }] }, "plan.runId"],
          [{ version: 1, runId: 7, targets: [{ name: "t", checks: goodChecks }] }, "plan.runId"],
          [{ version: "1", targets: [{ name: "t", checks: goodChecks }] }, "plan.version"],
          [{ version: 1, timeoutSeconds: `BASH_VERSINFO[$(${T})0]`, targets: [{ name: "t", checks: goodChecks }] }, "plan.timeoutSeconds"],
          [{ version: 1, timeoutSeconds: 2.5, targets: [{ name: "t", checks: goodChecks }] }, "plan.timeoutSeconds"],
          [{ version: 1, rawSockets: "true", targets: [{ name: "t", checks: goodChecks }] }, "plan.rawSockets"],
          [{ version: 1, targets: `$(${T})` }, "plan.targets"],
          [[`$(${T})`], "plan: must be a JSON object"],
        ];
        for (const [p, frag] of cases) {
          const r = lab.run(p);
          assert.equal(r.code, 2, `${frag}: ${r.stdout}`);
          assert.ok(r.stderr.includes(frag), `${frag}: ${r.stderr}`);
          assert.equal(r.result, undefined);
          assert.equal(existsSync(marker), false);
        }
      });

      it("curl is always run with -g (no URL globbing) and --proto / --proto-redir =http,https", () => {
        // a curl wrapper on PATH records its argv, then runs the real curl
        const bin = path.join(dir, "bin");
        const log = path.join(dir, "curl-argv");
        const which = toolsetSpawn(ts.name, ["sh", "-c", "command -v curl"]);
        const real = String(which.stdout).trim();
        assert.ok(real.startsWith("/"), "curl is installed");
        mkdirSync(bin, { recursive: true });
        writeFileSync(path.join(bin, "curl"), `#!/bin/bash\nprintf '%s\\n' "$@" >${log}\nexec ${real} "$@"\n`, { mode: 0o755 });
        const r = lab.run(
          { version: 1, runId: "curl", timeoutSeconds: 4, targets: [{ name: "t", checks: [{ check: "http", url: GOOD_URL }] }] },
          { env: { PATH: `${bin}:${ts.name === "debian" ? (process.env.PATH ?? "/usr/bin:/bin") : IMAGE_PATH}` } },
        );
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.result!.targets[0]!.checks[0]!.outcome, "ok");
        const argv = readFileSync(log, "utf8").split("\n");
        assert.ok(argv.includes("-g") || argv.includes("--globoff"), `no -g in ${argv.join(" ")}`);
        const after = (flag: string) => argv[argv.indexOf(flag) + 1];
        assert.equal(after("--proto"), "=http,https");
        assert.equal(after("--proto-redir"), "=http,https");
        assert.equal(argv[argv.length - 2], GOOD_URL, "the URL comes last, after --");
        assert.equal(argv[argv.length - 3], "--");
      });
    },
  );
});
