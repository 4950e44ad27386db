import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Spec } from "../api/spec.ts";
import { admit, DefaultAdminPolicy, imageAllowed, isControlPlane, taintTolerable } from "./admin-policy.ts";

const policy = { ...DefaultAdminPolicy("nicolaka/netshoot:v0.13", "netdiag-system") };
const spec = (s: Partial<Spec>) => s as Pick<Spec, "probeImage" | "source">;

describe("admit (the admin's policy over a spec)", () => {
  it("runs the default image and says so when spec.probeImage is not on the allowlist", () => {
    const a = admit(spec({ probeImage: "attacker/rootkit:latest" }), "shop", policy);
    assert.equal(a.image, "nicolaka/netshoot:v0.13");
    assert.match(a.notice ?? "", /attacker\/rootkit:latest.*not on the operator's probe image allowlist/);
    assert.equal(a.refusal, undefined);
  });
  it("honours spec.probeImage on the allowlist, exact or by prefix", () => {
    const p = { ...policy, imageAllowlist: ["mirror.corp/netshoot:v0.13", "mirror.corp/tools/*"] };
    assert.deepEqual(admit(spec({ probeImage: "mirror.corp/netshoot:v0.13" }), "shop", p), { image: "mirror.corp/netshoot:v0.13" });
    assert.equal(admit(spec({ probeImage: "mirror.corp/tools/netshoot:1" }), "shop", p).image, "mirror.corp/tools/netshoot:1");
    assert.equal(admit(spec({ probeImage: "mirror.corp/netshoot:latest" }), "shop", p).image, "nicolaka/netshoot:v0.13");
  });
  it("accepts the default image named explicitly, and no image at all", () => {
    assert.deepEqual(admit(spec({ probeImage: "nicolaka/netshoot:v0.13" }), "shop", policy), { image: "nicolaka/netshoot:v0.13" });
    assert.deepEqual(admit(spec({}), "shop", policy), { image: "nicolaka/netshoot:v0.13" });
  });
  it("refuses node fan-out outside the namespaces the admin listed, naming the setting", () => {
    const a = admit(spec({ source: { nodes: { selector: {} } } }), "tenant-a", policy);
    assert.match(a.refusal ?? "", /spec.source.nodes.*not allowed in namespace tenant-a.*--node-fanout-namespaces/);
    assert.equal(admit(spec({ source: { nodes: { selector: {} } } }), "netdiag-system", policy).refusal, undefined);
    assert.equal(admit(spec({ source: { nodes: { selector: {} } } }), "tenant-a", { ...policy, nodeFanOutNamespaces: ["tenant-a"] }).refusal, undefined);
    assert.equal(admit(spec({ source: { nodes: { selector: {} } } }), "tenant-b", { ...policy, nodeFanOutNamespaces: ["*"] }).refusal, undefined);
  });
  it("refuses impersonation when the admin switched it off", () => {
    const s = spec({ source: { podSelector: { matchLabels: { app: "frontend" } } } });
    assert.equal(admit(s, "shop", policy).refusal, undefined);
    assert.match(admit(s, "shop", { ...policy, allowImpersonation: false }).refusal ?? "", /podSelector.*switched off/);
  });
});

describe("policy helpers", () => {
  it("matches allowlist entries exactly or by trailing *", () => {
    assert.equal(imageAllowed("a/b:1", ["a/b:1"]), true);
    assert.equal(imageAllowed("a/b:1x", ["a/b:1"]), false);
    assert.equal(imageAllowed("a/b:1", ["a/*"]), true);
    assert.equal(imageAllowed("a/b:1", []), false);
  });
  it("knows control-plane nodes by their role labels only (own properties)", () => {
    assert.equal(isControlPlane({ "node-role.kubernetes.io/control-plane": "" }), true);
    assert.equal(isControlPlane({}), false);
    assert.equal(isControlPlane(undefined), false);
  });
  it("tolerates a taint by key or by key:effect", () => {
    assert.equal(taintTolerable({ key: "k", effect: "NoSchedule" }, ["k"]), true);
    assert.equal(taintTolerable({ key: "k", effect: "NoSchedule" }, ["k:NoExecute"]), false);
  });
});
