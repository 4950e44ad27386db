import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkExpect } from "./expect.ts";

const status = {
  conditions: [{ type: "Healthy", status: "False" }],
  rootCause: { code: "ServiceSelectorMatchesNoPods", message: "selects app=api; pods carry app=backend" },
  findings: [{ code: "ServiceSelectorMatchesNoPods" }, { code: "DNSEgressBlocked" }],
};

describe("checkExpect", () => {
  it("passes when every expectation holds", () => {
    assert.deepEqual(
      checkExpect(
        {
          healthy: "False",
          rootCause: "ServiceSelectorMatchesNoPods",
          findings: ["DNSEgressBlocked"],
          absent: ["ProbeFailed"],
          mentions: ["app=api", "app=backend"],
        },
        status,
      ),
      [],
    );
  });
  it("accepts any code of a rootCause list", () => {
    assert.deepEqual(checkExpect({ rootCause: ["ConnectionRefused", "ServiceSelectorMatchesNoPods"] }, status), []);
  });
  it("lists every failed expectation in words", () => {
    assert.deepEqual(checkExpect({ healthy: "True", rootCause: "X", findings: ["Y"], absent: ["DNSEgressBlocked"], mentions: ["zzz"] }, status), [
      "Healthy is False, expected True",
      "rootCause is ServiceSelectorMatchesNoPods, expected X",
      "finding Y is missing",
      "finding DNSEgressBlocked must not appear",
      'rootCause.message does not mention "zzz"',
    ]);
  });
  it("finds a substring in some finding's evidence, and says so when none holds it", () => {
    const st = { findings: [{ code: "A", evidence: ["node n1: no KUBE-SVC rule for 198.19.1.2:80/TCP"] }, { code: "B" }] };
    assert.deepEqual(checkExpect({ evidence: ["no KUBE-SVC rule for"] }, st), []);
    assert.deepEqual(checkExpect({ evidence: ["ip route get"] }, st), ['no finding\'s evidence mentions "ip route get"']);
  });
  it("fails on a missing status", () => {
    assert.equal(checkExpect({ healthy: "True" }, undefined).length, 1);
  });
});

describe("checkExpect on a healthy scenario", () => {
  it("treats any finding above Info as a false alarm", () => {
    const s = {
      conditions: [{ type: "Healthy", status: "True" }],
      findings: [
        { code: "ICMPBlocked", severity: "Info" },
        { code: "UnexplainedDrop", severity: "Warning" },
      ],
    };
    assert.deepEqual(checkExpect({ healthy: "True" }, s), ["findings above Info on a healthy path: UnexplainedDrop"]);
  });
});
