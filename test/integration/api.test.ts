/**
 * The generated CRD on a real API server: it applies, accepts good objects and rejects
 * bad ones with the schema's own messages (OpenAPI validation and CEL rules); and the
 * shipped RBAC is least privilege.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { admin, installOperatorObjects, kubectl, labMissing, operatorKubeconfig, waitFor } from "./harness.ts";

const skip = labMissing();

const nd = (name: string, spec: unknown) => ({ apiVersion: "netdiag.dev/v1alpha1", kind: "NetworkDiagnosis", metadata: { name, namespace: "api-test" }, spec });

describe("NetworkDiagnosis CRD on the API server", { skip }, () => {
  before(async () => {
    installOperatorObjects();
    kubectl(["create", "namespace", "api-test"], { allowFail: true });
  });

  const good: [string, unknown][] = [
    ["a service target", { targets: [{ name: "backend", service: { name: "backend", port: 80 } }] }],
    ["a named service port", { targets: [{ name: "backend", service: { name: "backend", port: "http" } }] }],
    [
      "a url and a host target with a schedule",
      {
        targets: [
          { name: "u", url: "https://a.b/health" },
          { name: "h", host: "example.org", port: 443 },
        ],
        schedule: "*/10 * * * *",
      },
    ],
  ];
  for (const [what, spec] of good) {
    it(`accepts ${what}`, async () => {
      const name = `good-${Math.random().toString(36).slice(2, 8)}`;
      const created = await admin().create<{ spec: { targets: { expect?: string }[]; timeoutSeconds?: number } }>(
        "/apis/netdiag.dev/v1alpha1/namespaces/api-test/networkdiagnoses",
        nd(name, spec),
      );
      assert.equal(created.spec.targets[0]?.expect, "Reachable", "the default for expect is applied by the API server");
      assert.equal(created.spec.timeoutSeconds, 30);
    });
  }

  const bad: [string, unknown, RegExp][] = [
    ["two kinds of target", { targets: [{ name: "x", service: { name: "a", port: 80 }, url: "http://a" }] }, /set exactly one of service, url or host/],
    ["a host without port", { targets: [{ name: "x", host: "a.b" }] }, /a host target needs port/],
    ["an unknown expect", { targets: [{ name: "x", service: { name: "a", port: 80 }, expect: "Maybe" }] }, /expect.*Unsupported value|supported values/i],
    ["a port out of range", { targets: [{ name: "x", host: "a.b", port: 70000 }] }, /port/],
    ["no targets", { targets: [] }, /targets/],
    ["an upper-case target name", { targets: [{ name: "X", service: { name: "a", port: 80 } }] }, /name/],
    [
      "duplicate target names",
      {
        targets: [
          { name: "x", host: "a", port: 1 },
          { name: "x", host: "b", port: 2 },
        ],
      },
      /Duplicate value/,
    ],
  ];
  for (const [what, spec, msg] of bad) {
    it(`rejects ${what}`, async () => {
      await assert.rejects(admin().create("/apis/netdiag.dev/v1alpha1/namespaces/api-test/networkdiagnoses", nd("bad", spec)), (e: Error) => {
        assert.match(e.message, msg);
        assert.match(e.message, /422|Invalid/);
        return true;
      });
    });
  }

  it("lets the operator's ServiceAccount do its job but not read Secrets", async () => {
    const kc = operatorKubeconfig();
    const can = (verb: string, resource: string, ns?: string) => {
      const [res, sub] = resource.split("/") as [string, string | undefined];
      return kubectl(["auth", "can-i", verb, res, ...(sub ? [`--subresource=${sub}`] : []), ...(ns ? ["-n", ns] : ["--all-namespaces"])], {
        kubeconfig: kc,
        allowFail: true,
      }).trim();
    };
    // RBAC objects just applied take a moment to reach the authorizer's cache.
    await waitFor(() => can("watch", "networkdiagnoses.netdiag.dev") === "yes", 10_000, "RBAC to take effect");
    assert.equal(can("watch", "networkdiagnoses.netdiag.dev"), "yes");
    assert.equal(can("patch", "networkdiagnoses.netdiag.dev/status"), "yes");
    assert.equal(can("create", "pods"), "yes");
    assert.equal(can("list", "networkpolicies.networking.k8s.io"), "yes");
    assert.equal(can("update", "leases.coordination.k8s.io", "netdiag-system"), "yes");
    assert.equal(can("get", "secrets"), "no");
    assert.equal(can("get", "secrets", "kube-system"), "no");
    assert.equal(can("update", "networkdiagnoses.netdiag.dev"), "no", "never writes spec");
    assert.equal(can("create", "pods/exec"), "no");
    assert.equal(can("get", "pods/log"), "yes");
    assert.equal(can("update", "leases.coordination.k8s.io", "default"), "no");
    const out = kubectl(["get", "secrets", "-A"], { kubeconfig: kc, allowFail: true });
    assert.match(out, /Forbidden|forbidden/);
  });
});
