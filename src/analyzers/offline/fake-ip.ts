/**
 * Fake but stable addresses for offline snapshots: the same object name always gets the
 * same IP (FNV-1a hash of its namespace/name), so reports do not churn between runs.
 *
 * @module
 */

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A ClusterIP in 198.19.0.0/16 (never 198.19.0.10, the kube-dns address); offline addresses stay in the benchmarking range 198.18.0.0/15 like the lab's. */
export function fakeClusterIP(id: string): string {
  const h = fnv1a(`svc/${id}`);
  const a = (h >>> 8) & 0xff;
  const b = Math.max(1, h & 0xff);
  return a === 0 && b === 10 ? "198.19.0.11" : `198.19.${a}.${b}`;
}

/** A pod IP in 198.18.0.0/16. */
export function fakePodIP(id: string): string {
  const h = fnv1a(`pod/${id}`);
  return `198.18.${(h >>> 8) & 0xff}.${Math.max(2, h & 0xff)}`;
}
