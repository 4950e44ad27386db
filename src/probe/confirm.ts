/**
 * Confirm failures instead of delaying successes (ADR 0010). NetworkPolicy enforcers
 * program a new pod's rules asynchronously, so a probe that checks at once may be judged
 * by rules its source pod is not: a deny not yet enforced (a false all-clear) or an
 * allow-list not yet holding the probe's IP (a false deny). The probe therefore checks at
 * once and, when the cluster has NetworkPolicies, re-tests after a short window only what
 * lag could explain:
 * - every connect or lookup that failed (timeout, unreachable) — is it really dropped?
 * - every connect or lookup that worked although the static NetworkPolicy verdict says it
 *   is denied, or the target must be blocked — is the deny enforced yet?
 * A healthy path whose policies allow it answers at once. Pure.
 *
 * @module
 */
import type { Spec } from "../api/spec.ts";
import type { Verdict } from "../analyzers/evaluate.ts";

/** What a target's static verdict says lag could fake: a lookup or a connection that should fail. */
export type Denied = "dns" | "connect";

/**
 * From a verdict computed without probes (the static NetworkPolicy view), the targets
 * whose lookups or connections must not work.
 */
export function staticDenials(spec: Pick<Spec, "targets">, verdict: Pick<Verdict, "findings">): Map<string, Set<Denied>> {
  const out = new Map<string, Set<Denied>>();
  const add = (t: string, d: Denied) => out.set(t, new Set([...(out.get(t) ?? []), d]));
  for (const t of spec.targets) if (t.expect === "Blocked") add(t.name, "connect");
  for (const f of verdict.findings) {
    if (f.target === undefined || f.severity === "Info") continue;
    if (f.code === "NetworkPolicyDenied") add(f.target, "connect");
    if (f.code === "DNSEgressBlocked") add(f.target, "dns");
  }
  return out;
}
