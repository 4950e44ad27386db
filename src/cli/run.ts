/**
 * `netdiag run [-n NS] [--from REF] --to REF [--to REF ...] [--blocked REF ...]`
 * (also `kubectl netdiag run`, via bin/kubectl-netdiag): creates a NetworkDiagnosis
 * from the references, follows it live and prints the report. The resource stays, so
 * `kubectl get netdiag` and Grafana keep its result.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { ControllerLabels } from "../analyzers/source.ts";
import { validateSpec } from "../api/diagnosis.ts";
import { ApiVersion, Group, Kind, Plural, Version } from "../api/group.ts";
import { Rest } from "../k8s/rest.ts";
import type { CommandResult } from "./analyze.ts";
import { parseSource, parseTarget, RefError, type SourceRef, uniqueNames } from "./run-refs.ts";
import { runWatch } from "./watch.ts";

async function sourceSelector(rest: Rest, ns: string, ref: SourceRef): Promise<Record<string, string>> {
  if (ref.kind === "labels") return ref.labels;
  if (ref.kind === "pod") {
    const p = await rest.get<{ metadata: { labels?: Record<string, string> } }>(`/api/v1/namespaces/${ns}/pods/${ref.name}`);
    return Object.fromEntries(Object.entries(p.metadata.labels ?? {}).filter(([k]) => !(ControllerLabels as readonly string[]).includes(k)));
  }
  const w = await rest.get<{ spec: { selector?: { matchLabels?: Record<string, string> } } }>(`/apis/apps/v1/namespaces/${ns}/${ref.resource}/${ref.name}`);
  const m = w.spec.selector?.matchLabels;
  if (!m || Object.keys(m).length === 0) throw new RefError(`${ref.resource}/${ref.name} has no matchLabels selector; use --from key=value`);
  return m;
}

export async function runRun(argv: readonly string[]): Promise<CommandResult> {
  let values: { namespace?: string; from?: string; to?: string[]; blocked?: string[]; name?: string; timeout?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        namespace: { type: "string", short: "n" },
        from: { type: "string" },
        to: { type: "string", multiple: true },
        blocked: { type: "string", multiple: true },
        name: { type: "string" },
        timeout: { type: "string" },
      },
    }));
  } catch (e) {
    return { code: 2, stdout: "", stderr: `netdiag run: ${(e as Error).message}\n` };
  }
  if (!process.env.KUBECONFIG) return { code: 2, stdout: "", stderr: "netdiag run: set KUBECONFIG to the cluster's kubeconfig\n" };
  const kc = new KubeConfig();
  kc.loadFromFile(process.env.KUBECONFIG);
  const ns = values.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? "default";
  const rest = new Rest(kc);
  let spec: Record<string, unknown>;
  try {
    const targets = uniqueNames([...(values.to ?? []).map((r) => parseTarget(r)), ...(values.blocked ?? []).map((r) => parseTarget(r, true))]);
    if (targets.length === 0) throw new RefError("give at least one --to (or --blocked) target");
    spec = { targets, ...(values.timeout ? { timeoutSeconds: Number(values.timeout) } : {}) };
    if (values.from) spec.source = { podSelector: { matchLabels: await sourceSelector(rest, ns, parseSource(values.from)) } };
  } catch (e) {
    return { code: 2, stdout: "", stderr: `netdiag run: ${(e as Error).message}\n` };
  }
  const v = validateSpec(spec);
  if (!v.ok) return { code: 2, stdout: "", stderr: `netdiag run: ${v.message}\n` };
  const name = values.name ?? `run-${randomBytes(3).toString("hex")}`;
  try {
    await rest.create(`/apis/${Group}/${Version}/namespaces/${ns}/${Plural}`, {
      apiVersion: ApiVersion,
      kind: Kind,
      metadata: { name, namespace: ns, labels: { "netdiag.dev/created-by": "netdiag-run" } },
      spec,
    });
  } catch (e) {
    return { code: 2, stdout: "", stderr: `netdiag run: ${(e as Error).message}\n` };
  }
  process.stdout.write(`networkdiagnosis ${ns}/${name} created\n`);
  const r = await runWatch([`${ns}/${name}`, "--timeout", String((v.spec.timeoutSeconds ?? 30) + 120)]);
  return { ...r, stdout: `${r.stdout}\n(kubectl -n ${ns} delete netdiag ${name} removes it)\n` };
}
