/**
 * Standard 5-field cron expressions (minute hour day-of-month month day-of-week),
 * evaluated in UTC: parsing with precise error messages, and the next fire time.
 * Supports `*`, lists, ranges, steps, month/day names and the @hourly/@daily/@weekly/
 * @monthly/@yearly macros. Day-of-month and day-of-week are OR-ed when both are
 * restricted, as in Vixie cron.
 *
 * @example nextFire(parseCron("*\/10 * * * *"), new Date("2026-01-01T00:03:00Z")) // 00:10
 * @module
 */

export interface Cron {
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  month: Set<number>;
  dow: Set<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
}

const MACROS: Record<string, string> = {
  "@hourly": "0 * * * *",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@weekly": "0 0 * * 0",
  "@monthly": "0 0 1 * *",
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
};
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

interface FieldDef {
  name: string;
  min: number;
  max: number;
  names?: string[];
  namesBase?: number;
}
const FIELDS: FieldDef[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS, namesBase: 1 },
  { name: "day-of-week", min: 0, max: 7, names: DAYS, namesBase: 0 },
];

export class CronError extends Error {}

function value(tok: string, f: FieldDef): number {
  const lower = tok.toLowerCase();
  const idx = f.names?.indexOf(lower) ?? -1;
  if (idx >= 0) return idx + (f.namesBase ?? 0);
  if (!/^\d+$/.test(tok)) throw new CronError(`${f.name}: "${tok}" is not a number`);
  const n = Number(tok);
  if (n < f.min || n > f.max) throw new CronError(`${f.name}: ${n} is outside ${f.min}-${f.max}`);
  return n;
}

function parseField(src: string, f: FieldDef): Set<number> {
  const out = new Set<number>();
  for (const part of src.split(",")) {
    const [rangePart, stepPart, extra] = part.split("/");
    if (extra !== undefined || rangePart === undefined || rangePart === "") throw new CronError(`${f.name}: "${part}" is malformed`);
    let step = 1;
    if (stepPart !== undefined) {
      if (!/^\d+$/.test(stepPart) || Number(stepPart) === 0) throw new CronError(`${f.name}: step "${stepPart}" must be a positive number`);
      step = Number(stepPart);
    }
    let lo: number;
    let hi: number;
    if (rangePart === "*") {
      lo = f.min;
      hi = f.max;
    } else if (rangePart.includes("-")) {
      const [a, b] = rangePart.split("-");
      lo = value(a ?? "", f);
      hi = value(b ?? "", f);
      if (lo > hi) throw new CronError(`${f.name}: range ${rangePart} runs backwards`);
    } else {
      lo = value(rangePart, f);
      hi = stepPart !== undefined ? f.max : lo;
    }
    for (let v = lo; v <= hi; v += step) out.add(f.name === "day-of-week" && v === 7 ? 0 : v);
  }
  return out;
}

/** Parses a cron expression; throws CronError with a message that says what to fix. */
export function parseCron(expr: string): Cron {
  const src = MACROS[expr.trim().toLowerCase()] ?? expr.trim();
  const parts = src.split(/\s+/);
  if (parts.length !== 5) {
    throw new CronError(`schedule "${expr}" has ${parts.length} fields; use 5: minute hour day-of-month month day-of-week (UTC)`);
  }
  const sets = parts.map((p, i) => parseField(p, FIELDS[i] as FieldDef));
  return {
    minute: sets[0] as Set<number>,
    hour: sets[1] as Set<number>,
    dom: sets[2] as Set<number>,
    month: sets[3] as Set<number>,
    dow: sets[4] as Set<number>,
    domRestricted: parts[2] !== "*",
    dowRestricted: parts[4] !== "*",
  };
}

/** The problem with a cron expression in words, or undefined when it is valid. */
export function cronProblem(expr: string): string | undefined {
  try {
    parseCron(expr);
    return undefined;
  } catch (e) {
    return e instanceof CronError ? `invalid schedule: ${e.message}` : String(e);
  }
}

function dayMatches(c: Cron, d: Date): boolean {
  const dom = c.dom.has(d.getUTCDate());
  const dow = c.dow.has(d.getUTCDay());
  if (c.domRestricted && c.dowRestricted) return dom || dow;
  return dom && dow;
}

/** The first fire time strictly after `after` (UTC), or undefined if none within 5 years. */
export function nextFire(c: Cron, after: Date): Date | undefined {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = after.getTime() + 5 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!c.month.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
      continue;
    }
    if (!dayMatches(c, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
      continue;
    }
    if (!c.hour.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0);
      continue;
    }
    if (!c.minute.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
      continue;
    }
    return t;
  }
  return undefined;
}
