import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Target } from "../api/spec.ts";
import { resolveTarget, urlEndpoint } from "./resolve.ts";
import { indexSnapshot } from "./snapshot-index.ts";

const idx = indexSnapshot({ namespaces: [{ metadata: { name: "shop" } }], services: [], endpointSlices: [], pods: [], networkPolicies: [], nodes: [] });
const urlTarget = (url: string): Target => ({ name: "t", url, expect: "Reachable" });

describe("resolveTarget on url targets", () => {
  it("takes host and default port from an https URL with an IPv6 literal", () => {
    const r = resolveTarget(urlTarget("https://[::1]/"), "default", idx);
    assert.deepEqual([r.scheme, r.host, r.port, r.dnsName, r.problem], ["https", "::1", 443, undefined, undefined]);
  });

  it("designates the Service of a name.ns URL host", () => {
    const r = resolveTarget(urlTarget("http://orders.shop:8080/x"), "default", idx);
    assert.deepEqual(r.service, { namespace: "shop", name: "orders", port: 8080, form: "name.ns" });
  });

  const unusable: [string, RegExp][] = [
    ["http://a:99999/", /port 99999 is out of range 1-65535/],
    ["http://[/", /not a valid URL host/],
    ["http://%zz/", /not a valid URL host/],
    ["http://a:0/", /port 0 is out of range/],
    ["http://u:secret@a/", /remove the user:password@ part/],
    ["http://%2Dx/", /must not start with '-'/],
    ["ftp://a/", /scheme ftp is not supported/],
  ];
  for (const [url, problem] of unusable) {
    it(`returns a problem instead of throwing for ${url}`, () => {
      const r = resolveTarget(urlTarget(url), "default", idx);
      assert.match(r.problem ?? "", problem);
      assert.deepEqual([r.host, r.port, r.service, r.url], [undefined, undefined, undefined, undefined]);
    });
  }

  it("never echoes the credentials of a URL in its problem", () => {
    const r = urlEndpoint("http://user:hunter2@a/");
    assert.ok("problem" in r);
    assert.doesNotMatch(r.problem, /hunter2/);
  });
});
