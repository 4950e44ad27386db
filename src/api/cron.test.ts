import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cronProblem, nextFire, parseCron } from "./cron.ts";

const next = (expr: string, after: string) => nextFire(parseCron(expr), new Date(after))?.toISOString();

describe("cron", () => {
  const cases: [string, string, string][] = [
    ["*/10 * * * *", "2026-01-01T00:03:00Z", "2026-01-01T00:10:00.000Z"],
    ["*/10 * * * *", "2026-01-01T00:10:00Z", "2026-01-01T00:20:00.000Z"],
    ["0 3 * * *", "2026-01-01T04:00:00Z", "2026-01-02T03:00:00.000Z"],
    ["30 9 * * mon-fri", "2026-01-02T10:00:00Z", "2026-01-05T09:30:00.000Z"],
    ["0 0 1 jan *", "2026-06-01T00:00:00Z", "2027-01-01T00:00:00.000Z"],
    ["0 0 13 * 5", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00.000Z"],
    ["@hourly", "2026-01-01T00:59:59Z", "2026-01-01T01:00:00.000Z"],
    ["0 12 * * 7", "2026-01-01T00:00:00Z", "2026-01-04T12:00:00.000Z"],
  ];
  for (const [expr, after, want] of cases) {
    it(`fires "${expr}" after ${after} at ${want}`, () => assert.equal(next(expr, after), want));
  }
  const bad: [string, RegExp][] = [
    ["* * *", /3 fields/],
    ["61 * * * *", /minute: 61 is outside 0-59/],
    ["*/0 * * * *", /step/],
    ["5-1 * * * *", /backwards/],
    ["x * * * *", /not a number/],
  ];
  for (const [expr, msg] of bad) {
    it(`rejects "${expr}" saying what is wrong`, () => assert.match(cronProblem(expr) ?? "", msg));
  }
  it("accepts a valid expression", () => assert.equal(cronProblem("0 */2 * * *"), undefined));
});
