/**
 * Exponential backoff with jitter: attempt n waits base·2ⁿ capped at max, scaled by a
 * random factor in [1-jitter, 1+jitter] so that many failing keys do not retry in step.
 *
 * @example backoffDelay(3, { baseMs: 100, maxMs: 60_000, jitter: 0 }) // 800
 * @module
 */

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** 0..1; 0.2 means ±20 %. */
  jitter: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 200, maxMs: 60_000, jitter: 0.2 };

export function backoffDelay(attempt: number, o: BackoffOptions = defaultBackoff, random: () => number = Math.random): number {
  const raw = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, attempt));
  const factor = 1 + o.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(o.maxMs, raw * factor)));
}
