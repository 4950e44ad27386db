/**
 * Shape checks for `netdiag analyze`: the fields the offline analyzers read, per kind,
 * with the types the API server would enforce (labels are strings, ports are numbers or
 * names, lists are lists). A manifest the API server would refuse is an InputError that
 * names the file, the object and the field to fix — never a crash deep in an analyzer,
 * never a silent skip that turns into a wrong verdict. Unknown fields pass untouched;
 * the objects themselves are not rewritten.
 *
 * @module
 */
import { z } from "zod";
import type { ManifestObject } from "../analyzers/offline/snapshot-from-objects.ts";
import { InputError } from "./analyze-load.ts";

/** Workloads synthesise one pod per replica offline; more than this is refused, not run. */
export const MAX_REPLICAS = 1000;

const str = z.string();
const strings = z.array(str).nullish();
const labels = z.record(str, z.string({ error: "expected a string: quote numbers and booleans" }), { error: "expected a map of string to string" }).nullish();
const intOrString = z.union([z.number().int(), str], { error: "expected a port number or a port name" });
const obj = <T extends z.core.$ZodLooseShape>(shape: T) => z.looseObject(shape).nullish();

const selector = obj({
  matchLabels: labels,
  matchExpressions: z.array(z.looseObject({ key: str, operator: str, values: strings })).nullish(),
});
const meta = z.looseObject({ name: str, namespace: str.optional(), labels, annotations: labels });
const probe = obj({
  tcpSocket: obj({ port: intOrString }),
  httpGet: obj({ port: intOrString, path: str.optional(), scheme: str.optional() }),
  grpc: obj({ port: z.number().int() }),
});
const container = z.looseObject({
  name: str,
  ports: z.array(z.looseObject({ containerPort: z.number().int(), name: str.optional(), protocol: str.optional() })).nullish(),
  readinessProbe: probe,
  args: strings,
  command: strings,
});
const podSpec = obj({ containers: z.array(container), nodeName: str.optional(), hostNetwork: z.boolean().optional() });
const template = obj({ metadata: obj({ labels, annotations: labels }), spec: podSpec });
const workload = z.looseObject({
  metadata: meta,
  spec: obj({
    replicas: z
      .number()
      .int()
      .min(0)
      .max(MAX_REPLICAS, { error: `at most ${MAX_REPLICAS}: the offline check synthesises one pod per replica` })
      .nullish(),
    selector,
    template,
  }),
});
const peer = z.looseObject({ podSelector: selector, namespaceSelector: selector, ipBlock: obj({ cidr: str, except: strings }) });
const npPort = z.looseObject({ protocol: str.optional(), port: intOrString.optional(), endPort: z.number().int().optional() });
const rule = (peers: "from" | "to") => z.array(z.looseObject({ [peers]: z.array(peer).nullish(), ports: z.array(npPort).nullish() })).nullish();
const conditions = z.array(z.looseObject({ type: str, status: str })).nullish();

/** What the analyzers read, per kind; other kinds need only a well-formed metadata. */
const KINDS: Record<string, z.ZodType> = {
  Namespace: z.looseObject({ metadata: meta }),
  NetworkDiagnosis: z.looseObject({ metadata: meta }),
  Service: z.looseObject({
    metadata: meta,
    spec: obj({
      type: str.optional(),
      selector: labels,
      ports: z.array(z.looseObject({ port: z.number().int(), targetPort: intOrString.optional(), name: str.optional(), protocol: str.optional() })).nullish(),
      clusterIP: str.optional(),
      clusterIPs: strings,
      externalName: str.optional(),
    }),
  }),
  EndpointSlice: z.looseObject({
    metadata: meta,
    endpoints: z
      .array(z.looseObject({ addresses: z.array(str), conditions: obj({}), targetRef: obj({ name: str.optional() }), nodeName: str.optional() }))
      .nullish(),
    ports: z.array(z.looseObject({ port: z.number().int().optional(), name: str.optional() })).nullish(),
  }),
  Pod: z.looseObject({
    metadata: meta,
    spec: podSpec,
    status: obj({ phase: str.optional(), podIP: str.optional(), conditions, containerStatuses: z.array(z.looseObject({ name: str })).nullish() }),
  }),
  NetworkPolicy: z.looseObject({
    metadata: meta,
    spec: obj({ podSelector: selector, policyTypes: strings, ingress: rule("from"), egress: rule("to") }),
  }),
  Node: z.looseObject({ metadata: meta, spec: obj({ podCIDR: str.optional() }), status: obj({ conditions }) }),
  ConfigMap: z.looseObject({ metadata: meta, data: labels }),
  Deployment: workload,
  StatefulSet: workload,
  ReplicaSet: workload,
  DaemonSet: workload,
};
const anyKind = z.looseObject({ kind: str, metadata: obj({ name: str.optional(), namespace: str.optional() }) });

/** "spec.ports[0].port" from a zod path. */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, n) => (typeof p === "number" ? `[${p}]` : `${n === 0 ? "" : "."}${String(p)}`)).join("");
}

/** The object as named in messages: `Service shop/backend`, or `Service (unnamed)`. */
function objectName(o: ManifestObject): string {
  const m = o.metadata;
  const name = typeof m?.name === "string" ? m.name : undefined;
  const ns = typeof m?.namespace === "string" ? `${m.namespace}/` : "";
  return `${typeof o.kind === "string" ? o.kind : "object"} ${name ? `${ns}${name}` : "(unnamed)"}`;
}

/** Why an object has the wrong shape (up to three fields), or undefined when it is fine. */
export function shapeProblem(o: ManifestObject): string | undefined {
  if (o.kind === undefined) return undefined; // not a Kubernetes object: ignored, as kubectl would refuse it anyway
  const schema = (typeof o.kind === "string" ? KINDS[o.kind] : undefined) ?? anyKind;
  const r = schema.safeParse(o);
  if (r.success) return undefined;
  return r.error.issues
    .slice(0, 3)
    .map((i) => `${pathText(i.path) || "(the object)"}: ${i.message}`)
    .join("; ");
}

/** Throws an InputError naming the file, object and fields when any object is malformed. */
export function checkShapes(docs: readonly { file: string; object: ManifestObject }[]): void {
  for (const d of docs) {
    const problem = shapeProblem(d.object);
    if (problem) {
      throw new InputError(`${d.file}: ${objectName(d.object)} is malformed: ${problem}. Fix the manifest (the API server would refuse it too).`);
    }
  }
}
