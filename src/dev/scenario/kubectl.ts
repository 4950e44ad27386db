/**
 * kubectl for the scenario runner and the demo: the lab's kubectl (cached build) unless
 * KUBECTL says otherwise, against $KUBECONFIG (default: the lab's admin kubeconfig).
 *
 * @module
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export function kubeconfigPath(): string {
  return process.env.KUBECONFIG || join(process.env.NETDIAG_LAB_DIR ?? join(repoRoot, ".lab"), "kubeconfig");
}

/** The lab's Kubernetes version: the environment, else the one pin in scripts/lab/versions.sh. */
export function labK8sVersion(): string {
  if (process.env.NETDIAG_K8S_VERSION) return process.env.NETDIAG_K8S_VERSION;
  const pin = /NETDIAG_K8S_VERSION:-(v[0-9][^}"]*)/.exec(readFileSync(join(repoRoot, "scripts/lab/versions.sh"), "utf8"))?.[1];
  if (!pin) throw new Error("scripts/lab/versions.sh pins no NETDIAG_K8S_VERSION");
  return pin;
}

export function kubectlBinary(): string {
  if (process.env.KUBECTL) return process.env.KUBECTL;
  const cache = process.env.NETDIAG_CACHE ?? join(process.env.HOME ?? "/root", ".cache", "netdiag");
  const lab = join(cache, "lab", labK8sVersion(), "bin", "kubectl");
  return existsSync(lab) ? lab : "kubectl";
}

export interface KubectlResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

export function kubectl(args: string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(kubectlBinary(), ["--kubeconfig", kubeconfigPath(), ...args], { maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      resolve({ ok: !err, stdout: String(stdout), stderr: String(stderr) });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

export async function kubectlOk(args: string[], input?: string): Promise<string> {
  const r = await kubectl(args, input);
  if (!r.ok) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr.trim()}`);
  return r.stdout;
}
