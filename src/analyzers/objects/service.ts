/**
 * ServiceNotFound, ShortNameCrossNamespace and ServicePortNotFound: does the Service the
 * target names exist, where the client looks for it, with the port asked for? A short
 * name resolves only in the client's own namespace; when a Service of that name lives
 * in another namespace, the fix is `<name>.<namespace>` or the FQDN.
 *
 * Tenancy (docs/security.md): which namespaces hold a Service of that name is not the
 * diagnosis' business unless the admin says so — a finding names another namespace only
 * when it is labelled netdiag.dev/discoverable=true or the operator runs with
 * --namespace-hints=all; otherwise it says that the name exists elsewhere, not where.
 *
 * @module
 */
import type { Finding } from "../../api/status.ts";
import { Labels } from "../../api/group.ts";
import type { TargetAnalyzer, TargetContext } from "../context.ts";
import { finding } from "../finding.ts";

/** May a finding of this diagnosis name namespace `ns`? */
function nameable(ctx: TargetContext, ns: string): boolean {
  return ns === ctx.namespace || ctx.namespaceHints === "all" || ctx.idx.namespaces.get(ns)?.metadata.labels?.[Labels.Discoverable] === "true";
}

export const serviceExists: TargetAnalyzer = (ctx) => {
  const ref = ctx.resolved.service;
  if (!ref || ctx.service || (!ctx.idx.namespaces.has(ref.namespace) && ctx.idx.namespaces.size > 0)) return [];
  const others = (ctx.idx.servicesByName.get(ref.name) ?? []).map((s) => s.metadata.namespace ?? "default").filter((n) => n !== ref.namespace);
  const elsewhere = others.filter((n) => nameable(ctx, n));
  const out: Finding[] = [];
  const fqdn = (ns: string) => `${ref.name}.${ns}.svc.${ctx.clusterDomain}`;
  const crossNs = ref.form === "short" || (ref.form === "spec" && ctx.target.service?.namespace === undefined);
  if (others.length > 0 && elsewhere.length === 0 && crossNs) {
    out.push(
      finding("ShortNameCrossNamespace", "Critical", {
        target: ctx.target.name,
        message: `${ref.name} does not resolve from namespace ${ctx.namespace}: there is no Service ${ctx.namespace}/${ref.name}, but a Service of that name exists in another namespace; short names resolve only in the client's own namespace — use ${ref.name}.<namespace> or the FQDN ${fqdn("<namespace>")}`,
        remediation: `Address the Service as ${ref.name}.<namespace> with the namespace it lives in (its owners know it; this operator names only namespaces labelled ${Labels.Discoverable}=true)`,
        escalateTo: "App",
      }),
    );
  } else if (elsewhere.length > 0 && crossNs) {
    const other = elsewhere[0] ?? "";
    out.push(
      finding("ShortNameCrossNamespace", "Critical", {
        target: ctx.target.name,
        message: `${ref.name} does not resolve from namespace ${ctx.namespace}: there is no Service ${ctx.namespace}/${ref.name}, but Service ${other}/${ref.name} exists; short names resolve only in the client's own namespace — use ${ref.name}.${other} or the FQDN ${fqdn(other)}`,
        evidence: elsewhere.map((n) => `Service ${n}/${ref.name} exists`),
        remediation: `Address the Service as ${ref.name}.${other} (or ${fqdn(other)})${ctx.target.service ? `, or set service.namespace: ${other}` : ""}`,
        escalateTo: "App",
      }),
    );
  }
  if (ref.form === "short") return out; // a short name may also be a search-domain host
  out.push(
    finding("ServiceNotFound", "Critical", {
      target: ctx.target.name,
      message: `Service ${ref.namespace}/${ref.name} does not exist${elsewhere.length ? `; a Service of that name exists in ${elsewhere.join(", ")} — use ${ref.name}.${elsewhere[0]} or ${fqdn(elsewhere[0] ?? "")}` : others.length ? "; a Service of that name exists in another namespace" : ""}`,
      remediation: `Create the Service or fix the name of target ${ctx.target.name}`,
      escalateTo: "App",
    }),
  );
  return out;
};

export const servicePortExists: TargetAnalyzer = (ctx) => {
  const ref = ctx.resolved.service;
  if (!ref || !ctx.service || ctx.servicePort || ctx.service.spec?.type === "ExternalName") return [];
  const ports = (ctx.service.spec?.ports ?? []).map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port)));
  return [
    finding("ServicePortNotFound", "Critical", {
      target: ctx.target.name,
      message: `Service ${ref.namespace}/${ref.name} has no port ${ref.port}; it exposes ${ports.join(", ") || "no ports"}`,
      remediation: `Use one of the Service's ports (${ports.join(", ")}) or add port ${ref.port} to the Service`,
      escalateTo: "App",
    }),
  ];
};
