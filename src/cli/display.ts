/**
 * Where progress goes. On a TTY a frame redrawn in place by log-update (spinner and
 * elapsed time turning between polls), cleared when the run ends so the report follows
 * the command line, root cause first. Otherwise plain lines, each printed once with a
 * timestamp (logs, CI, pipes). With `-o json` nothing: stdout then holds only the JSON.
 *
 * @module
 */
import { clearInterval, setInterval } from "node:timers";
import { createLogUpdate } from "log-update";
import type { ProgressView } from "./progress.ts";
import { progressEvents, progressFrame } from "./progress-text.ts";

export interface Display {
  /** The run's latest progress. */
  update(v: ProgressView): void;
  /** A line outside the progress (an API error being retried, a run finished). */
  note(line: string): void;
  /** Removes the live frame (TTY) before the report is printed. */
  end(): void;
}

const stamp = () => new Date().toISOString().slice(11, 19);

/** Plain lines, each state once: `  12:00:01  probe x on node-1: Running`. */
export function lineDisplay(write: (s: string) => void): Display {
  const said = new Set<string>();
  const say = (l: string) => {
    if (said.has(l)) return;
    said.add(l);
    write(`  ${stamp()}  ${l}\n`);
  };
  return { update: (v) => progressEvents(v).forEach(say), note: say, end: () => {} };
}

/** The live frame on a TTY stream. */
export function ttyDisplay(stream: NodeJS.WriteStream): Display {
  const log = createLogUpdate(stream);
  let view: ProgressView | undefined;
  let at = Date.now();
  let tick = 0;
  const draw = () => {
    if (view) log(progressFrame({ ...view, elapsedMs: view.elapsedMs + (Date.now() - at) }, tick++));
  };
  const timer = setInterval(draw, 125);
  timer.unref();
  return {
    update: (v) => {
      view = v;
      at = Date.now();
      draw();
    },
    note: (line) => {
      log.clear();
      stream.write(`${line}\n`);
      draw();
    },
    end: () => {
      clearInterval(timer);
      log.clear();
      log.done();
    },
  };
}

export const silentDisplay = (): Display => ({ update: () => {}, note: () => {}, end: () => {} });

/** The display for an output format on stdout. */
export function displayFor(output: "text" | "json", stdout: NodeJS.WriteStream = process.stdout): Display {
  if (output === "json") return silentDisplay();
  return stdout.isTTY ? ttyDisplay(stdout) : lineDisplay((s) => stdout.write(s));
}
