import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), "utf8");

describe("Helm chart", () => {
  it("ships the same CRD as crds/ (copy crds/*.yaml to charts/netdiag/crds/ when this fails)", () => {
    assert.equal(read("charts/netdiag/crds/netdiag.dev_networkdiagnoses.yaml"), read("crds/netdiag.dev_networkdiagnoses.yaml"));
  });
  it("ships the same RBAC as deploy/", () => {
    assert.equal(read("charts/netdiag/files/rbac.yaml"), read("deploy/10-rbac.yaml"));
  });
});
