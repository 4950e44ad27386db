/**
 * The admin's policy over what a diagnosis may ask for (DESIGN.md §8, docs/security.md,
 * docs/adr/0008-admin-policy.md). Power belongs to the operator's configuration, not to
 * the spec: the probe image, node fan-out, the taints a probe may tolerate, control-plane
 * nodes and copying a live pod's labels are all decided here. Pure.
 *
 *   spec.probeImage       honoured only when on the allowlist; otherwise the default image
 *                         runs and the Admitted condition says why (the meaning of the run
 *                         does not change with the image)
 *   spec.source.nodes     only in namespaces the admin listed; otherwise the run is refused
 *                         (terminal, like an invalid spec): probing from one pod instead
 *                         would answer a different question
 *   spec.source.podSelector  only when the admin allows impersonation; otherwise refused
 *
 * @module
 */
import type { Spec } from "../api/spec.ts";
import type { NamespaceHints } from "../analyzers/context.ts";

export interface AdminPolicy {
  /** The image every probe runs unless the spec picks one on the allowlist. */
  defaultImage: string;
  /** Images a spec may pick: exact references, or a prefix ending in `*`. */
  imageAllowlist: readonly string[];
  /** Namespaces whose diagnoses may fan out to nodes (`*` = all). */
  nodeFanOutNamespaces: readonly string[];
  /** The operator's own namespace: always allowed to fan out. */
  operatorNamespace: string;
  /** Whether probes may stand on control-plane nodes. */
  allowControlPlaneNodes: boolean;
  /** Taints a probe may tolerate: `key` (any effect) or `key:Effect`. */
  tolerableTaints: readonly string[];
  /** Whether a probe may copy a live pod's labels (spec.source.podSelector). */
  allowImpersonation: boolean;
  /** Which other namespaces a finding may name (ShortNameCrossNamespace): labelled ones only, or all. */
  namespaceHints: NamespaceHints;
}

export const DefaultAdminPolicy = (defaultImage: string, operatorNamespace: string): AdminPolicy => ({
  defaultImage,
  imageAllowlist: [],
  nodeFanOutNamespaces: [],
  operatorNamespace,
  allowControlPlaneNodes: false,
  tolerableTaints: [],
  allowImpersonation: true,
  namespaceHints: "labelled",
});

export interface Admission {
  /** The image the probes run. */
  image: string;
  /** Something the spec asked for was replaced by the admin's default (the run goes on). */
  notice?: string;
  /** Something the spec asked for is not allowed: the run does not start. */
  refusal?: string;
}

/** True when `image` is on the allowlist (exact, or by a `prefix*` entry). */
export function imageAllowed(image: string, allowlist: readonly string[]): boolean {
  return allowlist.some((a) => (a.endsWith("*") ? image.startsWith(a.slice(0, -1)) : image === a));
}

/**
 * What the admin's policy makes of a spec in a namespace.
 * @example admit(spec, "shop", policy) // { image: "nicolaka/netshoot:v0.13", notice: "spec.probeImage ... is not on ..." }
 */
export function admit(spec: Pick<Spec, "probeImage" | "source">, namespace: string, p: AdminPolicy): Admission {
  const refusals: string[] = [];
  if (spec.source?.nodes && !fanOutAllowed(namespace, p)) {
    refusals.push(
      `spec.source.nodes (node fan-out) is not allowed in namespace ${namespace}: remove it, or ask a cluster admin to add ${namespace} to the operator's --node-fanout-namespaces (Helm value policy.nodeFanOutNamespaces)`,
    );
  }
  if (spec.source?.podSelector && !p.allowImpersonation) {
    refusals.push(
      "spec.source.podSelector (probing with a live pod's labels) is switched off by the operator's --allow-impersonation=false: remove it to probe as a plain probe pod",
    );
  }
  const want = spec.probeImage;
  const ok = want === undefined || want === p.defaultImage || imageAllowed(want, p.imageAllowlist);
  return {
    image: ok && want !== undefined ? want : p.defaultImage,
    ...(ok
      ? {}
      : {
          notice: `spec.probeImage ${JSON.stringify(want)} is not on the operator's probe image allowlist (--probe-image-allowlist); the default ${p.defaultImage} ran instead`,
        }),
    ...(refusals.length ? { refusal: refusals.join("; ") } : {}),
  };
}

function fanOutAllowed(namespace: string, p: AdminPolicy): boolean {
  return namespace === p.operatorNamespace || p.nodeFanOutNamespaces.includes("*") || p.nodeFanOutNamespaces.includes(namespace);
}

/** True when the node carries a control-plane role label. */
export function isControlPlane(labels: Readonly<Record<string, string>> | undefined): boolean {
  return !!labels && (Object.hasOwn(labels, "node-role.kubernetes.io/control-plane") || Object.hasOwn(labels, "node-role.kubernetes.io/master"));
}

/** True when the admin lets probes tolerate this taint. */
export function taintTolerable(t: { key: string; effect: string }, tolerable: readonly string[]): boolean {
  return tolerable.includes(t.key) || tolerable.includes(`${t.key}:${t.effect}`);
}
