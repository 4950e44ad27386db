// The probe as Pod Security `restricted` runs it: uid/gid 65532, no capabilities at all,
// no_new_privs, inline (`bash -c`), writing only to its TMPDIR. Ping and path MTU go
// through unprivileged ICMP datagram sockets (net.ipv4.ping_group_range, per network
// namespace, set here in the lab's client namespace as the pod's safe sysctl would), trace
// through tracepath (UDP). When ICMP sockets are not permitted the check says so
// (`not-permitted`), never "ICMP blocked" or another network verdict.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type CheckResult, forToolsets, Lab, labSkipReason, plan, PROBE_UID } from "./netns-lab.ts";
import { hostPathOf } from "./toolset.ts";

const skip = labSkipReason();
const SRV = "198.18.201.2";

describe("netdiag-probe unprivileged (uid 65532, no capabilities)", { skip }, () => {
  let lab: Lab;
  let pub: string; // world-readable copy of the lab CA (the lab dir is root-only)
  let ca: string;
  before(() => {
    lab = new Lab();
    lab.up();
    lab.setPingGroupRange("0 2147483647");
    pub = mkdtempSync(path.join(tmpdir(), "ndp-pub-"));
    chmodSync(pub, 0o755);
    ca = path.join(pub, "ca.crt");
    copyFileSync(lab.caFile, ca);
    chmodSync(ca, 0o644);
  });
  after(() => {
    lab?.down();
    if (pub) rmSync(pub, { recursive: true, force: true });
  });

  forToolsets(
    () => lab,
    (ts) => {
      let lastStdout = "";
      function runAll(checks: Record<string, unknown>[], timeoutSeconds = 4, extra: Record<string, unknown> = {}): CheckResult[] {
        const p = { ...(plan(checks, timeoutSeconds) as object), ...extra };
        const r = lab.run(p, { unprivileged: true });
        lastStdout = r.stdout;
        assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
        assert.ok(r.result, r.stdout);
        return r.result.targets[0]!.checks;
      }

      it("runs every check kind as uid 65532 without capabilities", () => {
        const cs = runAll([
          { check: "dns", name: "web.lab.test" },
          { check: "route", host: SRV },
          { check: "icmp", host: SRV },
          { check: "trace", host: SRV },
          { check: "tcp", host: SRV, port: 8080, role: "endpoint" },
          { check: "http", url: `http://${SRV}:8080/` },
          { check: "tls", host: SRV, port: 8443, sni: "tls.lab.test", caFile: ca },
          { check: "mtu", host: "198.18.202.2" },
          { check: "mtu", host: SRV },
        ]);
        const outcomes = cs.map((c) => `${c.check}:${c.outcome}`);
        assert.deepEqual(
          outcomes,
          ["dns:ok", "route:ok", "icmp:ok", "trace:ok", "tcp:ok", "http:ok", "tls:ok", "mtu:mtu-exceeded", "mtu:ok"],
          JSON.stringify(cs, null, 1),
        );
        const [, , icmp, trace, , http, , mtu1400, mtu1500] = cs;
        assert.ok(icmp!.detail.received > 0);
        assert.equal(trace!.detail.tool, "tracepath", "no raw-socket tool without the admin's opt-in");
        assert.equal(trace!.detail.lastHop, SRV);
        assert.match(http!.detail.bodyExcerpt, /hello from the netdiag lab/);
        assert.equal(mtu1400!.detail.pathMtu, 1400);
        assert.equal(mtu1400!.detail.interfaceMtu, 1500);
        assert.equal(mtu1500!.detail.pathMtu, 1500);
        // Debian installs ping with cap_net_raw=ep: without the capability in the bounding set
        // exec itself is refused, so the probe runs a capability-free copy
        const ping = spawnSync("getcap", [hostPathOf(ts.name, "ping")], { encoding: "utf8" });
        if (/cap_net_raw/.test(ping.stdout)) assert.match(lastStdout, /ping.* carry file capabilities .* running capability-free copies/);
      });

      it("really runs as uid/gid 65532 without CAP_NET_RAW: with ping_group_range closed, ping cannot fall back to a raw socket", () => {
        // ping_group_range closed: with no capability the raw-socket fallback must fail too
        lab.setPingGroupRange("1 0");
        try {
          const r = lab.run(plan([{ check: "icmp", host: SRV }]), { unprivileged: true });
          const c = r.result!.targets[0]!.checks[0]!;
          assert.equal(c.outcome, "not-permitted");
          assert.equal(c.detail.uid, PROBE_UID);
          assert.equal(c.detail.gid, PROBE_UID);
        } finally {
          lab.setPingGroupRange("0 2147483647");
        }
      });

      it("ICMP sockets not permitted -> not-permitted with a clear reason, never a network verdict; TCP still runs", () => {
        lab.setPingGroupRange("1 0");
        try {
          const cs = runAll([
            { check: "icmp", host: SRV },
            { check: "mtu", host: "198.18.202.2" },
            { check: "icmp", host: "198.18.201.3" }, // would be a "filtered" timeout if it could run
            { check: "tcp", host: SRV, port: 8080, role: "endpoint" },
            { check: "trace", host: SRV },
          ]);
          assert.deepEqual(
            cs.map((c) => c.outcome),
            ["not-permitted", "not-permitted", "not-permitted", "ok", "ok"],
            JSON.stringify(cs, null, 1),
          );
          for (const c of cs.slice(0, 3)) {
            assert.equal(c.detail.notPermitted, true);
            assert.equal(c.detail.pingGroupRange, "1 0");
            assert.match(c.detail.reason, /may not open ICMP sockets/);
            assert.match(c.detail.reason, /ping_group_range/);
            assert.match(c.detail.reason, /says nothing about the network/);
            assert.equal(c.detail.note, undefined, "no 'ICMP may be filtered' note");
          }
        } finally {
          lab.setPingGroupRange("0 2147483647");
        }
      });

      it("trace: raw-socket tools only when the plan opts in (rawSockets: true, run as root)", () => {
        const dflt = lab.run(plan([{ check: "trace", host: SRV }]));
        assert.equal(dflt.result!.targets[0]!.checks[0]!.detail.tool, "tracepath");
        const raw = lab.run({ ...(plan([{ check: "trace", host: SRV }]) as object), rawSockets: true });
        const c = raw.result!.targets[0]!.checks[0]!;
        assert.equal(c.outcome, "ok");
        assert.equal(c.detail.tool, "traceroute");
        assert.equal(c.detail.lastHop, SRV);
      });

      it("plan.rawSockets must be a boolean", () => {
        const r = lab.run({ ...(plan([{ check: "route", host: SRV }]) as object), rawSockets: "yes" });
        assert.equal(r.code, 2);
        assert.match(r.stderr, /plan\.rawSockets: must be a boolean/);
      });

      it("a local firewall refusing the echo (sendmsg EPERM) is unreachable, not not-permitted", () => {
        lab.clientExec("iptables", "-I", "OUTPUT", "-p", "icmp", "--icmp-type", "echo-request", "-j", "REJECT");
        try {
          const cs = runAll([{ check: "icmp", host: SRV }], 2);
          assert.equal(cs[0]!.outcome, "unreachable", JSON.stringify(cs[0]));
          assert.match(cs[0]!.detail.note, /local firewall/);
        } finally {
          lab.clientExec("iptables", "-D", "OUTPUT", "-p", "icmp", "--icmp-type", "echo-request", "-j", "REJECT");
        }
      });
    },
  );
});
