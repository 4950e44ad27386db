/**
 * Scenarios on the level-1 lab with the test acting as kubelet: the real manifests of
 * shared/scenarios are applied to the real API server, the workloads are reported Running
 * and Ready, and probe pods are answered with what a probe observes in that scenario.
 * The operator must reach the scenario's expected verdict.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { ExpectSchema, checkExpect } from "../../src/dev/scenario/expect.ts";
import { admin, apply, installOperatorObjects, labMissing, type OperatorProcess, operatorKubeconfig, repoRoot, startOperator, waitFor } from "./harness.ts";
import { autoKubelet, ensureNode, runPod } from "./kubelet.ts";
import { allOk, type OutcomeRule, type Plan, resultFor } from "./probe-results.ts";
import { NODE, resetNamespace, waitCompleted } from "./fixtures.ts";

const scenariosDir = process.env.NETDIAG_SCENARIOS ?? join(repoRoot, "..", "shared", "scenarios");
const skip = labMissing();

/** What a real probe sees in each scenario. */
const observed: Record<string, OutcomeRule> = {
  // deny-all isolates every pod for ingress and egress: DNS and every connection time out
  "advent-day14-broken": (_t, c) =>
    c.check === "dns"
      ? { outcome: "dns-timeout", detail: { perServer: [{ server: "198.19.0.10", outcome: "dns-timeout" }] } }
      : c.check === "route"
        ? { outcome: "ok" }
        : { outcome: "timeout" },
  "healthy-frontend-backend": allOk,
};

let ip = 100;

describe("scenarios with the test as kubelet", { skip, timeout: 300_000 }, () => {
  let op: OperatorProcess;
  const rest = () => admin();
  before(async () => {
    installOperatorObjects();
    await ensureNode(rest(), NODE);
    op = await startOperator({ kubeconfig: operatorKubeconfig(), identity: "op-scenarios", leaseName: "netdiag-scenarios-test" });
  });
  after(async () => {
    await op?.stop();
  });

  for (const name of Object.keys(observed)) {
    it(`reaches the expected verdict for ${name}`, async () => {
      const dir = join(scenariosDir, name);
      const manifests = readFileSync(join(dir, "manifests.yaml"), "utf8");
      const docs = parseAllDocuments(manifests).map(
        (d) => d.toJSON() as { kind: string; metadata: { name: string; namespace?: string }; spec?: { replicas?: number } },
      );
      const ns = docs.find((d) => d.kind === "Namespace")?.metadata.name as string;
      const diag = parse(readFileSync(join(dir, "diagnosis.yaml"), "utf8")) as { metadata: { name: string } };
      const expect = ExpectSchema.parse(parse(readFileSync(join(dir, "expect.yaml"), "utf8")));
      await resetNamespace(rest(), ns);
      apply(manifests);
      const want = docs.filter((d) => d.kind === "Deployment").reduce((n, d) => n + (d.spec?.replicas ?? 1), 0);
      const pods = await waitFor(
        async () => {
          const l = await rest().list<{ metadata: { name: string }; spec: { nodeName?: string } }>(`/api/v1/namespaces/${ns}/pods`);
          return l.items.length >= want && l.items.every((p) => p.spec.nodeName) ? l.items : undefined;
        },
        30_000,
        "scenario pods scheduled",
      );
      for (const p of pods) await runPod(rest(), ns, p.metadata.name, `198.18.20.${ip++}`);
      const stop = autoKubelet(rest(), [ns], (_p, plan) => JSON.stringify(resultFor(plan as Plan, observed[name] as OutcomeRule)));
      try {
        apply(readFileSync(join(dir, "diagnosis.yaml"), "utf8"));
        const s = await waitCompleted(rest(), ns, diag.metadata.name, undefined, 30_000);
        assert.deepEqual(checkExpect(expect, s), [], `status: ${JSON.stringify({ rootCause: s.rootCause, findings: s.findings?.map((f) => f.code) })}`);
      } finally {
        stop();
        await resetNamespace(rest(), ns);
      }
    });
  }
});
