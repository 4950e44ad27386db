/**
 * The chart is what deploy/ ships: helm lints it, its default render is deploy/ (apart
 * from the Namespace, which helm creates), its CRDs are crds/ and its dashboard is
 * dashboards/netdiag.json. Another release namespace moves every namespaced object but
 * kube-system's.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { chartDir, deployObjects, helm, helmBinary, key, one, parseObjects, render, repoRoot } from "./helm.ts";

const ALL_ON = ["--set", "serviceMonitor.enabled=true,prometheusRule.enabled=true,grafanaDashboard.enabled=true"];
const read = (p: string) => readFileSync(join(repoRoot, p), "utf8");

describe("the Helm chart charts/netdiag", () => {
  for (const [what, args] of [
    ["its default values", []],
    ["every optional object on", ALL_ON],
  ] as const) {
    it(`passes helm lint --strict with ${what}`, () => {
      const r = helm(["lint", "--strict", chartDir, ...args]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    });
  }

  it("renders deploy/ byte for byte with its default values (scripts/gen-deploy --check)", () => {
    const r = spawnSync(join(repoRoot, "scripts/gen-deploy"), ["--check"], { encoding: "utf8", env: { ...process.env, NETDIAG_HELM: helmBinary() } });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  });

  it("renders exactly the objects of deploy/, which adds only the operator's Namespace", () => {
    const shipped = deployObjects();
    const namespaces = shipped.filter(({ object }) => object.kind === "Namespace");
    assert.deepEqual(
      namespaces.map(({ file, object }) => [file, object.metadata.name]),
      [["00-namespace.yaml", "netdiag-system"]],
    );
    const fromDeploy = new Map(shipped.filter(({ object }) => object.kind !== "Namespace").map(({ object }) => [key(object), object]));
    const fromChart = new Map(render().map((o) => [key(o), o]));
    assert.deepEqual([...fromDeploy.keys()].sort(), [...fromChart.keys()].sort());
    for (const [k, o] of fromChart) assert.deepEqual(fromDeploy.get(k), o, `${k} differs between deploy/ and the chart`);
  });

  it("ships the RBAC of deploy/10-rbac.yaml unchanged", () => {
    assert.equal(read("charts/netdiag/files/rbac.yaml"), read("deploy/10-rbac.yaml"));
  });

  it("ships every CRD of crds/ byte for byte, and helm template --include-crds renders them", () => {
    const files = readdirSync(join(repoRoot, "crds")).sort();
    assert.ok(files.length > 0);
    assert.deepEqual(readdirSync(join(chartDir, "crds")).sort(), files, "charts/netdiag/crds/ lists other files than crds/");
    for (const f of files)
      assert.equal(read(`charts/netdiag/crds/${f}`), read(`crds/${f}`), `charts/netdiag/crds/${f} differs from crds/${f} (npm run gen:crd writes both)`);
    const crds = render(["--include-crds"]).filter((o) => o.kind === "CustomResourceDefinition");
    const expected = files.flatMap((f) => parseObjects(read(`crds/${f}`)));
    assert.deepEqual(crds, expected);
  });

  it("keeps its copy of the Grafana dashboard equal to dashboards/netdiag.json", () => {
    assert.equal(read("charts/netdiag/files/dashboards/netdiag.json"), read("dashboards/netdiag.json"), "run scripts/gen-deploy");
  });

  it("puts every namespaced object in the release namespace except kube-system's Role and RoleBinding", () => {
    const objects = render(ALL_ON, "observability");
    const namespaced = objects.filter((o) => o.metadata.namespace !== undefined);
    assert.ok(namespaced.length >= 9, `${namespaced.length} namespaced objects`);
    for (const o of namespaced) {
      const expected = o.metadata.name === "netdiag-operator-kube-system" ? "kube-system" : "observability";
      assert.equal(o.metadata.namespace, expected, key(o));
    }
    for (const o of objects.filter((x) => x.kind === "RoleBinding" || x.kind === "ClusterRoleBinding")) {
      assert.deepEqual(o.subjects, [{ kind: "ServiceAccount", name: "netdiag-operator", namespace: "observability" }], key(o));
    }
    assert.deepEqual(one(objects, "ServiceMonitor", "netdiag-operator").spec.namespaceSelector, { matchNames: ["observability"] });
  });
});
