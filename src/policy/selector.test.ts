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
