/**
 * NamespaceNotFound: the target's namespace does not exist. Judged only when the
 * snapshot lists namespaces at all.
 *
 * @module
 */
import type { TargetAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";

export const namespaceExists: TargetAnalyzer = (ctx) => {
  const ref = ctx.resolved.service;
  if (!ref || ctx.idx.namespaces.size === 0 || ctx.idx.namespaces.has(ref.namespace)) return [];
  return [
    finding("NamespaceNotFound", "Critical", {
      target: ctx.target.name,
      message: `Namespace ${ref.namespace} does not exist, so Service ${ref.namespace}/${ref.name} cannot exist either`,
      // never list the cluster's namespaces: that is not this namespace's business (docs/security.md)
      remediation: `Check the namespace of target ${ctx.target.name} (kubectl get namespaces shows the ones you may see)`,
      escalateTo: "User",
    }),
  ];
};
