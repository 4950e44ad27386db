/**
 * Parses the references of `netdiag run` into NetworkDiagnosis spec parts. Pure.
 *   --to svc/backend:80 | svc/backend.shop:http | https://host/path | host:port
 *   --from deploy/frontend | statefulset/x | daemonset/x | pod/x | app=frontend,tier=web
 *
 * @module
 */
import { parseHttpUrl, type SpecInput } from "../api/spec.ts";

type TargetInput = SpecInput["targets"][number];

export class RefError extends Error {}

const sanitize = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40) || "target";

/** A target from a --to reference; `blocked` asserts a deny. */
export function parseTarget(ref: string, blocked = false): TargetInput {
  const expect = blocked ? { expect: "Blocked" as const } : {};
  if (/^https?:\/\//.test(ref)) {
    const u = parseHttpUrl(ref);
    if (!u.ok) throw new RefError(`--to ${ref}: the URL is not usable: ${u.problem}`);
    return { name: sanitize(u.url.hostname.split(".")[0] ?? "url"), url: ref, ...expect };
  }
  const svc = /^(?:svc|service|services)\/([a-z0-9-]+)(?:\.([a-z0-9-]+))?(?::([a-z0-9-]+))?$/.exec(ref);
  if (svc) {
    const [, name, namespace, port] = svc as unknown as [string, string, string | undefined, string | undefined];
    if (!port) throw new RefError(`--to ${ref}: give the Service port, e.g. svc/${name}:80 or svc/${name}:http`);
    return { name: sanitize(name), service: { name, ...(namespace ? { namespace } : {}), port: /^\d+$/.test(port) ? Number(port) : port }, ...expect };
  }
  const hp = /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(ref);
  if (hp) {
    const [, host, port] = hp as unknown as [string, string, string];
    return { name: sanitize(host.split(".")[0] ?? host), host, port: Number(port), ...expect };
  }
  throw new RefError(`--to ${ref}: use svc/NAME[.NAMESPACE]:PORT, an http(s):// URL, or HOST:PORT`);
}

export type SourceRef =
  | { kind: "workload"; resource: "deployments" | "statefulsets" | "daemonsets"; name: string }
  | { kind: "pod"; name: string }
  | { kind: "labels"; labels: Record<string, string> };

/** Parses a --from reference. */
export function parseSource(ref: string): SourceRef {
  const m = /^(deploy|deployment|deployments|sts|statefulset|statefulsets|ds|daemonset|daemonsets|po|pod|pods)\/([a-z0-9.-]+)$/.exec(ref);
  if (m) {
    const [, kind, name] = m as unknown as [string, string, string];
    if (kind.startsWith("po")) return { kind: "pod", name };
    const resource = kind.startsWith("deploy") ? "deployments" : kind.startsWith("s") ? "statefulsets" : "daemonsets";
    return { kind: "workload", resource, name };
  }
  const pairs = ref.split(",").map((p) => p.split("="));
  if (pairs.length > 0 && pairs.every((p) => p.length === 2 && p[0] && p[1] !== undefined)) {
    return { kind: "labels", labels: Object.fromEntries(pairs as [string, string][]) };
  }
  throw new RefError(`--from ${ref}: use deploy/NAME, statefulset/NAME, daemonset/NAME, pod/NAME or key=value[,key=value]`);
}

/**
 * `--inside [CONTAINER]`: probe from inside the --from pod (spec.source.pod, an ephemeral
 * container; docs/adr/0014-probe-in-pod.md). Only a pod can be entered.
 */
export function insideSource(from: string | undefined, container: string | true): { pod: { name: string; container?: string } } {
  const ref = from ? parseSource(from) : undefined;
  if (ref?.kind !== "pod") throw new RefError("--inside probes from inside one pod: give it as --from pod/NAME (kubectl get pods)");
  return { pod: { name: ref.name, ...(typeof container === "string" ? { container } : {}) } };
}

/** Unique target names (a suffix when two refs map to the same name). */
export function uniqueNames(targets: TargetInput[]): TargetInput[] {
  const seen = new Map<string, number>();
  return targets.map((t) => {
    const n = (seen.get(t.name) ?? 0) + 1;
    seen.set(t.name, n);
    return n === 1 ? t : { ...t, name: `${t.name}-${n}` };
  });
}
