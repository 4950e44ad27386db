/**
 * Port wiring: a Service port by number or name, its targetPort, and the container port
 * a targetPort lands on in a given pod (numeric, or named and resolved per pod).
 *
 * @module
 */
import type { Pod, Service, ServicePort } from "./snapshot.ts";

/** The Service port a target names (by number or by name); undefined when absent. */
export function findServicePort(svc: Service, port: number | string): ServicePort | undefined {
  const ports = svc.spec?.ports ?? [];
  return typeof port === "number" ? ports.find((p) => p.port === port) : ports.find((p) => p.name === port);
}

/** targetPort defaults to port. */
export function targetPortOf(sp: ServicePort): number | string {
  return sp.targetPort ?? sp.port;
}

/** The container port a targetPort lands on in this pod; undefined for an unknown name. */
export function containerPortFor(pod: Pod, targetPort: number | string, protocol = "TCP"): number | undefined {
  if (typeof targetPort === "number") return targetPort;
  if (/^\d+$/.test(targetPort)) return Number(targetPort);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === targetPort && (p.protocol ?? "TCP").toUpperCase() === protocol.toUpperCase()) return p.containerPort;
    }
  }
  return undefined;
}

/** Every port the pod's containers declare, e.g. [8443]. */
export function declaredPorts(pod: Pod): number[] {
  return (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
}
