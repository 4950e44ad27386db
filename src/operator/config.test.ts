import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { ConfigError, DEFAULT_PROBE_IMAGE, loadConfig } from "./config.ts";

const someFile = fileURLToPath(import.meta.url);

describe("loadConfig", () => {
  it("refuses to guess a cluster when neither a kubeconfig nor in-cluster credentials are given", () => {
    assert.throws(() => loadConfig([], {}), (e: Error) => e instanceof ConfigError && /--kubeconfig/.test(e.message));
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
});
