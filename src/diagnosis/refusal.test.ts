import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { apiErrorFor } from "../k8s/errors.ts";
import { refusalOf } from "./refusal.ts";

const err = (status: number, message: string, reason = "Forbidden") => apiErrorFor(status, { kind: "Status", message, reason }, "create pod");

describe("refusalOf (a refused probe pod)", () => {
  it("quotes a Pod Security refusal and says what to change", () => {
    const m = refusalOf(
      err(403, 'pods "p" is forbidden: violates PodSecurity "restricted:latest": unrestricted capabilities (container "probe" must not include "NET_RAW")'),
    );
    assert.match(m ?? "", /refused the probe pod \(403\): ".*violates PodSecurity/);
    assert.match(m ?? "", /--probe-raw-sockets/);
  });
  it("recognises a ResourceQuota refusal", () => {
    assert.match(refusalOf(err(403, 'pods "p" is forbidden: exceeded quota: q, requested: pods=1, used: pods=0, limited: pods=0')) ?? "", /ResourceQuota/);
  });
  it("recognises a LimitRange refusal", () => {
    assert.match(refusalOf(err(403, 'pods "p" is forbidden: maximum cpu usage per Container is 100m, but limit is 500m')) ?? "", /LimitRange/);
  });
  it("recognises an admission webhook and an invalid pod (422)", () => {
    assert.match(refusalOf(err(400, 'admission webhook "deny.example" denied the request: no', "BadRequest")) ?? "", /admission webhook refused/);
    assert.match(refusalOf(err(422, 'Pod "p" is invalid: spec.containers[0].image: Required value', "Invalid")) ?? "", /\(422\)/);
  });
  it("treats server errors, throttling and lost connections as transient (retry)", () => {
    assert.equal(refusalOf(err(500, "etcdserver: leader changed", "InternalError")), undefined);
    assert.equal(refusalOf(err(429, "slow down", "TooManyRequests")), undefined);
    assert.equal(refusalOf(new Error("ECONNRESET")), undefined);
  });
  it("bounds the quote", () => {
    assert.ok((refusalOf(err(403, "x".repeat(5000))) ?? "").length < 1200);
  });
});
