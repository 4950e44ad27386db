/**
 * Node inspection within a run (docs/adr/0013-node-inspection.md): which nodes to inspect
 * (those of the target pods in the diagnosis' own namespace and of this run's probe
 * pods), one node probe pod per node in the operator's namespace, their results read
 * like probe results, and the target sockets they found keyed "namespace/pod" for the
 * analyzers. A node probe that fails becomes a note for the verdict, never a retry.
 *
 * @module
 */
import type { TargetSockets } from "../analyzers/context.ts";
import type { NodeInspection } from "../api/node-inspection.ts";
import type { Spec } from "../api/spec.ts";
import { AlreadyExistsError } from "../k8s/errors.ts";
import type { Obj, Rest } from "../k8s/rest.ts";
import { findServicePort } from "../model/ports.ts";
import { resolveTarget } from "../model/resolve.ts";
import { compileSelector } from "../model/selector.ts";
import { indexSnapshot } from "../model/snapshot-index.ts";
import type { Pod, Snapshot } from "../model/snapshot.ts";
import { parseNodeInspection, socketsByUid } from "../probe/node-inspection.ts";
import { classifyProbePod, type ProbePodView } from "./collect.ts";
import { buildNodeProbePod, nodeProbePodName } from "./node-probe-pod.ts";
import { refusalOf } from "./refusal.ts";

export interface NodeInspectionSetting {
  /** The operator's namespace: node probes run there and nowhere else. */
  namespace: string;
  script: string;
  /** Also read kube-proxy's rules (the node probe gets NET_ADMIN + NET_RAW; ADR 0013). */
  rules?: boolean;
}

/** The pods of the diagnosis' own namespace that its Service targets select. */
export function ownTargetPods(namespace: string, spec: Spec, snapshot: Snapshot): Pod[] {
  const out = new Map<string, Pod>();
  for (const t of spec.targets) {
    if (!t.service || (t.service.namespace ?? namespace) !== namespace) continue;
    const svc = (snapshot.services ?? []).find((s) => s.metadata.namespace === namespace && s.metadata.name === t.service?.name);
    const sel = svc?.spec?.selector;
    if (!sel || Object.keys(sel).length === 0) continue;
    const m = compileSelector({ matchLabels: sel });
    for (const p of snapshot.pods ?? []) if (p.metadata.namespace === namespace && m.matches(p.metadata.labels)) out.set(p.metadata.name, p);
  }
  return [...out.values()];
}

/**
 * The ClusterIP, port and protocol of each target's Service, whose kube-proxy rule the node
 * probes look up (only with the rules setting). A Service in another namespace is included:
 * its ClusterIP is what the diagnosis' own probe connects to, and findings about it are
 * redacted like any other (tenancy.ts). Headless Services have no rule to look for.
 */
export function serviceVips(namespace: string, spec: Spec, snapshot: Snapshot): { ip: string; port: number; protocol: string }[] {
  const idx = indexSnapshot(snapshot);
  const out = new Map<string, { ip: string; port: number; protocol: string }>();
  for (const t of spec.targets) {
    const ref = resolveTarget(t, namespace, idx).service;
    if (!ref) continue;
    const svc = (snapshot.services ?? []).find((s) => s.metadata.namespace === ref.namespace && s.metadata.name === ref.name);
    const ip = svc?.spec?.clusterIP;
    const sp = svc ? findServicePort(svc, ref.port) : undefined;
    if (!ip || ip === "None" || !sp?.port) continue;
    const v = { ip, port: sp.port, protocol: (sp.protocol ?? "TCP").toUpperCase() };
    out.set(`${v.ip}/${v.port}/${v.protocol}`, v);
  }
  return [...out.values()].slice(0, 32);
}

/** The pod IPs of the own namespace's target pods: the node probes look up their routes. */
export function targetPodIps(targets: readonly Pod[]): string[] {
  return [...new Set(targets.flatMap((p) => (p.status?.podIP ? [p.status.podIP] : [])))].slice(0, 16);
}

/** Node -> uids of the target pods on it; nodes of the run's probe pods are inspected too (their uid list may be empty). */
export function nodesToInspect(targets: readonly Pod[], probeNodes: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of targets) {
    const n = p.spec?.nodeName;
    const uid = p.metadata.uid;
    if (!n) continue;
    const list = out.get(n) ?? [];
    if (uid && !list.includes(uid)) list.push(uid);
    out.set(n, list);
  }
  for (const n of probeNodes) if (!out.has(n)) out.set(n, []);
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)).slice(0, 16));
}

export interface NodeInspectionOutcome {
  pending: boolean;
  inspections: NodeInspection[];
  sockets: TargetSockets;
  failures: { node: string; message: string }[];
}

export async function inspectNodes(o: {
  rest: Pick<Rest, "create">;
  pods: readonly Obj[];
  setting: NodeInspectionSetting;
  diagnosis: { name: string; namespace: string; uid: string };
  runId: string;
  image: string;
  nodes: Map<string, string[]>;
  targets: readonly Pod[];
  /** Target ClusterIPs whose kube-proxy rules are read (with setting.rules). */
  services?: { ip: string; port: number; protocol: string }[];
  now: number;
  deadline: number;
}): Promise<NodeInspectionOutcome> {
  const out: NodeInspectionOutcome = { pending: false, inspections: [], sockets: {}, failures: [] };
  const byName = new Map(
    o.pods.filter((p) => p.metadata?.namespace === o.setting.namespace).map((p) => [String(p.metadata?.name), p as unknown as ProbePodView]),
  );
  for (const [node, uids] of o.nodes) {
    const name = nodeProbePodName(o.runId, node);
    const pod = byName.get(name);
    if (!pod) {
      const spec = buildNodeProbePod({
        namespace: o.setting.namespace,
        diagnosis: o.diagnosis,
        runId: o.runId,
        node,
        podUids: uids,
        image: o.image,
        script: o.setting.script,
        routes: targetPodIps(o.targets),
        ...(o.setting.rules ? { rules: true, services: o.services ?? [] } : {}),
      });
      try {
        await o.rest.create(`/api/v1/namespaces/${o.setting.namespace}/pods`, spec);
        out.pending = true;
      } catch (err) {
        if (err instanceof AlreadyExistsError) out.pending = true;
        else out.failures.push({ node, message: refusalOf(err) ?? `the node probe could not be created: ${err instanceof Error ? err.message : String(err)}` });
      }
      continue;
    }
    const c = classifyProbePod(pod, { now: o.now, pendingTimeoutMs: 60_000, deadline: o.deadline });
    if (c.kind === "pending") {
      out.pending = true;
      continue;
    }
    if (c.kind === "failure") {
      out.failures.push({ node, message: c.message });
      continue;
    }
    const r = parseNodeInspection(c.message);
    if (!r.ok) {
      out.failures.push({ node, message: r.error });
      continue;
    }
    out.inspections.push(r.inspection);
    // sockets only of the diagnosis' own pods (uids it sent): the tenancy rule
    const byUid = socketsByUid(r.inspection);
    for (const p of o.targets) {
      const s = p.metadata.uid ? byUid.get(p.metadata.uid) : undefined;
      if (s && uids.includes(p.metadata.uid ?? "")) out.sockets[`${p.metadata.namespace}/${p.metadata.name}`] = s;
    }
  }
  return out;
}
