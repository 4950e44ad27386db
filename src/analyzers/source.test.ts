import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "../model/snapshot.ts";
import { sourceLabels } from "./source.ts";

const pod = (name: string, labels: Record<string, string>, ready: boolean, extra: Partial<Pod["metadata"]> = {}): Pod => ({
  metadata: { name, namespace: "shop", labels, ...extra },
  status: { phase: "Running", conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
});

describe("sourceLabels", () => {
  it("takes a live pod's labels minus controller hash labels", () => {
    const s = sourceLabels(
      "shop",
      { source: { podSelector: { matchLabels: { app: "web" } } } },
      { pods: [pod("web-1", { app: "web", "pod-template-hash": "abc", "controller-revision-hash": "x", "pod-template-generation": "1", tier: "f" }, true)] },
    );
    assert.deepEqual(s.labels, { app: "web", tier: "f" });
    assert.deepEqual(s.findings, []);
  });

  it("prefers a Ready pod and ignores terminating ones", () => {
    const s = sourceLabels(
      "shop",
      { source: { podSelector: { matchLabels: { app: "web" } } } },
      {
        pods: [
          pod("a", { app: "web", v: "old" }, true, { deletionTimestamp: "2025-01-01T00:00:00Z" }),
          pod("b", { app: "web", v: "unready" }, false),
          pod("c", { app: "web", v: "ready" }, true),
        ],
      },
    );
    assert.equal(s.labels?.["v"], "ready");
  });

  it("reports SourcePodNotFound when nothing matches", () => {
    const s = sourceLabels("shop", { source: { podSelector: { matchLabels: { app: "ghost" } } } }, { pods: [] });
    assert.equal(s.labels, undefined);
    assert.equal(s.findings[0]?.code, "SourcePodNotFound");
  });

  it("labels a default probe netdiag.dev/probe=true", () => {
    assert.deepEqual(sourceLabels("shop", {}, {}).labels, { "netdiag.dev/probe": "true" });
  });
});
