/**
 * `netdiag watch <namespace>/<name> [--timeout S]`: follows a NetworkDiagnosis on the
 * cluster of $KUBECONFIG — run started, each probe pod's progress, the verdict — and
 * prints the report. Exit 0 healthy, 1 unhealthy or unknown, 2 bad input or timeout.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { Group, Plural, Version } from "../api/group.ts";
import type { Status } from "../api/status.ts";
import { Rest } from "../k8s/rest.ts";
import type { CommandResult } from "./analyze.ts";
import { statusReport } from "./status-report.ts";

interface PodBrief {
  metadata: { name: string };
  spec?: { nodeName?: string };
  status?: { phase?: string; containerStatuses?: { state?: Record<string, { reason?: string }> }[] };
}

function podLine(p: PodBrief): string {
  const st = p.status?.containerStatuses?.[0]?.state ?? {};
  const [state, detail] = Object.entries(st)[0] ?? ["pending", {}];
  return `probe ${p.metadata.name}${p.spec?.nodeName ? ` on ${p.spec.nodeName}` : ""}: ${p.status?.phase ?? "Pending"} (${state}${detail?.reason ? ` ${detail.reason}` : ""})`;
}

export async function runWatch(argv: readonly string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<CommandResult> {
  let values: { timeout?: string; "after-run"?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { timeout: { type: "string" }, "after-run": { type: "string" } },
    }));
  } catch (e) {
    return { code: 2, stdout: "", stderr: `netdiag watch: ${(e as Error).message}\n` };
  }
  const [ns, name] = (positionals[0] ?? "").split("/");
  if (!ns || !name) return { code: 2, stdout: "", stderr: "netdiag watch: give the diagnosis as <namespace>/<name>\n" };
  if (!process.env.KUBECONFIG) return { code: 2, stdout: "", stderr: "netdiag watch: set KUBECONFIG to the cluster's kubeconfig\n" };
  const kc = new KubeConfig();
  kc.loadFromFile(process.env.KUBECONFIG);
  const rest = new Rest(kc);
  const path = `/apis/${Group}/${Version}/namespaces/${ns}/${Plural}/${name}`;
  const end = Date.now() + Number(values.timeout ?? 180) * 1000;
  const said = new Set<string>();
  const say = (l: string) => {
    if (!said.has(l)) {
      said.add(l);
      out(`  ${new Date().toISOString().slice(11, 19)}  ${l}`);
    }
  };
  for (;;) {
    let s: Status | undefined;
    try {
      s = (await rest.get<{ status?: Status }>(path)).status;
    } catch (e) {
      say(`waiting for ${ns}/${name}: ${(e as Error).message}`);
    }
    const run = s?.activeRun;
    if (run) {
      say(`run ${run.id} started (${run.trigger ?? "?"})`);
      try {
        const pods = await rest.list<PodBrief>(`/api/v1/namespaces/${ns}/pods`, { labelSelector: `netdiag.dev/run-id=${run.id}` });
        for (const p of pods.items) say(podLine(p));
      } catch {}
    }
    const done = s?.conditions?.find((c) => c.type === "Completed");
    if (done?.status === "False" && done.reason === "InvalidSpec") return { code: 2, stdout: "", stderr: `invalid spec: ${done.message}\n` };
    if (!run && done?.status === "True" && s?.lastRun?.id !== values["after-run"]) {
      say(`run ${s?.lastRun?.id} finished in ${s?.lastRun?.durationSeconds}s`);
      const healthy = s?.conditions?.find((c) => c.type === "Healthy")?.status === "True";
      return { code: healthy ? 0 : 1, stdout: `\n${statusReport(`${ns}/${name}`, s)}`, stderr: "" };
    }
    if (Date.now() > end) return { code: 2, stdout: "", stderr: `netdiag watch: ${ns}/${name} did not complete in time\n` };
    await new Promise((r) => setTimeout(r, 300));
  }
}
