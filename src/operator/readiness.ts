/**
 * What /readyz answers (docs/operations.md): ready once every cache has synced, and not
 * while the API server has stopped answering a cache's list or watch for longer than a
 * grace that covers a watch's ordinary reconnect. /healthz stays 200 meanwhile: the
 * process is fine and restarting it would not bring the API server back. Pure.
 *
 * @module
 */

/** An outage shorter than this (a watch reconnecting, a leader election blip) keeps /readyz. */
export const UNREACHABLE_GRACE_MS = 10_000;

export interface CacheHealth {
  name: string;
  hasSynced: boolean;
  unreachableSince: number | undefined;
}

export type Readiness = { ready: true } | { ready: false; reason: string };

export function readiness(caches: readonly CacheHealth[], now: number): Readiness {
  const unsynced = caches.filter((c) => !c.hasSynced).map((c) => c.name);
  if (unsynced.length > 0) return { ready: false, reason: `caches not synced: ${unsynced.join(", ")}` };
  const away = caches.filter((c) => c.unreachableSince !== undefined && now - c.unreachableSince >= UNREACHABLE_GRACE_MS);
  if (away.length > 0) {
    const since = Math.min(...away.map((c) => c.unreachableSince as number));
    return {
      ready: false,
      reason: `the API server has not answered the watches of ${away.map((c) => c.name).join(", ")} for ${Math.round((now - since) / 1000)} s; serving the last known cache, reconnecting`,
    };
  }
  return { ready: true };
}
