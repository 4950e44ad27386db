import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateSpec } from "./diagnosis.ts";
import { URL_PATTERN } from "./spec.ts";

const svc = { name: "backend", service: { name: "backend", port: 80 } };

describe("validateSpec", () => {
  const good: [string, unknown][] = [
    ["a service target by port number", { targets: [svc] }],
    ["a service target by port name in another namespace", { targets: [{ name: "b", service: { name: "backend", namespace: "shop", port: "http" } }] }],
    ["a url target", { targets: [{ name: "pay", url: "https://payments.pay.svc.cluster.local:4000/health" }] }],
    ["a url target with an IPv6 literal", { targets: [{ name: "v6", url: "https://[::1]/" }] }],
    ["a url target with port 65535, a query and a fragment", { targets: [{ name: "q", url: "http://a.example.:65535/p?x=1#f" }] }],
    ["a host target with port", { targets: [{ name: "world", host: "example.org", port: 443 }] }],
    ["an expect Blocked target", { targets: [{ ...svc, expect: "Blocked" }] }],
    ["a source pod and its container", { targets: [svc], source: { pod: { name: "web-0", container: "app" } } }],
    [
      "a schedule and a node fan-out",
      { targets: [svc], schedule: "*/10 * * * *", source: { nodes: { selector: {} }, podSelector: { matchLabels: { app: "frontend" } } } },
    ],
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
    [
      "two kinds of target at once",
      { targets: [{ name: "x", service: { name: "a", port: 1 }, url: "http://a" }] },
      /spec\.targets\[0\]: set exactly one of service, url or host/,
    ],
    ["no kind of target", { targets: [{ name: "x" }] }, /exactly one of service, url or host/],
    ["a host without port", { targets: [{ name: "x", host: "a.b" }] }, /spec\.targets\[0\]\.port: a host target needs port/],
    ["a port out of range", { targets: [{ name: "x", host: "a.b", port: 70000 }] }, /spec\.targets\[0\]\.port/],
    ["an upper-case target name", { targets: [{ ...svc, name: "Backend" }] }, /spec\.targets\[0\]\.name/],
    ["a url with a shell payload", { targets: [{ name: "x", url: "http://a$(reboot)/ x" }] }, /spec\.targets\[0\]\.url/],
    ["an unknown expectation", { targets: [{ ...svc, expect: "Maybe" }] }, /expect/],
    ["duplicate target names", { targets: [svc, svc] }, /duplicate target name "backend"/],
    [
      "a source pod on a schedule (ephemeral containers stay)",
      { targets: [svc], schedule: "*/5 * * * *", source: { pod: { name: "web-0" } } },
      /spec\.source\.pod: .*run it on demand, without schedule/,
    ],
    [
      "a source pod with a selector",
      { targets: [svc], source: { pod: { name: "web-0" }, podSelector: { matchLabels: { app: "web" } } } },
      /spec\.source\.pod: .*drop source\.podSelector and source\.nodes/,
    ],
    ["a source pod name with a shell payload", { targets: [svc], source: { pod: { name: "web;reboot" } } }, /spec\.source\.pod\.name/],
    ["a source container name too long", { targets: [svc], source: { pod: { name: "web", container: "c".repeat(64) } } }, /spec\.source\.pod\.container/],
    ["a 6-field schedule", { targets: [svc], schedule: "0 * * * * *" }, /spec\.schedule: invalid schedule: .*6 fields/],
    ["a timeout of 0", { targets: [svc], timeoutSeconds: 0 }, /spec\.timeoutSeconds/],
    ["a url port above 65535", { targets: [{ name: "x", url: "http://a:99999/" }] }, /spec\.targets\[0\]\.url: port 99999 is out of range 1-65535/],
    ["a url port 0", { targets: [{ name: "x", url: "http://a:0/" }] }, /spec\.targets\[0\]\.url: port 0 is out of range 1-65535/],
    ["a url with an unclosed IPv6 bracket", { targets: [{ name: "x", url: "http://[/" }] }, /spec\.targets\[0\]\.url: host "\[" is not a valid URL host/],
    [
      "a url with a bad percent escape in the host",
      { targets: [{ name: "x", url: "http://%zz/" }] },
      /spec\.targets\[0\]\.url: host "%zz" is not a valid URL host/,
    ],
    ["a url with credentials", { targets: [{ name: "x", url: "https://admin:s3cret@a.example/" }] }, /spec\.targets\[0\]\.url: remove the user:password@ part/],
    [
      "a url host that starts with '-'",
      { targets: [{ name: "x", url: "http://-oProxyCommand=x/" }] },
      /spec\.targets\[0\]\.url: host "-oproxycommand=x" must not start with '-'/,
    ],
    ["a url host that decodes to '-...'", { targets: [{ name: "x", url: "http://%2Dx/" }] }, /spec\.targets\[0\]\.url: host "-x" must not start with '-'/],
    ["a host target that starts with '-'", { targets: [{ name: "x", host: "-oProxyCommand", port: 22 }] }, /spec\.targets\[0\]\.host/],
  ];
  for (const [name, spec, msg] of bad) {
    it(`rejects ${name} with a message that says what to fix`, () => {
      const r = validateSpec(spec);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.message, msg);
    });
  }
});

describe("URL_PATTERN (the CRD's admission check of url)", () => {
  const cases: [string, boolean][] = [
    ["https://[::1]:8443/x", true],
    ["http://backend.shop.svc:8080/health?x=1", true],
    ["http://a:99999/", true], // the range is checked by urlProblem, with a clearer message
    ["http://-a/", false],
    ["http://user:pw@a/", false],
    ["http://[/", false],
    ["http://a:/", false],
    ["http://a\\b/", false],
    ["ftp://a/", false],
  ];
  for (const [url, want] of cases) {
    it(`${want ? "admits" : "refuses"} ${url}`, () => assert.equal(URL_PATTERN.test(url), want));
  }
});
