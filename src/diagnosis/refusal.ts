/**
 * A probe pod the API server refused, as words a user can act on. Pure. A 400, 403 or 422
 * on create is terminal for the run (Pod Security admission, a ResourceQuota, an
 * admission webhook, a LimitRange, the operator's own RBAC): the same pod would be refused
 * again, so the run ends at once with a ProbePodRejected finding quoting the refusal and
 * saying what to change. Anything else (5xx, 429, a lost connection) is transient.
 *
 * @module
 */
import { ApiError } from "../k8s/errors.ts";
import { ProbeResources as R } from "./probe-pod.ts";

const TERMINAL = new Set([400, 403, 422]);
/** The longest quote of the API server's message kept in a finding. */
const MAX_QUOTE = 600;

/** What to change, by the kind of refusal the API server's message shows. */
export function refusalAdvice(message: string): string {
  if (/violates PodSecurity/i.test(message)) {
    return "the namespace's Pod Security level refuses the probe: netdiag's probe passes `restricted` unless the operator runs with --probe-raw-sockets; ask a cluster admin to turn that off, or to relax pod-security.kubernetes.io/enforce for this namespace";
  }
  if (/exceeded quota|must specify limits|must specify requests/i.test(message)) {
    return `a ResourceQuota in the namespace has no room for the probe (it requests ${R.requests.cpu} CPU / ${R.requests.memory} and is limited to ${R.limits.cpu} CPU / ${R.limits.memory}): raise the quota or free room, then run again`;
  }
  if (/maximum .* usage per|minimum .* usage per|LimitRange/i.test(message)) {
    return `the namespace's LimitRange does not admit the probe's resources (requests ${R.requests.cpu} CPU / ${R.requests.memory}, limits ${R.limits.cpu} CPU / ${R.limits.memory}): ask its owner to widen it, then run again`;
  }
  if (/admission webhook/i.test(message))
    return "an admission webhook refused the probe: ask its owner to admit pods labelled netdiag.dev/probe=true, then run again";
  if (/being terminated/i.test(message)) return "the namespace is being deleted";
  if (/pods\/ephemeralcontainers|resource "pods\/ephemeralcontainers"/i.test(message))
    return "the operator may not add ephemeral containers (spec.source.pod): a cluster admin grants it with the opt-in ClusterRole netdiag-operator-ephemeral (Helm rbac.ephemeralContainers=true, or deploy/optional/ephemeral-containers.yaml); or drop spec.source.pod to probe from a fresh pod";
  if (/cannot create resource "pods"|is forbidden: User/i.test(message)) return "the operator may not create pods here: check its RBAC (deploy/10-rbac.yaml)";
  return "read the refusal, change what it names, then run again (kubectl annotate netdiag NAME netdiag.dev/run-now=$(date +%s))";
}

/** The message for a refused probe pod (or `what` else), or undefined when the error is not a refusal (retry). */
export function refusalOf(err: unknown, what = "the probe pod"): string | undefined {
  if (!(err instanceof ApiError) || !TERMINAL.has(err.status)) return undefined;
  const quote = err.message.length > MAX_QUOTE ? `${err.message.slice(0, MAX_QUOTE)}…` : err.message;
  return `the API server refused ${what} (${err.status}): "${quote}"; to fix: ${refusalAdvice(err.message)}`;
}
