/**
 * The opt-in RBAC for spec.source.pod (ADR 0014): off by default, the chart's render with
 * rbac.ephemeralContainers=true is deploy/optional/ephemeral-containers.yaml, it grants
 * only `patch` on pods/ephemeralcontainers, and its binding follows the release namespace.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { one, parseObjects, render, repoRoot } from "./helm.ts";

const read = (p: string) => readFileSync(join(repoRoot, p), "utf8");
const ON = ["--set", "rbac.ephemeralContainers=true"];

describe("the opt-in ephemeral-container RBAC", () => {
  it("is not rendered by default", () => {
    assert.deepEqual(
      render().filter((o) => o.metadata.name === "netdiag-operator-ephemeral"),
      [],
    );
  });

  it("ships deploy/optional/ephemeral-containers.yaml unchanged", () => {
    assert.equal(read("charts/netdiag/files/rbac-ephemeral.yaml"), read("deploy/optional/ephemeral-containers.yaml"));
  });

  it("renders the role and binding of deploy/optional/ when turned on, granting patch on pods/ephemeralcontainers only", () => {
    const objects = render(ON);
    const shipped = parseObjects(read("deploy/optional/ephemeral-containers.yaml"));
    for (const o of shipped) assert.deepEqual(one(objects, o.kind, o.metadata.name), o);
    const role = one(objects, "ClusterRole", "netdiag-operator-ephemeral") as unknown as {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    assert.deepEqual(role.rules, [{ apiGroups: [""], resources: ["pods/ephemeralcontainers"], verbs: ["patch"] }]);
  });

  it("binds the operator's ServiceAccount of the release namespace", () => {
    const binding = one(render(ON, "diag-ops"), "ClusterRoleBinding", "netdiag-operator-ephemeral") as unknown as {
      subjects: { name: string; namespace: string }[];
    };
    assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "netdiag-operator", namespace: "diag-ops" }]);
  });
});
