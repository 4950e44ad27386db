/**
 * Pod state in words: Ready or not, why a pod is not running (CrashLoopBackOff,
 * ImagePullBackOff, Pending with the scheduler's reason), and what its readiness probe
 * checks.
 *
 * @module
 */
import type { Container, ContainerProbe, Pod } from "./snapshot.ts";

/** Ready condition True (or, without conditions, every container ready). */
export function isReady(pod: Pod): boolean {
  const cond = pod.status?.conditions?.find((c) => c.type === "Ready");
  if (cond) return cond.status === "True";
  const cs = pod.status?.containerStatuses ?? [];
  return pod.status?.phase === "Running" && cs.length > 0 && cs.every((c) => c.ready === true);
}

/** Why the pod does not run, or undefined when it runs. */
export function notRunningReason(pod: Pod): string | undefined {
  if (pod.metadata.deletionTimestamp) return "Terminating";
  for (const c of pod.status?.containerStatuses ?? []) {
    const w = c.state?.waiting;
    if (w?.reason && w.reason !== "ContainerCreating" && w.reason !== "PodInitializing") {
      const restarts = c.restartCount ? `, ${c.restartCount} restarts` : "";
      return `${w.reason} (container ${c.name}${restarts}${w.message ? `: ${w.message}` : ""})`;
    }
    const t = c.state?.terminated;
    if (t && pod.status?.phase !== "Succeeded") return `${t.reason ?? "Terminated"} (container ${c.name}, exit code ${t.exitCode ?? "?"})`;
  }
  const phase = pod.status?.phase;
  if (phase === "Pending") {
    const sched = pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False");
    return `Pending${sched ? ` (${sched.reason ?? "Unschedulable"}: ${sched.message ?? ""})` : pod.status?.reason ? ` (${pod.status.reason})` : ""}`;
  }
  if (phase === "Failed" || phase === "Unknown") return `${phase}${pod.status?.reason ? ` (${pod.status.reason})` : ""}`;
  return undefined;
}

/** A probe in words, e.g. "tcpSocket :8081" or "httpGet :8080/healthz". */
export function probeText(p: ContainerProbe): string {
  if (p.tcpSocket) return `tcpSocket :${p.tcpSocket.port}`;
  if (p.httpGet) return `httpGet :${p.httpGet.port}${p.httpGet.path ?? "/"}`;
  if (p.grpc) return `grpc :${p.grpc.port}`;
  if (p.exec) return `exec ${(p.exec.command ?? []).join(" ")}`;
  return "probe";
}

/** The port a probe checks, when it checks one. */
export function probePort(p: ContainerProbe): number | string | undefined {
  return p.tcpSocket?.port ?? p.httpGet?.port ?? p.grpc?.port;
}

/** "readiness probe tcpSocket :8081 of container x (the container declares only 8080)". */
export function readinessText(c: Container): string | undefined {
  const rp = c.readinessProbe;
  if (!rp) return undefined;
  const port = probePort(rp);
  const declared = (c.ports ?? []).map((p) => p.containerPort);
  const names = (c.ports ?? []).map((p) => p.name);
  const off = port !== undefined && declared.length > 0 && !declared.includes(Number(port)) && !names.includes(String(port));
  return `readiness probe ${probeText(rp)} of container ${c.name}${off ? ` (the container declares only ${declared.join(", ")})` : ""}`;
}
