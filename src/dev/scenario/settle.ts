/**
 * When a scenario's workload has settled: every pod exists and is either Ready or has
 * been not-Ready for `notReadyGraceMs` (some scenarios are broken on purpose). Pure.
 *
 * @module
 */

export interface PodBrief {
  name: string;
  ready: boolean;
}

/** `firstSeenNotReady` is updated in place: pod name -> first time seen not Ready. */
export function settled(pods: PodBrief[], expected: number, firstSeenNotReady: Map<string, number>, now: number, notReadyGraceMs = 20_000): boolean {
  if (pods.length < expected) return false;
  let ok = true;
  for (const p of pods) {
    if (p.ready) {
      firstSeenNotReady.delete(p.name);
      continue;
    }
    const since = firstSeenNotReady.get(p.name) ?? now;
    firstSeenNotReady.set(p.name, since);
    if (now - since < notReadyGraceMs) ok = false;
  }
  return ok;
}
