import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadScenarios } from "../dev/scenario/load.ts";
import { MAX_REPLICAS, shapeProblem } from "./analyze-shape.ts";

describe("shapeProblem", () => {
  for (const s of loadScenarios()) {
    it(`accepts every object of scenario ${s.name}`, () => {
      for (const o of s.objects) assert.equal(shapeProblem(o), undefined, `${o.kind}/${o.metadata?.name}`);
    });
  }

  const bad: [string, Record<string, unknown>, RegExp][] = [
    [
      "a numeric label value",
      { kind: "Pod", metadata: { name: "p", labels: { version: 1 } }, spec: { containers: [] } },
      /metadata\.labels\.version: expected a string: quote numbers and booleans/,
    ],
    [
      "a Service port given as a word",
      { kind: "Service", metadata: { name: "s" }, spec: { ports: [{ port: "eighty" }] } },
      /spec\.ports\[0\]\.port: .*expected number/,
    ],
    [
      "a targetPort that is a list",
      { kind: "Service", metadata: { name: "s" }, spec: { ports: [{ port: 80, targetPort: [1] }] } },
      /targetPort: expected a port number or a port name/,
    ],
    [
      "more replicas than the offline check synthesises",
      { kind: "StatefulSet", metadata: { name: "w" }, spec: { replicas: MAX_REPLICAS + 1 } },
      /spec\.replicas: at most 1000/,
    ],
    ["a kind that is not a string", { kind: 5, metadata: { name: "x" } }, /kind: .*expected string/],
    [
      "a NetworkPolicy peer that is a string",
      { kind: "NetworkPolicy", metadata: { name: "n" }, spec: { ingress: [{ from: ["everyone"] }] } },
      /spec\.ingress\[0\]\.from\[0\]: .*expected object/,
    ],
  ];
  for (const [what, o, msg] of bad) {
    it(`names the field of ${what}`, () => assert.match(shapeProblem(o) ?? "", msg));
  }

  it("passes unknown kinds and unknown fields through", () => {
    assert.equal(shapeProblem({ kind: "Widget", metadata: { name: "w" }, spec: "anything" }), undefined);
    assert.equal(shapeProblem({ kind: "Service", metadata: { name: "s" }, spec: { ports: [{ port: 80, x: [1] }] }, extra: 1 }), undefined);
  });
});
