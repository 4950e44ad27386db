/**
 * `kubectl netdiag` as users run it, on the level-2 lab (real nodes, the operator
 * in-cluster; scripts/e2e ran the scenarios before): the demo's broken Day-14 app
 * (examples/day14) diagnosed with `kubectl netdiag run` — kubectl itself finding
 * bin/kubectl-netdiag on PATH — inside a real terminal (tmux, 160x50): the progress frame
 * is redrawn in place while the probe runs and is gone at the end, where the screen shows
 * the report root cause first and the exit code is 1. Then without a TTY: `report` as
 * plain text and as JSON, a run after the fix as plain lines with exit 0, a bad reference
 * with exit 2. Runs before helm.test.ts (which uninstalls the operator).
 *
 * The last TTY screen is kept in .lab/cli-tty-screen.txt, the frames seen during the run
 * in .lab/cli-tty-progress.txt.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { kubectlBinary } from "../../src/dev/scenario/kubectl.ts";
import { adminKubeconfig, kubectl, labDir, labMissing, repoRoot, sleep } from "../integration/harness.ts";

const operatorUp = () =>
  /Running/.test(
    kubectl(["-n", "netdiag-system", "get", "pods", "-l", "app.kubernetes.io/name=netdiag", "-o", "jsonpath={.items[*].status.phase}"], { allowFail: true }),
  );
const skip =
  labMissing() ||
  (kubectl(["get", "nodes", "-o", "name"], { allowFail: true }).includes("node/") ? false : "the lab has no node: run scripts/e2e") ||
  (operatorUp() ? false : "no operator runs in netdiag-system: run scripts/e2e");
const NS = "broken-net";
const SOCK = `netdiag-cli-tty-${process.pid}`;
const env = { ...process.env, KUBECONFIG: adminKubeconfig, PATH: `${join(repoRoot, "bin")}:${dirname(kubectlBinary())}:${process.env.PATH ?? ""}` };

/** tmux on our own server socket; installed from Debian when the machine lacks it. */
function tmux(args: string[]): string {
  return execFileSync("tmux", ["-L", SOCK, ...args], { encoding: "utf8", env });
}
function ensureTmux(): void {
  if (spawnSync("tmux", ["-V"]).status === 0) return;
  execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore" });
  execFileSync("apt-get", ["install", "-y", "-qq", "tmux"], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}
const screen = () => tmux(["capture-pane", "-p", "-t", "cli"]);
const history = () => tmux(["capture-pane", "-p", "-S", "-", "-t", "cli"]);

/** `kubectl netdiag ...` without a terminal: stdout is a pipe. */
function plugin(args: string[]) {
  return spawnSync("kubectl", ["netdiag", ...args], { encoding: "utf8", env, timeout: 240_000 });
}

function deployApp(file: string): void {
  kubectl(["apply", "-f", join(repoRoot, "examples/day14", file)]);
  // rollout status, not `wait pod -l app=frontend`: a probe pod wears the client's labels and is never Ready
  for (const d of ["frontend", "backend"]) kubectl(["-n", NS, "rollout", "status", `deploy/${d}`, "--timeout=120s"]);
}

const FRAME = /^[-\\|/] broken-net\/tty-run {2}/;

describe("kubectl netdiag on the lab", { skip, timeout: 420_000 }, () => {
  before(() => {
    ensureTmux();
    execFileSync(join(repoRoot, "bin/netdiag"), ["help"], { env, stdio: "ignore" }); // builds dist/ when stale, outside the timed terminal
    kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=true", "--timeout=120s"]);
    deployApp("broken.yaml");
    tmux(["new-session", "-d", "-x", "160", "-y", "50", "-s", "cli", "-c", repoRoot, "env PS1='$ ' bash --norc --noprofile"]);
  });
  after(() => {
    spawnSync("tmux", ["-L", SOCK, "kill-server"]);
    kubectl(["delete", "namespace", NS, "--wait=false"], { allowFail: true });
  });

  it("run in a terminal: progress redrawn in place, then the demo's report, root cause first, exit 1", async () => {
    tmux(["send-keys", "-t", "cli", "kubectl netdiag run -n broken-net --from deploy/frontend --to svc/backend:80 --name tty-run; echo EXIT=$?", "Enter"]);
    const frames: string[][] = [];
    const end = Date.now() + 200_000;
    let last = "";
    while (!/^EXIT=\d+$/m.test(last)) {
      assert.ok(Date.now() < end, `no exit after 200 s; the screen:\n${last}`);
      last = screen();
      const lines = last.split("\n");
      const at = lines.findIndex((l) => FRAME.test(l));
      if (at >= 0) frames.push(lines.slice(at));
      await sleep(150);
    }
    writeFileSync(join(labDir, "cli-tty-screen.txt"), last);
    writeFileSync(join(labDir, "cli-tty-progress.txt"), frames.map((f) => f.join("\n").trimEnd()).join("\n---\n"));

    // live: the frame showed the probe pod and its layers, and changed in place (one frame on screen at a time)
    assert.ok(frames.length >= 3, `saw the progress frame ${frames.length} times`);
    assert.ok(
      frames.some((f) => f.some((l) => /\[(\.\.\.\.|done)\] probe tty-run-\w+-0 on lab-node(-2)?: /.test(l))),
      frames.map((f) => f.join("\n")).join("\n--\n"),
    );
    assert.ok(frames.some((f) => f.some((l) => /^ +backend {2}DNS /.test(l))));
    assert.ok(new Set(frames.map((f) => f[0])).size >= 2, "the frame's first line changed between captures (spinner, elapsed time)");
    for (const f of frames) assert.equal(f.filter((l) => FRAME.test(l)).length, 1, "one frame, redrawn, never appended");
    // the end: the frame is cleared from the screen and the scrollback; the report follows the command
    assert.equal(
      history()
        .split("\n")
        .filter((l) => FRAME.test(l) || /\[\.\.\.\.\] probe /.test(l)).length,
      0,
      history(),
    );
    const lines = last.split("\n").filter((l) => l.trim() !== "");
    const created = lines.findIndex((l) => l === "networkdiagnosis broken-net/tty-run created");
    assert.ok(created >= 0, last);
    assert.match(lines[created + 1] ?? "", /^ROOT CAUSE {2}ServiceSelectorMatchesNoPods \(Objects, target backend\)$/, last);
    assert.match(lines[created + 2] ?? "", /^WHY {9}.*app=api/, last);
    assert.match(last, /NetworkDiagnosis broken-net\/tty-run: Healthy=False/);
    assert.match(last, /\[Critical\] DNSEgressBlocked/);
    assert.match(last, /^EXIT=1$/m);
  });

  it("report without a terminal: plain text, root cause first, and -o json that parses", () => {
    const r = plugin(["report", "tty-run", "-n", NS]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^ROOT CAUSE {2}ServiceSelectorMatchesNoPods/);
    assert.ok(!r.stdout.includes("\u001b"), "no escape sequences in a pipe");
    const j = plugin(["report", "tty-run", "-n", NS, "-o", "json"]);
    assert.equal(j.status, 1, j.stderr);
    const doc = JSON.parse(j.stdout) as { healthy: boolean | null; rootCause?: { code: string }; findings: { code: string }[] };
    assert.equal(doc.healthy, false);
    assert.equal(doc.rootCause?.code, "ServiceSelectorMatchesNoPods");
    assert.ok(doc.findings.some((f) => f.code === "DNSEgressBlocked"));
  });

  it("run without a terminal after the fix: plain lines, each once, the report, exit 0", () => {
    deployApp("fixed.yaml");
    const r = plugin(["run", "-n", NS, "--from", "deploy/frontend", "--to", "svc/backend:80", "--name", "plain-run"]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.ok(!r.stdout.includes("\u001b"), "no escape sequences in a pipe");
    assert.match(r.stdout, /^ {2}\d\d:\d\d:\d\d {2}run \w+ started \(create\)$/m);
    const done = r.stdout.split("\n").filter((l) => /^ {2}\d\d:\d\d:\d\d {2}probe plain-run-\w+-0 on \S+: Done in [\d.]+s — backend: DNS ok/.test(l));
    assert.equal(done.length, 1, r.stdout);
    assert.match(r.stdout, /\n\nHEALTHY {5}/);
    assert.match(r.stdout, /NetworkDiagnosis broken-net\/plain-run: Healthy=True/);
  });

  it("exits 2 on a bad reference, saying what to write", () => {
    const r = plugin(["run", "-n", NS, "--to", "svc/backend"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^kubectl netdiag run: --to svc\/backend: give the Service port/);
  });
});
