import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseProbeResult } from "./parse-result.ts";

const result = {
  version: 1,
  runId: "r1",
  node: "n1",
  podIP: "10.244.0.9",
  context: { resolvConf: { nameservers: ["10.96.0.10"], search: ["shop.svc.cluster.local"], ndots: 5 } },
  targets: [
    {
      name: "api",
      checks: [
        {
          check: "dns",
          outcome: "ok",
          durationMs: 3,
          detail: { input: { check: "dns", name: "api" }, addresses: ["10.96.1.1"], queryTimeMs: 2, extra: { kept: true } },
        },
      ],
    },
  ],
};

describe("parseProbeResult", () => {
  const cases: [string, string, boolean][] = [
    ["accepts a termination message (bare JSON)", JSON.stringify(result), true],
    ["accepts a log with a NETDIAG_RESULT line", `=== transcript ===\nline\nNETDIAG_RESULT ${JSON.stringify(result)}\n=== end ===`, true],
    ["accepts the minimal truncated form", '{"version":1,"truncated":true}', true],
    ["rejects text without a result", "hello", false],
    ["rejects invalid JSON without throwing", "NETDIAG_RESULT {oops", false],
    ["rejects another contract version", '{"version":2,"runId":"r","targets":[]}', false],
  ];
  for (const [name, text, ok] of cases) {
    it(name, () => {
      const r = parseProbeResult(text);
      assert.equal(r.ok, ok, r.ok ? "" : r.error);
    });
  }

  it("keeps unknown detail fields and maps unknown outcomes to error", () => {
    const text = JSON.stringify({ ...result, targets: [{ name: "t", checks: [{ check: "tcp", outcome: "weird", durationMs: 1, detail: { foo: "bar" } }] }] });
    const r = parseProbeResult(text);
    assert.ok(r.ok);
    const c = r.result.targets[0]?.checks[0];
    assert.equal(c?.outcome, "error");
    assert.equal((c?.detail as Record<string, unknown>)["foo"], "bar");
  });

  it("tolerates null runId, node and podIP as the probe writes them", () => {
    const r = parseProbeResult('{"version":1,"runId":null,"node":null,"podIP":null,"targets":[]}');
    assert.ok(r.ok);
  });
});
