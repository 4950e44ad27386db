/**
 * Canned probe results in the probe contract's shape, built from the plan the operator
 * really put into the probe pod (env NETDIAG_PLAN): the test decides each check's
 * outcome, as a real probe would observe it in the scenario.
 *
 * @module
 */
import type { Rest } from "../../src/k8s/rest.ts";

export interface PlanCheck {
  check: string;
  [k: string]: unknown;
}
export interface Plan {
  version: number;
  runId: string;
  targets: { name: string; checks: PlanCheck[] }[];
}

export type OutcomeRule = (target: string, c: PlanCheck) => { outcome: string; detail?: Record<string, unknown> };

export const allOk: OutcomeRule = (_t, c) => {
  switch (c.check) {
    case "dns":
      return { outcome: "ok", detail: { addresses: ["198.19.0.42"], queryTimeMs: 2 } };
    case "http":
      return { outcome: "ok", detail: { status: 200, timings: { dns: 1, connect: 1, tls: 0, firstByte: 3, total: 4 }, bodyExcerpt: "ok" } };
    case "tcp":
      return { outcome: "ok", detail: { connectMs: 1 } };
    default:
      return { outcome: "ok", detail: {} };
  }
};

export function resultFor(plan: Plan, rule: OutcomeRule): Record<string, unknown> {
  return {
    version: 1,
    runId: plan.runId,
    node: "lab-node-1",
    podIP: "198.18.0.250",
    context: { resolvConf: { nameservers: ["198.19.0.10"], search: ["svc.cluster.local", "cluster.local"], ndots: 5 } },
    targets: plan.targets.map((t) => ({
      name: t.name,
      checks: t.checks.map((c) => {
        const { outcome, detail } = rule(t.name, c);
        return { check: c.check, outcome, durationMs: outcome === "timeout" || outcome === "dns-timeout" ? 3000 : 2, detail: { ...(detail ?? {}), input: c } };
      }),
    })),
  };
}

export async function planOf(rest: Rest, ns: string, pod: string): Promise<Plan> {
  const p = await rest.get<{ spec: { containers: { env?: { name: string; value?: string }[] }[] } }>(`/api/v1/namespaces/${ns}/pods/${pod}`);
  const v = p.spec.containers[0]?.env?.find((e) => e.name === "NETDIAG_PLAN")?.value;
  if (!v) throw new Error(`probe pod ${ns}/${pod} has no NETDIAG_PLAN`);
  return JSON.parse(v) as Plan;
}
