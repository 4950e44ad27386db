/**
 * TargetPortMismatch and NamedPortNotFound: does the Service's targetPort land on a port
 * the selected containers declare? A numeric targetPort is judged only against pods
 * that declare ports at all (declaring is optional in Kubernetes); a named targetPort
 * must be declared, or the endpoint is never created.
 *
 * @module
 */
import type { TargetAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";
import { containerPortFor, declaredPorts, targetPortOf } from "../../model/ports.ts";

export const targetPortDeclared: TargetAnalyzer = (ctx) => {
  const svc = ctx.service;
  const sp = ctx.servicePort;
  if (!svc || !sp || ctx.backends.length === 0) return [];
  const tp = targetPortOf(sp);
  const id = `Service ${svc.metadata.namespace ?? "default"}/${svc.metadata.name} port ${sp.port}`;
  const names = (pods: typeof ctx.backends) =>
    pods
      .slice(0, 5)
      .map((p) => p.metadata.name)
      .join(", ");
  if (typeof tp === "string" && !/^\d+$/.test(tp)) {
    const missing = ctx.backends.filter((p) => containerPortFor(p, tp, sp.protocol) === undefined);
    if (missing.length === 0) return [];
    const all = missing.length === ctx.backends.length;
    const declared = [
      ...new Set(
        missing.flatMap((p) =>
          (p.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((cp) => `${cp.containerPort}${cp.name ? ` (${cp.name})` : " (unnamed)"}`)),
        ),
      ),
    ];
    return [
      finding("NamedPortNotFound", all ? "Critical" : "Warning", {
        target: ctx.target.name,
        message: `${id} has targetPort "${tp}", but no container of ${all ? "the selected pods" : `pods ${names(missing)}`} declares a port named ${tp}${declared.length ? `; they declare ${declared.join(", ")}` : ""}`,
        remediation: `Name the container port "${tp}" or set targetPort to the container's port number`,
        escalateTo: "App",
      }),
    ];
  }
  const port = Number(tp);
  const declaring = ctx.backends.filter((p) => declaredPorts(p).length > 0);
  const wrong = declaring.filter((p) => !declaredPorts(p).includes(port));
  if (wrong.length === 0) return [];
  const declared = [...new Set(wrong.flatMap(declaredPorts))];
  const all = wrong.length === ctx.backends.length;
  return [
    finding("TargetPortMismatch", all ? "Critical" : "Warning", {
      target: ctx.target.name,
      message: `${id} sends to targetPort ${port} but containers declare ${declared.join(", ")} (${all ? "all selected pods" : "pods"}: ${names(wrong)})`,
      evidence: wrong
        .slice(0, 5)
        .map(
          (p) =>
            `${p.metadata.name}: ${(p.spec?.containers ?? []).map((c) => `${c.name} declares ${(c.ports ?? []).map((cp) => cp.containerPort).join(", ") || "no ports"}`).join("; ")}`,
        ),
      remediation: `Set targetPort to ${declared[0]} (the port the app listens on), or make the app listen on ${port}`,
      escalateTo: "App",
    }),
  ];
};
