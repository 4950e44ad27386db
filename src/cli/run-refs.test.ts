import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateSpec } from "../api/diagnosis.ts";
import { insideSource, parseSource, parseTarget, RefError, uniqueNames } from "./run-refs.ts";

describe("netdiag run references", () => {
  const targets: [string, boolean, object][] = [
    ["svc/backend:80", false, { name: "backend", service: { name: "backend", port: 80 } }],
    ["svc/users-api.backend:http", false, { name: "users-api", service: { name: "users-api", namespace: "backend", port: "http" } }],
    ["https://payments.pay.svc.cluster.local:4000/health", false, { name: "payments", url: "https://payments.pay.svc.cluster.local:4000/health" }],
    ["example.org:443", false, { name: "example", host: "example.org", port: 443 }],
    ["svc/db:5432", true, { name: "db", service: { name: "db", port: 5432 }, expect: "Blocked" }],
  ];
  for (const [ref, blocked, want] of targets) {
    it(`turns --to ${ref} into a valid target`, () => {
      const t = parseTarget(ref, blocked);
      assert.deepEqual(t, want);
      assert.ok(validateSpec({ targets: [t] }).ok);
    });
  }
  it("asks for the port of a Service reference", () => {
    assert.throws(
      () => parseTarget("svc/backend"),
      (e: Error) => e instanceof RefError && /svc\/backend:80/.test(e.message),
    );
  });
  it("says what is wrong with an unusable URL instead of a bare 'Invalid URL'", () => {
    assert.throws(
      () => parseTarget("http://%zz/"),
      (e: Error) => e instanceof RefError && /--to http:\/\/%zz\/: the URL is not usable/.test(e.message),
    );
    assert.throws(
      () => parseTarget("http://a:99999/"),
      (e: Error) => e instanceof RefError && /out of range 1-65535/.test(e.message),
    );
  });
  it("rejects an unknown reference with the accepted forms", () => {
    assert.throws(() => parseTarget("backend"), /svc\/NAME\[\.NAMESPACE\]:PORT/);
    assert.throws(() => parseSource("frontend"), /deploy\/NAME/);
  });
  it("parses --from references", () => {
    assert.deepEqual(parseSource("deploy/frontend"), { kind: "workload", resource: "deployments", name: "frontend" });
    assert.deepEqual(parseSource("sts/db"), { kind: "workload", resource: "statefulsets", name: "db" });
    assert.deepEqual(parseSource("pod/web-0"), { kind: "pod", name: "web-0" });
    assert.deepEqual(parseSource("app=web,tier=front"), { kind: "labels", labels: { app: "web", tier: "front" } });
  });
  it("makes target names unique", () => {
    const t = uniqueNames([parseTarget("svc/a:80"), parseTarget("svc/a:81")]);
    assert.deepEqual(
      t.map((x) => x.name),
      ["a", "a-2"],
    );
  });

  it("--inside enters the --from pod, with or without a container, and refuses anything but a pod", () => {
    assert.deepEqual(insideSource("pod/web-0", true), { pod: { name: "web-0" } });
    assert.deepEqual(insideSource("po/web-0", "app"), { pod: { name: "web-0", container: "app" } });
    for (const from of [undefined, "deploy/web", "app=web"]) assert.throws(() => insideSource(from, true), /--from pod\/NAME/, String(from));
  });
});
