import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateSpec } from "./diagnosis.ts";

const svc = { name: "backend", service: { name: "backend", port: 80 } };

describe("validateSpec", () => {
  const good: [string, unknown][] = [
    ["a service target by port number", { targets: [svc] }],
    ["a service target by port name in another namespace", { targets: [{ name: "b", service: { name: "backend", namespace: "shop", port: "http" } }] }],
    ["a url target", { targets: [{ name: "pay", url: "https://payments.pay.svc.cluster.local:4000/health" }] }],
    ["a host target with port", { targets: [{ name: "world", host: "example.org", port: 443 }] }],
    ["an expect Blocked target", { targets: [{ ...svc, expect: "Blocked" }] }],
    ["a schedule and a node fan-out", { targets: [svc], schedule: "*/10 * * * *", source: { nodes: { selector: {} }, podSelector: { matchLabels: { app: "frontend" } } } }],
    ["a macro schedule", { targets: [svc], schedule: "@hourly" }],
  ];
  for (const [name, spec] of good) {
    it(`accepts ${name}`, () => {
      const r = validateSpec(spec);
      assert.ok(r.ok, r.ok ? "" : r.message);
    });
  }

  it("fills defaults: expect Reachable, timeoutSeconds 30, historyLimit 10", () => {
    const r = validateSpec({ targets: [svc] });
    assert.ok(r.ok);
    assert.equal(r.spec.targets[0]?.expect, "Reachable");
    assert.equal(r.spec.timeoutSeconds, 30);
    assert.equal(r.spec.historyLimit, 10);
  });

  const bad: [string, unknown, RegExp][] = [
    ["no targets", { targets: [] }, /spec\.targets: .*>=1/],
    ["a missing spec", undefined, /spec\.targets/],
    ["two kinds of target at once", { targets: [{ name: "x", service: { name: "a", port: 1 }, url: "http://a" }] }, /spec\.targets\[0\]: set exactly one of service, url or host/],
    ["no kind of target", { targets: [{ name: "x" }] }, /exactly one of service, url or host/],
    ["a host without port", { targets: [{ name: "x", host: "a.b" }] }, /spec\.targets\[0\]\.port: a host target needs port/],
    ["a port out of range", { targets: [{ name: "x", host: "a.b", port: 70000 }] }, /spec\.targets\[0\]\.port/],
    ["an upper-case target name", { targets: [{ ...svc, name: "Backend" }] }, /spec\.targets\[0\]\.name/],
    ["a url with a shell payload", { targets: [{ name: "x", url: "http://a$(reboot)/ x" }] }, /spec\.targets\[0\]\.url/],
    ["an unknown expectation", { targets: [{ ...svc, expect: "Maybe" }] }, /expect/],
    ["duplicate target names", { targets: [svc, svc] }, /duplicate target name "backend"/],
    ["a 6-field schedule", { targets: [svc], schedule: "0 * * * * *" }, /spec\.schedule: invalid schedule: .*6 fields/],
    ["a timeout of 0", { targets: [svc], timeoutSeconds: 0 }, /spec\.timeoutSeconds/],
  ];
  for (const [name, spec, msg] of bad) {
    it(`rejects ${name} with a message that says what to fix`, () => {
      const r = validateSpec(spec);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.message, msg);
    });
  }
});
