/**
 * The cluster a command talks to, found the way kubectl finds it: `--kubeconfig`, else
 * $KUBECONFIG (a colon-separated list), else ~/.kube/config, else the in-cluster service
 * account; `--context` picks a context; the namespace is `-n`, else the context's, else
 * `default`. kubectl does not pass its own global flags to a plugin, so the plugin takes
 * them itself.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { KubeConfig } from "@kubernetes/client-node";
import { Group, Plural, Version } from "../api/group.ts";
import { Rest } from "../k8s/rest.ts";

export interface ClusterFlags {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
}

export interface Cluster {
  rest: Rest;
  namespace: string;
}

/** Adds -n/--namespace, --kubeconfig and --context to a command. */
export function withClusterFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option("-n, --namespace <ns>", "namespace (default: the context's, else default)"))
    .addOption(new Option("--kubeconfig <file>", "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)"))
    .addOption(new Option("--context <name>", "kubeconfig context (default: the current one)"));
}

export class ClusterError extends Error {}

/** Loads the kubeconfig; throws a ClusterError that says what to set. */
export function connect(f: ClusterFlags): Cluster {
  const kc = new KubeConfig();
  const file = f.kubeconfig ?? (process.env.KUBECONFIG ? undefined : join(homedir(), ".kube", "config"));
  try {
    if (f.kubeconfig) kc.loadFromFile(f.kubeconfig);
    else if (process.env.KUBECONFIG || (file && existsSync(file)) || process.env.KUBERNETES_SERVICE_HOST) kc.loadFromDefault();
    else throw new ClusterError("no kubeconfig: set KUBECONFIG, pass --kubeconfig FILE, or create ~/.kube/config");
  } catch (e) {
    if (e instanceof ClusterError) throw e;
    throw new ClusterError(`cannot read the kubeconfig${f.kubeconfig ? ` ${f.kubeconfig}` : ""}: ${(e as Error).message}`);
  }
  if (f.context) {
    if (!kc.getContextObject(f.context)) throw new ClusterError(`the kubeconfig has no context ${f.context} (kubectl config get-contexts lists them)`);
    kc.setCurrentContext(f.context);
  }
  if (!kc.getCurrentCluster()) throw new ClusterError("the kubeconfig has no current cluster (kubectl config use-context NAME)");
  const namespace = f.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? "default";
  return { rest: new Rest(kc), namespace };
}

/** The API path of a NetworkDiagnosis (or of the collection, without a name). */
export const diagnosisPath = (ns: string, name?: string) => `/apis/${Group}/${Version}/namespaces/${ns}/${Plural}${name ? `/${name}` : ""}`;

/** `NAME` in the -n namespace, or `NAMESPACE/NAME`. */
export function diagnosisRef(ref: string, namespace: string): { namespace: string; name: string } {
  const parts = ref.split("/");
  if (parts.length === 1 && parts[0]) return { namespace, name: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { namespace: parts[0], name: parts[1] };
  throw new ClusterError(`give the diagnosis as NAME (with -n NAMESPACE) or NAMESPACE/NAME, not ${JSON.stringify(ref)}`);
}
