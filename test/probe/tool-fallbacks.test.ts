// The probe on images that lack a tool or have busybox's instead (docs/netshoot-compat.md):
// each fallback the audit named, in the netns lab, on both tool sets. A PATH of symlinks
// (shadowPath) hides commands or, in the alpine-like rootfs, points them at busybox's applet.
// What has no fallback must say tool-missing with detail.tool — never a network verdict.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type CheckResult, forToolsets, Lab, labSkipReason, plan } from "./netns-lab.ts";
import { shadowPath, type Toolset } from "./toolset.ts";

const skip = labSkipReason();
const SRV = "198.18.201.2";

describe("netdiag-probe without some tools (fallbacks, tool-missing)", { skip }, () => {
  let lab: Lab;
  before(() => {
    lab = new Lab();
    lab.up();
  });
  after(() => lab?.down());

  /** Runs CHECKS with a PATH that hides HIDE (and links BUSYBOX names to busybox). */
  function runWith(ts: Toolset, o: { hide?: string[]; busybox?: string[] }, checks: Record<string, unknown>[], timeoutSeconds = 3) {
    const p = shadowPath(ts.name, o);
    try {
      const r = lab.run(plan(checks, timeoutSeconds), { env: { PATH: p.path } });
      assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
      assert.ok(r.result, r.stdout);
      return { checks: r.result.targets[0]!.checks, stdout: r.stdout, wallMs: r.wallMs };
    } finally {
      p.cleanup();
    }
  }
  const outcomes = (cs: CheckResult[]) => cs.map((c) => `${c.check}:${c.outcome}`);

  forToolsets(
    () => lab,
    (ts) => {
      it("without `timeout`: the probe's own (bash) timeout still bounds every check", () => {
        const r = runWith(ts, { hide: ["timeout"] }, [
          { check: "tcp", host: SRV, port: 8080 },
          { check: "tcp", host: SRV, port: 7001, timeoutSeconds: 1 },
          { check: "dns", name: "web.lab.test" },
          { check: "http", url: `http://${SRV}:8080/` },
          { check: "tls", host: SRV, port: 8443, sni: "tls.lab.test", caFile: lab.caFile },
        ]);
        assert.deepEqual(outcomes(r.checks), ["tcp:ok", "tcp:timeout", "dns:ok", "http:ok", "tls:ok"], JSON.stringify(r.checks, null, 1));
        assert.equal(r.checks[1]!.detail.hardTimeout, undefined, "the check's own timeout fired, not the hard one");
        assert.ok(r.wallMs < 5000, `took ${r.wallMs} ms`);
      });

      it("without getent: the system resolver is asked through nslookup (dns check and host names)", () => {
        const r = runWith(ts, { hide: ["getent"] }, [
          { check: "dns", name: "web.lab.test" },
          { check: "tcp", host: "web.lab.test", port: 8080 },
          { check: "dns", name: "nope.lab.test" },
          { check: "tcp", host: "nope.lab.test", port: 8080 },
        ]);
        assert.deepEqual(outcomes(r.checks), ["dns:ok", "tcp:ok", "dns:nxdomain", "tcp:nxdomain"], JSON.stringify(r.checks, null, 1));
        assert.equal(r.checks[0]!.detail.systemResolver.tool, "nslookup");
        assert.deepEqual(r.checks[0]!.detail.systemResolver.addresses, [SRV]);
        assert.equal(r.checks[1]!.detail.ip, SRV);
        assert.equal(r.checks[3]!.detail.resolveFailed, true);
      });

      it("without getent and nslookup: a host name is tool-missing (tool getent), not nxdomain; dig still answers the dns check", () => {
        const r = runWith(ts, { hide: ["getent", "nslookup"] }, [
          { check: "tcp", host: "web.lab.test", port: 8080 },
          { check: "tcp", host: SRV, port: 8080 },
          { check: "dns", name: "web.lab.test" },
        ]);
        assert.deepEqual(outcomes(r.checks), ["tcp:tool-missing", "tcp:ok", "dns:ok"], JSON.stringify(r.checks, null, 1));
        assert.equal(r.checks[0]!.detail.tool, "getent");
        assert.match(r.checks[0]!.detail.reason, /neither getent nor nslookup/);
        assert.equal(r.checks[2]!.detail.systemResolver.tool, "none");
        assert.equal(r.checks[2]!.detail.perServer[0].outcome, "ok");
      });

      it("without dig: the system resolver answers; a failure it cannot classify is tool-missing (tool dig)", () => {
        const r = runWith(ts, { hide: ["dig"] }, [
          { check: "dns", name: "web.lab.test" },
          { check: "dns", name: "nope.lab.test" },
        ]);
        assert.deepEqual(outcomes(r.checks), ["dns:ok", "dns:tool-missing"], JSON.stringify(r.checks, null, 1));
        assert.equal(r.checks[1]!.detail.tool, "dig");
      });

      it("without ip: route and mtu are tool-missing (tool ip), never no-route; a prohibited connect stays unreachable", () => {
        const r = runWith(ts, { hide: ["ip"] }, [
          { check: "route", host: SRV },
          { check: "mtu", host: SRV },
          { check: "tcp", host: SRV, port: 7004 },
          { check: "tcp", host: SRV, port: 8080 },
        ]);
        assert.deepEqual(outcomes(r.checks), ["route:tool-missing", "mtu:tool-missing", "tcp:unreachable", "tcp:ok"], JSON.stringify(r.checks, null, 1));
        assert.equal(r.checks[0]!.detail.tool, "ip");
        assert.equal(r.checks[1]!.detail.tool, "ip");
      });

      it("without curl, openssl, ping, tracepath and traceroute: each check says tool-missing and names the tool", () => {
        const r = runWith(ts, { hide: ["curl", "openssl", "ping", "tracepath", "traceroute"] }, [
          { check: "http", url: `http://${SRV}:8080/` },
          { check: "tls", host: SRV, port: 8443 },
          { check: "icmp", host: SRV },
          { check: "mtu", host: SRV },
          { check: "trace", host: SRV },
          { check: "tcp", host: SRV, port: 8080 },
        ]);
        assert.deepEqual(
          outcomes(r.checks),
          ["http:tool-missing", "tls:tool-missing", "icmp:tool-missing", "mtu:tool-missing", "trace:tool-missing", "tcp:ok"],
          JSON.stringify(r.checks, null, 1),
        );
        assert.deepEqual(
          r.checks.slice(0, 5).map((c) => c.detail.tool),
          ["curl", "openssl", "ping", "ping", "tracepath"],
        );
      });

      it("without tracepath: traceroute's UDP method as root; unprivileged busybox traceroute needs a raw socket: not-permitted", () => {
        const p = shadowPath(ts.name, { hide: ["tracepath"] });
        try {
          const root = lab.run(plan([{ check: "trace", host: SRV }]), { env: { PATH: p.path } });
          const c = root.result!.targets[0]!.checks[0]!;
          assert.equal(c.outcome, "ok", JSON.stringify(c));
          assert.equal(c.detail.tool, "traceroute");
          assert.equal(c.detail.lastHop, SRV);
          lab.setPingGroupRange("0 2147483647");
          const unpriv = lab.run(plan([{ check: "trace", host: SRV }]), { env: { PATH: p.path }, unprivileged: true });
          const u = unpriv.result!.targets[0]!.checks[0]!;
          // Debian's traceroute sends UDP without privilege; busybox's opens a raw socket
          assert.equal(u.outcome, ts.name === "debian" ? "ok" : "not-permitted", JSON.stringify(u));
        } finally {
          p.cleanup();
        }
      });

      if (ts.name === "alpine-like") {
        it("busybox ping (no iputils): icmp works and tells loss from filtering; mtu is tool-missing (no -M do)", () => {
          const r = runWith(ts, { busybox: ["ping"] }, [
            { check: "icmp", host: SRV },
            { check: "icmp", host: "198.18.201.3", timeoutSeconds: 2 },
            { check: "mtu", host: "198.18.202.2" },
          ]);
          assert.deepEqual(outcomes(r.checks), ["icmp:ok", "icmp:timeout", "mtu:tool-missing"], JSON.stringify(r.checks, null, 1));
          assert.equal(r.checks[0]!.detail.received, 2);
          assert.equal(typeof r.checks[0]!.detail.rttAvgMs, "number");
          assert.match(r.checks[1]!.detail.note, /ICMP may be filtered/);
          assert.equal(r.checks[2]!.detail.tool, "ping");
          assert.match(r.checks[2]!.detail.reason, /-M do/);
        });

        it("busybox ip (no iproute2): route, no-route, path MTU and the run context", () => {
          const p = shadowPath(ts.name, { busybox: ["ip"] });
          try {
            const r = lab.run(
              plan([
                { check: "route", host: SRV },
                { check: "route", host: "198.18.240.5" },
                { check: "mtu", host: "198.18.202.2" },
                { check: "tcp", host: "198.18.240.5", port: 80 },
              ]),
              { env: { PATH: p.path } },
            );
            const cs = r.result!.targets[0]!.checks;
            assert.deepEqual(outcomes(cs), ["route:ok", "route:no-route", "mtu:mtu-exceeded", "tcp:no-route"], JSON.stringify(cs, null, 1));
            assert.equal(cs[0]!.detail.dev, "c0");
            assert.equal(cs[0]!.detail.via, "198.18.200.1");
            assert.equal(cs[0]!.detail.src, "198.18.200.2");
            assert.equal(cs[2]!.detail.pathMtu, 1400);
            const c0 = r.result!.context.interfaces.find((i: { name: string }) => i.name === "c0");
            assert.equal(c0.mtu, 1500);
            assert.ok(c0.addresses.includes("198.18.200.2/24"));
            assert.equal(r.result!.podIP, "198.18.200.2");
            assert.ok(r.result!.context.routes.some((l: string) => l.startsWith("default via 198.18.200.1")));
          } finally {
            p.cleanup();
          }
        });

        it("busybox nslookup (no getent, no bind nslookup): answers and NXDOMAIN", () => {
          const r = runWith(ts, { hide: ["getent"], busybox: ["nslookup"] }, [
            { check: "dns", name: "web.lab.test" },
            { check: "tcp", host: "web.lab.test", port: 8080 },
            { check: "dns", name: "nope.lab.test" },
          ]);
          assert.deepEqual(outcomes(r.checks), ["dns:ok", "tcp:ok", "dns:nxdomain"], JSON.stringify(r.checks, null, 1));
          assert.equal(r.checks[0]!.detail.systemResolver.tool, "nslookup");
          assert.deepEqual(r.checks[0]!.detail.systemResolver.addresses, [SRV]);
        });
      }
    },
  );
});
