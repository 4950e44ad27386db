import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cidrContains, parseCidr, parseIp } from "./ip.ts";

describe("ip", () => {
  const cases: [string, string, boolean][] = [
    ["10.0.0.0/8", "10.1.2.3", true],
    ["10.0.0.0/8", "11.0.0.1", false],
    ["192.168.1.0/24", "192.168.1.255", true],
    ["0.0.0.0/0", "203.0.113.7", true],
    ["198.18.0.0/15", "198.19.255.1", true],
    ["fd00::/8", "fd12::1", true],
    ["fd00::/8", "fe80::1", false],
    ["10.0.0.0/8", "fd00::1", false],
  ];
  for (const [cidr, ip, want] of cases) {
    it(`says ${ip} is ${want ? "inside" : "outside"} ${cidr}`, () => {
      const c = parseCidr(cidr);
      assert.ok(c);
      assert.equal(cidrContains(c, ip), want);
    });
  }
  it("rejects malformed addresses", () => {
    assert.equal(parseIp("10.0.0.256"), undefined);
    assert.equal(parseIp("not-an-ip"), undefined);
    assert.equal(parseCidr("10.0.0.0/33"), undefined);
  });
});
