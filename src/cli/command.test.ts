import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command, Option } from "commander";
import { collect, defineCommand, invoke, outputOption, seconds } from "./command.ts";

const demo = () =>
  defineCommand(
    new Command("demo")
      .addOption(new Option("--to <ref>").argParser(collect))
      .addOption(new Option("--timeout <s>").argParser(seconds))
      .addOption(outputOption())
      .argument("[x]"),
    (opts, args) => ({ code: opts.to?.length ?? 0, stdout: JSON.stringify({ opts, args }), stderr: "" }),
  );

describe("invoke (commander glue)", () => {
  it("returns the action's result with the parsed options", async () => {
    const r = await invoke(demo(), ["--to", "a", "--to=b", "--timeout", "5", "-o", "json", "pos"]);
    assert.equal(r.code, 2);
    assert.deepEqual(JSON.parse(r.stdout), { opts: { to: ["a", "b"], timeout: 5, output: "json" }, args: ["pos"] });
  });

  const bad: [string, string[], RegExp][] = [
    ["an unknown flag", ["--frobnicate"], /^netdiag demo: unknown argument --frobnicate; see netdiag demo --help\n$/],
    ["a flag without its value", ["--to"], /^netdiag demo: option '--to <ref>' needs a value\n$/],
    [
      "a value outside the choices",
      ["-o", "yaml"],
      /^netdiag demo: option '-o, --output <format>' argument 'yaml' is invalid\. Allowed choices are text, json\.\n$/,
    ],
    ["a bad number", ["--timeout", "soon"], /^netdiag demo: option '--timeout <s>' argument 'soon' is invalid\. give a whole number of seconds, not "soon"\n$/],
    ["an extra argument", ["a", "b"], /^netdiag demo: too many arguments\. Expected 1 argument but got 2\b.*; see netdiag demo --help\n$/],
  ];
  for (const [what, argv, message] of bad) {
    it(`exits 2 with one line on ${what}`, async () => {
      const r = await invoke(demo(), argv);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, message);
    });
  }

  it("prints --help on stdout with exit 0", async () => {
    const r = await invoke(demo(), ["--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: demo \[options\] \[x\]/);
  });
});
