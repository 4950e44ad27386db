/**
 * Runs the helm binary built by scripts/lab/build-helm (or $NETDIAG_HELM) over
 * charts/netdiag and parses what it renders, for the chart tests.
 *
 * @module
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const chartDir = join(repoRoot, "charts/netdiag");

/** A Kubernetes object as rendered: only the fields every object has are typed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

let helmPath: string | undefined;
/** The helm binary: $NETDIAG_HELM, else the (cached) build of scripts/lab/build-helm. */
export function helmBinary(): string {
  helmPath ??= process.env.NETDIAG_HELM || execFileSync(join(repoRoot, "scripts/lab/build-helm"), { encoding: "utf8" }).trim().split("\n").pop()!;
  return helmPath;
}

export interface HelmResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs helm with these arguments; never throws on a non-zero exit. */
export function helm(args: string[]): HelmResult {
  const r = spawnSync(helmBinary(), args, { encoding: "utf8", cwd: repoRoot });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The objects of a YAML stream (empty documents dropped). */
export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** `helm template netdiag charts/netdiag -n NAMESPACE ARGS...` parsed; fails the test with helm's message when it exits non-zero. */
export function render(args: string[] = [], namespace = "netdiag-system"): K8sObject[] {
  const r = helm(["template", "netdiag", chartDir, "--namespace", namespace, ...args]);
  if (r.status !== 0) throw new Error(`helm template ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return parseObjects(r.stdout);
}

/** The one object of this kind and name; throws naming what is there instead. */
export function one(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length} among ${objects.map(key).join(", ")}`);
  return found[0]!;
}

/** kind/namespace/name, the identity of an object in a render. */
export const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** Every object of the YAML files in deploy/. */
export function deployObjects(): { file: string; object: K8sObject }[] {
  const dir = join(repoRoot, "deploy");
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((file) => parseObjects(readFileSync(join(dir, file), "utf8")).map((object) => ({ file, object })));
}
