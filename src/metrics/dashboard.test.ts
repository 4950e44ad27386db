import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Metrics } from "./metrics.ts";

const dashboard = JSON.parse(readFileSync(new URL("../../dashboards/netdiag.json", import.meta.url), "utf8")) as {
  uid: string;
  panels: { title: string; targets: { expr: string }[] }[];
};

describe("the shipped Grafana dashboard", () => {
  it("queries only metrics the operator exports", async () => {
    const m = new Metrics({ diagnoses: () => [], queueDepth: () => 0, isLeader: () => false, activeProbePods: () => 0 });
    const exported = new Set(
      [...(await m.text()).matchAll(/^# TYPE (\w+) (\w+)/gm)].flatMap(([, name, type]) =>
        type === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name as string],
      ),
    );
    const used = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/\bnetdiag_\w+/g)].map((x) => x[0]))));
    assert.ok(used.size >= 10, `the dashboard uses ${used.size} metrics`);
    for (const name of used) assert.ok(exported.has(name), `${name} is not exported by the operator`);
  });
  it("has a stable uid and a title per panel", () => {
    assert.equal(dashboard.uid, "netdiag-overview");
    for (const p of dashboard.panels) assert.ok(p.title.length > 0);
  });
});
