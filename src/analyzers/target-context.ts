/**
 * Builds the TargetContext of one target: resolves the Service and port it designates,
 * the pods behind it, the probe observations for it and the static policy verdicts of
 * its path — once, so each analyzer stays a few lines.
 *
 * @module
 */
import type { NodeInspection } from "../api/node-inspection.ts";
import type { Spec, Target } from "../api/spec.ts";
import type { FlowPeer } from "../policy/flow.ts";
import { compileSelector } from "../model/selector.ts";
import type { NamespaceHints, Observation, ProbeReport, TargetContext, TargetSockets } from "./context.ts";
import { pathFlows } from "./path-flows.ts";
import { findServicePort } from "../model/ports.ts";
import { foreignNamespace, resolveTarget } from "../model/resolve.ts";
import { type IndexedSnapshot, key } from "../model/snapshot-index.ts";
import type { Pod } from "../model/snapshot.ts";

export interface TargetContextInput {
  idx: IndexedSnapshot;
  namespace: string;
  spec: Spec;
  target: Target;
  clusterDomain: string;
  now: Date;
  source: FlowPeer;
  probes: readonly ProbeReport[];
  targetSockets?: TargetSockets | undefined;
  nodeInspections?: readonly NodeInspection[] | undefined;
  namespaceHints: NamespaceHints;
}

function observationsOf(probes: readonly ProbeReport[], name: string): Observation[] {
  const out: Observation[] = [];
  for (const r of probes) {
    const t = r.result?.targets.find((x) => x.name === name);
    const node = r.node ?? r.result?.node ?? undefined;
    for (const check of t?.checks ?? []) out.push(node === undefined ? { probe: r.pod, check } : { probe: r.pod, node, check });
  }
  return out;
}

export function buildTargetContext(i: TargetContextInput): TargetContext {
  const resolved = resolveTarget(i.target, i.namespace, i.idx, i.clusterDomain);
  const ref = resolved.service;
  const service = ref ? i.idx.services.get(key(ref.namespace, ref.name)) : undefined;
  const servicePort = service && ref ? findServicePort(service, ref.port) : undefined;
  const selector = service?.spec?.selector;
  let backends: Pod[] = [];
  if (service && selector && Object.keys(selector).length > 0 && service.spec?.type !== "ExternalName") {
    const m = compileSelector({ matchLabels: selector });
    backends = (i.idx.podsByNamespace.get(ref?.namespace ?? "") ?? []).filter((p) => m.matches(p.metadata.labels) && p.status?.phase !== "Succeeded");
  }
  // another namespace's pod addresses never reach this namespace's analysis (tenancy rule;
  // the operator's plan holds none, an older or forged result might)
  const foreign = foreignNamespace(resolved, i.namespace) !== undefined;
  const observations = observationsOf(i.probes, i.target.name).filter((o) => !foreign || o.check.detail.input?.["role"] !== "endpoint");
  const ctx: TargetContext = {
    idx: i.idx,
    namespace: i.namespace,
    spec: i.spec,
    clusterDomain: i.clusterDomain,
    now: i.now,
    target: i.target,
    resolved,
    backends,
    source: i.source,
    observations,
    probed: i.probes.some((r) => r.result?.targets.some((t) => t.name === i.target.name)),
    path: pathFlows({ idx: i.idx, resolved, service, servicePort, backends, source: i.source, observations }),
    found: [],
    namespaceHints: i.namespaceHints,
  };
  if (service) ctx.service = service;
  if (servicePort) ctx.servicePort = servicePort;
  if (i.targetSockets) ctx.targetSockets = i.targetSockets;
  if (i.nodeInspections?.length) ctx.nodeInspections = i.nodeInspections;
  return ctx;
}
