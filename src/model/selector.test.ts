import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileSelector } from "./selector.ts";

describe("compileSelector", () => {
  const cases: { name: string; selector: Parameters<typeof compileSelector>[0]; labels: Record<string, string>; want: boolean; text?: string }[] = [
    { name: "matches everything with an empty selector", selector: {}, labels: {}, want: true, text: "{} (everything)" },
    { name: "requires every matchLabels entry", selector: { matchLabels: { app: "a", tier: "b" } }, labels: { app: "a" }, want: false, text: "app=a,tier=b" },
    {
      name: "ANDs matchLabels with matchExpressions",
      selector: { matchLabels: { app: "a" }, matchExpressions: [{ key: "env", operator: "In", values: ["prod"] }] },
      labels: { app: "a", env: "prod" },
      want: true,
      text: "app=a,env in (prod)",
    },
    {
      name: "renders DoesNotExist as !key",
      selector: { matchExpressions: [{ key: "canary", operator: "DoesNotExist" }] },
      labels: {},
      want: true,
      text: "!canary",
    },
    {
      name: "selects nothing for an unknown operator",
      selector: { matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] },
      labels: { a: "2" },
      want: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const m = compileSelector(c.selector);
      assert.equal(m.matches(c.labels), c.want);
      if (c.text) assert.equal(m.text, c.text);
    });
  }
});

describe("compileSelector with keys that name Object.prototype members", () => {
  const keys = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];
  for (const key of keys) {
    it(`does not find label ${key} on a pod without labels (Exists)`, () => {
      assert.equal(compileSelector({ matchExpressions: [{ key, operator: "Exists" }] }).matches({}), false);
    });
    it(`finds no label ${key} on a pod without labels (DoesNotExist, NotIn)`, () => {
      assert.equal(compileSelector({ matchExpressions: [{ key, operator: "DoesNotExist" }] }).matches({}), true);
      assert.equal(compileSelector({ matchExpressions: [{ key, operator: "NotIn", values: ["x"] }] }).matches(undefined), true);
    });
    it(`does not match In on ${key} against a pod without labels`, () => {
      assert.equal(compileSelector({ matchExpressions: [{ key, operator: "In", values: ["function Object() { [native code] }"] }] }).matches({}), false);
    });
  }

  it("matches a label literally named __proto__ when the pod carries it as its own", () => {
    const labels: Record<string, string> = JSON.parse('{"__proto__":"x"}') as Record<string, string>;
    assert.equal(compileSelector({ matchExpressions: [{ key: "__proto__", operator: "In", values: ["x"] }] }).matches(labels), true);
    assert.equal(compileSelector({ matchLabels: JSON.parse('{"__proto__":"x"}') as Record<string, string> }).matches(labels), true);
  });

  it("does not let a matchLabels value equal to a prototype member match", () => {
    const m = compileSelector({ matchLabels: { constructor: String(Object.prototype.constructor) } });
    assert.equal(m.matches({}), false);
  });
});
