import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { ConfigError, DEFAULT_PROBE_IMAGE, loadConfig } from "./config.ts";

const someFile = fileURLToPath(import.meta.url);

describe("loadConfig", () => {
  it("refuses to guess a cluster when neither a kubeconfig nor in-cluster credentials are given", () => {
    assert.throws(
      () => loadConfig([], {}),
      (e: Error) => e instanceof ConfigError && /--kubeconfig/.test(e.message),
    );
  });
  it("takes the kubeconfig from KUBECONFIG and applies defaults", () => {
    const c = loadConfig([], { KUBECONFIG: someFile });
    assert.equal(c.kubeconfig, someFile);
    assert.equal(c.probeImage, DEFAULT_PROBE_IMAGE);
    assert.equal(c.leaderElection, true);
    assert.equal(c.port, 8080);
  });
  it("lets flags win over the environment", () => {
    const c = loadConfig(["--probe-image", "x/y:1", "--port", "0", "--leader-election", "false"], { KUBECONFIG: someFile, NETDIAG_PROBE_IMAGE: "a/b:2" });
    assert.equal(c.probeImage, "x/y:1");
    assert.equal(c.port, 0);
    assert.equal(c.leaderElection, false);
  });
  it("says which setting is wrong", () => {
    assert.throws(() => loadConfig(["--port", "99999"], { KUBECONFIG: someFile }), /port/);
    assert.throws(() => loadConfig(["--kubeconfig", "/nonexistent/kubeconfig"], {}), /does not exist/);
  });
  it("reads the admin's policy from flags and env, defaulting to the least power", () => {
    const d = loadConfig([], { KUBECONFIG: someFile });
    assert.deepEqual(
      [d.probeImageAllowlist, d.nodeFanOutNamespaces, d.probeTolerateTaints, d.probeControlPlaneNodes, d.allowImpersonation, d.probeRawSockets],
      [[], [], [], false, true, false],
    );
    const c = loadConfig(
      ["--probe-image-allowlist", "a/b:1, mirror/*", "--probe-tolerate-taints", "dedicated,gpu:NoExecute", "--allow-impersonation", "false"],
      {
        KUBECONFIG: someFile,
        NETDIAG_NODE_FANOUT_NAMESPACES: "ops,*",
        NETDIAG_PROBE_IMAGE_ALLOWLIST: "",
        POD_NAMESPACE: "netdiag",
      },
    );
    assert.deepEqual(c.probeImageAllowlist, ["a/b:1", "mirror/*"]);
    assert.deepEqual(c.nodeFanOutNamespaces, ["ops", "*"]);
    assert.deepEqual(c.probeTolerateTaints, ["dedicated", "gpu:NoExecute"]);
    assert.equal(c.allowImpersonation, false);
    assert.equal(c.operatorNamespace, "netdiag");
    assert.equal(
      loadConfig([], { KUBECONFIG: someFile, NETDIAG_PROBE_IMAGE_ALLOWLIST: "" }).probeImageAllowlist.length,
      0,
      "an empty Helm value is an empty list",
    );
  });
  it("rejects a malformed policy entry, naming the setting", () => {
    assert.throws(() => loadConfig(["--probe-tolerate-taints", "k:Sometimes"], { KUBECONFIG: someFile }), /probeTolerateTaints/);
    assert.throws(() => loadConfig(["--node-fanout-namespaces", "Bad_NS"], { KUBECONFIG: someFile }), /nodeFanOutNamespaces/);
    assert.throws(() => loadConfig(["--namespace-hints", "some"], { KUBECONFIG: someFile }), /namespaceHints: labelled or all/);
  });
  it("names other namespaces only where they are labelled, unless the admin allows all", () => {
    assert.equal(loadConfig([], { KUBECONFIG: someFile }).namespaceHints, "labelled");
    assert.equal(loadConfig([], { KUBECONFIG: someFile, NETDIAG_NAMESPACE_HINTS: "all" }).namespaceHints, "all");
  });
  it("reads kube-proxy's rules only when the admin turned on node inspection and, separately, the rules", () => {
    const d = loadConfig([], { KUBECONFIG: someFile });
    assert.deepEqual([d.nodeInspection, d.nodeInspectionRules], [false, false]);
    const c = loadConfig(["--node-inspection", "true"], { KUBECONFIG: someFile, NETDIAG_NODE_INSPECTION_RULES: "true" });
    assert.deepEqual([c.nodeInspection, c.nodeInspectionRules], [true, true]);
    assert.equal(loadConfig(["--node-inspection", "true"], { KUBECONFIG: someFile }).nodeInspectionRules, false);
    assert.throws(() => loadConfig(["--node-inspection-rules", "true"], { KUBECONFIG: someFile }), /set node-inspection=true as well/);
  });
});
