// The probe against real faults in a network-namespace lab (see netns-lab.sh for the topology).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEFAULT_RESOLV, forToolsets, Lab, labSkipReason, one, plan } from "./netns-lab.ts";

const skip = labSkipReason();
const SRV = "198.18.201.2";

describe("netdiag-probe in the netns lab", { skip }, () => {
  let lab: Lab;
  before(() => {
    lab = new Lab();
    lab.up();
  });
  after(() => lab?.down());

  forToolsets(
    () => lab,
    () => {
      describe("dns", () => {
        it("resolves a name via the system resolver and each nameserver", () => {
          const c = one(lab, { check: "dns", name: "web.lab.test" });
          assert.equal(c.outcome, "ok");
          assert.deepEqual(c.detail.addresses, [SRV]);
          assert.equal(typeof c.detail.queryTimeMs, "number");
          assert.equal(c.detail.systemResolver.outcome, "ok");
          assert.equal(c.detail.perServer.length, 1);
          assert.equal(c.detail.perServer[0].server, SRV);
          assert.equal(c.detail.perServer[0].outcome, "ok");
          assert.equal(c.detail.perServer[0].rcode, "NOERROR");
        });
        it("applies the search list to a short name (ndots)", () => {
          const c = one(lab, { check: "dns", name: "web" });
          assert.equal(c.outcome, "ok");
          assert.equal(c.detail.searchApplied, true);
          assert.deepEqual(c.detail.perServer[0].addresses, [SRV]);
          assert.equal(c.detail.perServer[0].queriedName, "web.lab.test.");
        });
        it("does not apply the search list to an absolute name", () => {
          const c = one(lab, { check: "dns", name: "web." });
          assert.notEqual(c.outcome, "ok");
          assert.equal(c.detail.searchApplied, false);
          assert.equal(c.detail.perServer[0].queriedName, "web.");
        });
        it("reports NXDOMAIN", () => {
          const c = one(lab, { check: "dns", name: "nope.lab.test" });
          assert.equal(c.outcome, "nxdomain");
          assert.equal(c.detail.perServer[0].rcode, "NXDOMAIN");
        });
        it("reports SERVFAIL (upstream failure)", () => {
          const c = one(lab, { check: "dns", name: "x.broken.test" });
          assert.equal(c.outcome, "servfail");
          assert.equal(c.detail.perServer[0].rcode, "SERVFAIL");
        });
        it("reports dns-timeout when the nameserver does not answer", () => {
          lab.setResolvConf("nameserver 198.18.201.53\noptions ndots:1 timeout:1 attempts:1\n");
          try {
            const c = one(lab, { check: "dns", name: "web.lab.test" }, 2);
            assert.equal(c.outcome, "dns-timeout");
            assert.equal(c.detail.perServer[0].server, "198.18.201.53");
            assert.equal(c.detail.perServer[0].outcome, "dns-timeout");
          } finally {
            lab.setResolvConf(DEFAULT_RESOLV);
          }
        });
        it("tells a dead nameserver from a good one, per server", () => {
          lab.setResolvConf(`nameserver 198.18.201.53\nnameserver ${SRV}\noptions ndots:1 timeout:1 attempts:1\n`);
          try {
            const c = one(lab, { check: "dns", name: "web.lab.test" }, 2);
            assert.equal(c.outcome, "ok");
            assert.deepEqual(
              c.detail.perServer.map((p: { server: string; outcome: string }) => [p.server, p.outcome]),
              [
                ["198.18.201.53", "dns-timeout"],
                [SRV, "ok"],
              ],
            );
          } finally {
            lab.setResolvConf(DEFAULT_RESOLV);
          }
        });
      });

      describe("route / icmp / trace", () => {
        it("route: dev, src, via", () => {
          const c = one(lab, { check: "route", host: SRV });
          assert.equal(c.outcome, "ok");
          assert.equal(c.detail.dev, "c0");
          assert.equal(c.detail.src, "198.18.200.2");
          assert.equal(c.detail.via, "198.18.200.1");
        });
        it("route: no-route", () => {
          assert.equal(one(lab, { check: "route", host: "198.18.240.5" }).outcome, "no-route");
        });
        it("icmp: echo answered", () => {
          const c = one(lab, { check: "icmp", host: SRV });
          assert.equal(c.outcome, "ok");
          assert.ok(c.detail.received > 0);
        });
        it("icmp: echo dropped -> timeout with the filtered note", () => {
          const c = one(lab, { check: "icmp", host: "198.18.201.3" }, 2);
          assert.equal(c.outcome, "timeout");
          assert.match(c.detail.note, /ICMP may be filtered; not proof the path is down/);
        });
        it("trace: hops and last hop", () => {
          const c = one(lab, { check: "trace", host: SRV });
          assert.equal(c.outcome, "ok");
          assert.equal(c.detail.reached, true);
          assert.equal(c.detail.lastHop, SRV);
          assert.deepEqual(
            c.detail.hops.map((h: { addr: string }) => h.addr),
            ["198.18.200.1", SRV],
          );
        });
      });

      describe("tcp", () => {
        const cases: [string, string, number, string][] = [
          ["listener", SRV, 8080, "ok"],
          ["no listener (RST)", SRV, 7000, "refused"],
          ["iptables DROP", SRV, 7001, "timeout"],
          ["REJECT tcp-reset", SRV, 7002, "refused"],
          ["REJECT icmp-port-unreachable", SRV, 7003, "refused"],
          ["REJECT icmp-host-prohibited", SRV, 7004, "unreachable"],
          ["REJECT icmp-admin-prohibited", SRV, 7005, "unreachable"],
          ["app bound to 127.0.0.1 only", SRV, 9090, "refused"],
          ["no route", "198.18.240.5", 80, "no-route"],
        ];
        for (const [what, host, port, outcome] of cases) {
          it(`${what} -> ${outcome}`, () => {
            const c = one(lab, { check: "tcp", host, port, role: "endpoint", pod: "backend-abc" });
            assert.equal(c.outcome, outcome);
            assert.equal(c.detail.port, port);
            assert.deepEqual(c.detail.input, { check: "tcp", host, port, role: "endpoint", pod: "backend-abc" });
            if (outcome === "ok") assert.equal(typeof c.detail.connectMs, "number");
            else assert.equal(c.detail.connectMs, null);
          });
        }
        it("a host name that does not resolve -> nxdomain, resolveFailed", () => {
          const c = one(lab, { check: "tcp", host: "nope.lab.test", port: 80 });
          assert.equal(c.outcome, "nxdomain");
          assert.equal(c.detail.resolveFailed, true);
        });
      });

      describe("http", () => {
        it("200 with timings, Host header and body excerpt", () => {
          const c = one(lab, { check: "http", url: `http://${SRV}:8080/`, host: "backend" });
          assert.equal(c.outcome, "ok");
          assert.equal(c.detail.status, 200);
          assert.match(c.detail.bodyExcerpt, /hello from the netdiag lab \(host backend\)/);
          for (const k of ["dns", "connect", "tls", "firstByte", "total"]) {
            assert.equal(typeof c.detail.timings[k], "number", k);
          }
        });
        it("503 -> http-status with detail.status", () => {
          const c = one(lab, { check: "http", url: `http://${SRV}:8081/` });
          assert.equal(c.outcome, "http-status");
          assert.equal(c.detail.status, 503);
        });
        it("bounds the body excerpt to 256 printable bytes", () => {
          const c = one(lab, { check: "http", url: "http://web.lab.test:8080/big" });
          assert.equal(c.outcome, "ok");
          assert.equal(c.detail.bodyBytes, 8192);
          assert.ok(c.detail.bodyExcerpt.length <= 256);
          assert.match(c.detail.bodyExcerpt, /^[\x20-\x7e]*$/);
        });
        it("refused and timeout are told apart", () => {
          assert.equal(one(lab, { check: "http", url: `http://${SRV}:7000/` }).outcome, "refused");
          const t = one(lab, { check: "http", url: `http://${SRV}:7001/` }, 2);
          assert.equal(t.outcome, "timeout");
          assert.equal(t.detail.status, 0);
        });
        it("https with the lab CA", () => {
          const c = one(lab, { check: "http", url: "https://tls.lab.test:8443/", caFile: lab.caFile });
          assert.equal(c.outcome, "ok");
          assert.equal(c.detail.status, 200);
          assert.ok(c.detail.timings.tls > 0);
        });
      });

      describe("tls", () => {
        it("good certificate", () => {
          const c = one(lab, { check: "tls", host: SRV, port: 8443, sni: "tls.lab.test", caFile: lab.caFile });
          assert.equal(c.outcome, "ok");
          assert.equal(c.detail.nameMatch, true);
          assert.equal(c.detail.trusted, true);
          assert.ok(c.detail.daysLeft >= 1);
          assert.match(c.detail.protocol, /^TLSv1\.[23]$/);
          assert.ok(c.detail.cipher);
          assert.deepEqual(c.detail.problems, []);
        });
        it("IP SAN matches when no SNI is given", () => {
          const c = one(lab, { check: "tls", host: SRV, port: 8443, caFile: lab.caFile });
          assert.equal(c.outcome, "ok");
          assert.equal(c.detail.checkedName, SRV);
        });
        it("expired", () => {
          const c = one(lab, { check: "tls", host: SRV, port: 8444, sni: "tls.lab.test", caFile: lab.caFile });
          assert.equal(c.outcome, "tls-expired");
          assert.ok(c.detail.daysLeft < 0);
          assert.match(c.detail.notAfter, /^2020-02-01/);
        });
        it("wrong name", () => {
          const c = one(lab, { check: "tls", host: SRV, port: 8445, sni: "tls.lab.test", caFile: lab.caFile });
          assert.equal(c.outcome, "tls-name-mismatch");
          assert.equal(c.detail.nameMatch, false);
        });
        it("untrusted issuer (no CA given)", () => {
          const c = one(lab, { check: "tls", host: "tls.lab.test", port: 8443 });
          assert.equal(c.outcome, "tls-untrusted");
          assert.equal(c.detail.nameMatch, true);
          assert.equal(c.detail.trusted, false);
        });
        it("several problems: expired first, all listed", () => {
          const c = one(lab, { check: "tls", host: SRV, port: 8444, sni: "wrong.lab.test" });
          assert.equal(c.outcome, "tls-expired");
          assert.deepEqual(c.detail.problems, ["expired", "name-mismatch", "untrusted"]);
        });
        it("refused before any handshake is a network outcome", () => {
          assert.equal(one(lab, { check: "tls", host: SRV, port: 7000 }).outcome, "refused");
        });
        it("a plain-HTTP port -> tls-error", () => {
          assert.equal(one(lab, { check: "tls", host: SRV, port: 8080 }).outcome, "tls-error");
        });
      });

      describe("mtu", () => {
        it("path MTU 1400 behind the router < interface MTU 1500 -> mtu-exceeded", () => {
          const c = one(lab, { check: "mtu", host: "198.18.202.2" });
          assert.equal(c.outcome, "mtu-exceeded");
          assert.equal(c.detail.pathMtu, 1400);
          assert.equal(c.detail.interfaceMtu, 1500);
        });
        it("full-size path -> ok", () => {
          const c = one(lab, { check: "mtu", host: SRV });
          assert.equal(c.outcome, "ok");
          assert.equal(c.detail.pathMtu, 1500);
        });
      });

      describe("run-level contract", () => {
        it("context, result line, transcript and termination summary", () => {
          const r = lab.run(
            plan([
              { check: "dns", name: "web.lab.test" },
              { check: "tcp", host: SRV, port: 8080 },
              { check: "http", url: `http://${SRV}:8080/` },
            ]),
          );
          assert.equal(r.code, 0);
          const res = r.result!;
          assert.equal(res.version, 1);
          assert.equal(res.runId, "test");
          assert.equal(res.node, "lab-node");
          assert.equal(res.podIP, "198.18.200.2");
          assert.match(res.startedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          assert.deepEqual(res.context.resolvConf, {
            nameservers: [SRV],
            search: ["shop.lab.test", "lab.test"],
            ndots: 5,
          });
          const c0 = res.context.interfaces.find((i: { name: string }) => i.name === "c0");
          assert.equal(c0.mtu, 1500);
          assert.ok(c0.addresses.includes("198.18.200.2/24"));
          assert.ok(res.context.routes.some((l: string) => l.startsWith("default via 198.18.200.1")));
          assert.deepEqual(
            res.targets[0]!.checks.map((c) => c.outcome),
            ["ok", "ok", "ok"],
          );
          assert.match(r.stdout, /=== verdicts/);
          assert.match(r.stdout, /\[tcp\] 198\.18\.201\.2:8080/);
          assert.ok(Buffer.byteLength(r.summaryRaw) < 4096);
          assert.equal(r.summary.truncated, false);
          assert.deepEqual(r.summary.targets, res.targets);
        });
        it("POD_IP and NODE_NAME are honoured", () => {
          const r = lab.run(plan([{ check: "route", host: SRV }]), { env: { POD_IP: "198.18.200.99", NODE_NAME: "n1" } });
          assert.equal(r.result!.podIP, "198.18.200.99");
          assert.equal(r.result!.node, "n1");
        });
        it("a per-check timeoutSeconds overrides the plan timeout", () => {
          const r = lab.run(plan([{ check: "tcp", host: SRV, port: 7001, timeoutSeconds: 1 }], 10));
          const c = r.result!.targets[0]!.checks[0]!;
          assert.equal(c.outcome, "timeout");
          assert.ok(c.durationMs < 2500, `took ${c.durationMs} ms`);
        });
        it("targets run concurrently: 5 dropped targets take about one timeout", () => {
          const targets = Array.from({ length: 5 }, (_, i) => ({
            name: `drop${i}`,
            checks: [
              { check: "tcp", host: SRV, port: 7001 },
              { check: "http", url: `http://${SRV}:7001/` },
            ],
          }));
          const r = lab.run({ version: 1, runId: "conc", timeoutSeconds: 2, targets });
          assert.equal(r.code, 0);
          for (const t of r.result!.targets)
            assert.deepEqual(
              t.checks.map((c) => c.outcome),
              ["timeout", "timeout"],
            );
          assert.ok(r.wallMs < 4000, `took ${r.wallMs} ms`);
        });
        it("flags: one synthetic target", () => {
          const r = lab.run(undefined, { args: ["--tcp", `${SRV}:8080`, "--dns", "web.lab.test", "--timeout", "2"] });
          assert.equal(r.code, 0);
          assert.equal(r.result!.targets[0]!.name, "cli");
          assert.deepEqual(
            r.result!.targets[0]!.checks.map((c) => [c.check, c.outcome]),
            [
              ["tcp", "ok"],
              ["dns", "ok"],
            ],
          );
        });
      });
    },
  );
});
