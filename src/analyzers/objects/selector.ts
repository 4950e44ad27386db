/**
 * ServiceSelectorMatchesNoPods, with a did-you-mean over the namespace's pod labels:
 * for each selector key, the pods that satisfy the rest of the selector are candidates;
 * the suggestion is a near value by edit distance, else a value whose pods declare the
 * Service's targetPort.
 *
 * @module
 */
import type { Pod } from "../../model/snapshot.ts";
import type { TargetAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";
import { labelsText } from "../../model/selector.ts";
import { containerPortFor, declaredPorts, targetPortOf } from "../../model/ports.ts";
import { editDistance } from "./edit-distance.ts";

const own = (m: Readonly<Record<string, string>>, k: string): string | undefined => (Object.hasOwn(m, k) ? m[k] : undefined);

interface Candidate {
  value: string;
  pods: Pod[];
  declaresPort: boolean;
  distance: number;
}

function candidates(pods: readonly Pod[], selector: Record<string, string>, key: string, targetPort: number | string | undefined): Candidate[] {
  const byValue = new Map<string, Pod[]>();
  for (const p of pods) {
    // own properties only: a label key such as "constructor" must not find Object.prototype's
    const l = p.metadata.labels ?? {};
    const v = own(l, key);
    if (v === undefined || v === own(selector, key)) continue;
    if (!Object.entries(selector).every(([k, want]) => k === key || own(l, k) === want)) continue;
    byValue.set(v, [...(byValue.get(v) ?? []), p]);
  }
  return [...byValue].map(([value, ps]) => ({
    value,
    pods: ps,
    distance: editDistance(value, own(selector, key) ?? ""),
    declaresPort:
      targetPort !== undefined &&
      ps.some((p) => (typeof targetPort === "string" ? containerPortFor(p, targetPort) !== undefined : declaredPorts(p).includes(targetPort))),
  }));
}

function pods(n: number): string {
  return n === 1 ? "1 pod carries" : `${n} pods carry`;
}

export const selectorMatchesPods: TargetAnalyzer = (ctx) => {
  const svc = ctx.service;
  const selector = svc?.spec?.selector;
  if (!svc || !selector || Object.keys(selector).length === 0 || ctx.backends.length > 0) return [];
  const ns = svc.metadata.namespace ?? "default";
  const nsPods = ctx.idx.podsByNamespace.get(ns) ?? [];
  const tp = ctx.servicePort ? targetPortOf(ctx.servicePort) : undefined;
  const all = Object.keys(selector).flatMap((k) => candidates(nsPods, selector, k, tp).map((c) => ({ key: k, ...c })));
  const near = (c: (typeof all)[number]) => c.distance <= Math.max(2, Math.floor((own(selector, c.key) ?? "").length / 3));
  all.sort(
    (a, b) => Number(near(b)) - Number(near(a)) || Number(b.declaresPort) - Number(a.declaresPort) || a.distance - b.distance || b.pods.length - a.pods.length,
  );
  const best = all[0];
  const close = best && (near(best) || best.declaresPort);
  const sel = labelsText(selector);
  let message = `Service ${ns}/${svc.metadata.name} selects ${sel} but no pod carries it`;
  if (best) {
    message += `; ${pods(best.pods.length)} ${best.key}=${best.value}`;
    if (best.declaresPort) message += ` (and declare${best.pods.length === 1 ? "s" : ""} targetPort ${tp})`;
    if (close) message += ` — did you mean ${best.key}=${best.value}?`;
  } else {
    message += nsPods.length === 0 ? `; namespace ${ns} has no pods` : "";
  }
  const evidence = all.slice(0, 5).map(
    (c) =>
      `${pods(c.pods.length)} ${c.key}=${c.value}: ${c.pods
        .slice(0, 3)
        .map((p) => p.metadata.name)
        .join(", ")}`,
  );
  return [
    finding("ServiceSelectorMatchesNoPods", "Critical", {
      target: ctx.target.name,
      message,
      evidence: [`Service selector: ${sel}`, ...evidence],
      remediation:
        close && best
          ? `Set the Service selector to ${best.key}=${best.value} (or relabel the pods)`
          : `Make the Service selector ${sel} match the labels of the pods that should serve it`,
      escalateTo: "App",
    }),
  ];
};
