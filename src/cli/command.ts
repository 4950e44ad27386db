/**
 * Glue between commander (which parses every argument of the netdiag command) and the
 * commands, which return a result instead of writing and exiting: `defineCommand` wraps a
 * handler as a commander action, `invoke` parses argv, runs the action and returns
 * `{code, stdout, stderr}`. Commander's own errors become one paragraph on stderr,
 * prefixed with the command (`netdiag analyze: unknown argument --x ...`), exit code 2;
 * `--help` is printed to stdout with exit code 0.
 *
 * @module
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Exit codes: healthy, unhealthy (or health unknown), bad input / could not finish. */
export const Exit = { Healthy: 0, Unhealthy: 1, BadInput: 2 } as const;

export const fail = (prefix: string, message: string): CommandResult => ({ code: Exit.BadInput, stdout: "", stderr: `${prefix}: ${message.trimEnd()}\n` });

/** The program's name in messages and help: `kubectl netdiag` when run as the kubectl plugin. */
export const programName = (): string => process.env.NETDIAG_PROG_NAME || "netdiag";

type Handler = (opts: any, args: string[]) => CommandResult | Promise<CommandResult>;

const results = new WeakMap<Command, CommandResult>();

/** Makes `handler` the action of `cmd`; its result is what `invoke` returns. */
export function defineCommand(cmd: Command, handler: Handler): Command {
  return cmd.action(async (...a: unknown[]) => {
    const c = a[a.length - 1] as Command;
    results.set(c, await handler(c.opts(), c.processedArgs as string[]));
  });
}

/** `-o text|json`. */
export const outputOption = () => new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text");

/** A commander argument parser for a whole number of seconds > 0. */
export function seconds(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError(`give a whole number of seconds, not ${JSON.stringify(v)}`);
  return Number(v);
}

/** Appends a repeated option's values: `--to a --to b`. */
export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
const path = (c: Command): string => {
  if (c.parent) return `${path(c.parent)} ${c.name()}`;
  return c.name() === programName() ? c.name() : `${programName()} ${c.name()}`;
};

/** Commander's error text as our one-paragraph message. */
function message(e: CommanderError, text: string, where: string): string {
  const plain = text.replace(/^error:\s*/, "").trim();
  const flag = /'([^']+)'/.exec(plain)?.[1] ?? "";
  const hint = /\(Did you mean ([^)]+)\)/.exec(plain)?.[1];
  if (e.code === "commander.unknownOption" || e.code === "commander.excessArguments") {
    const arg = e.code === "commander.excessArguments" ? "" : flag;
    const what = arg ? `unknown argument ${arg}` : plain.replace(/\.$/, "");
    return `${what}${hint ? ` (did you mean ${hint}?)` : ""}; see ${where} --help`;
  }
  if (e.code === "commander.optionMissingArgument") return `${plain.replace(/ argument missing$/, "")} needs a value`;
  return plain.replace(/\s*\n\s*/g, " ");
}

/** Parses argv with `cmd` and runs the chosen action; never throws for bad arguments. */
export async function invoke(cmd: Command, argv: readonly string[]): Promise<CommandResult> {
  const out = { stdout: "", stderr: "" };
  let error: { where: string; text: string } | undefined;
  for (const c of all(cmd)) {
    c.exitOverride().configureOutput({
      writeOut: (s) => (out.stdout += s),
      writeErr: (s) => (out.stderr += s),
      outputError: (s) => (error = { where: path(c), text: s }),
    });
  }
  try {
    await cmd.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return { code: 0, stdout: out.stdout + out.stderr, stderr: "" };
    if (e.code === "commander.help") return { code: 0, stdout: out.stdout + out.stderr, stderr: "" };
    const where = error?.where ?? path(cmd);
    return { code: Exit.BadInput, stdout: "", stderr: `${where}: ${message(e, error?.text ?? e.message, where)}\n` };
  }
  const r = all(cmd)
    .map((c) => results.get(c))
    .find((x) => x !== undefined);
  return r ? { code: r.code, stdout: out.stdout + r.stdout, stderr: out.stderr + r.stderr } : { code: 0, ...out };
}
