/**
 * A controller work queue in the manner of client-go's: keys, not events.
 * - dedupe: a key queued twice is processed once;
 * - exclusivity: one handler call per key at a time; a key added while it is being
 *   processed is processed again afterwards ("dirty");
 * - bounded concurrency across keys;
 * - retries with exponential backoff and jitter when the handler throws, forgotten on
 *   success;
 * - delayed requeue (`addAfter`, or the handler's `requeueAfterMs`), keeping the earliest.
 *
 * @module
 */
import { type BackoffOptions, backoffDelay, defaultBackoff } from "./backoff.ts";
import { type Clock, systemClock } from "./clock.ts";

export interface HandlerResult {
  /** Process this key again after this many milliseconds (e.g. a scheduled run). */
  requeueAfterMs?: number;
}
export type Handler = (key: string) => Promise<HandlerResult | undefined | void>;

export interface WorkQueueOptions {
  handler: Handler;
  concurrency?: number;
  backoff?: BackoffOptions;
  clock?: Clock;
  random?: () => number;
  /** Called when a handler throws (after scheduling the retry). */
  onError?: (key: string, err: unknown, retryInMs: number) => void;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { at: number; handle: unknown }>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly o: Required<Omit<WorkQueueOptions, "onError">> & Pick<WorkQueueOptions, "onError">;
  private running = false;

  constructor(opts: WorkQueueOptions) {
    this.o = { concurrency: 2, backoff: defaultBackoff, clock: systemClock, random: Math.random, ...opts };
  }

  /** Keys waiting (not counting delayed ones). */
  get depth(): number {
    return this.queue.length;
  }
  get active(): number {
    return this.processing.size;
  }
  get delayedCount(): number {
    return this.delayed.size;
  }
  /** Consecutive failures of a key (0 after a success). */
  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  start(): void {
    this.running = true;
    this.pump();
  }

  /** Stops taking work and waits for handlers in flight. */
  async stop(): Promise<void> {
    this.running = false;
    for (const d of this.delayed.values()) this.o.clock.clearTimeout(d.handle);
    this.delayed.clear();
    await Promise.allSettled([...this.inflight]);
  }

  add(key: string): void {
    const d = this.delayed.get(key);
    if (d) {
      this.o.clock.clearTimeout(d.handle);
      this.delayed.delete(key);
    }
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  /** Adds the key after `ms`; an earlier pending delay wins. */
  addAfter(key: string, ms: number): void {
    if (ms <= 0) return this.add(key);
    const at = this.o.clock.now() + ms;
    const cur = this.delayed.get(key);
    if (cur && cur.at <= at) return;
    if (cur) this.o.clock.clearTimeout(cur.handle);
    const handle = this.o.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, handle });
  }

  /** Drops the key's retry history and any delayed add (e.g. the object was deleted). */
  forget(key: string): void {
    this.failures.delete(key);
    const d = this.delayed.get(key);
    if (d) this.o.clock.clearTimeout(d.handle);
    this.delayed.delete(key);
  }

  private pump(): void {
    while (this.running && this.processing.size < this.o.concurrency && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      this.queued.delete(key);
      this.processing.add(key);
      const p = this.process(key).finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    }
  }

  private async process(key: string): Promise<void> {
    try {
      const r = await this.o.handler(key);
      this.failures.delete(key);
      if (r?.requeueAfterMs !== undefined) this.addAfter(key, r.requeueAfterMs);
    } catch (err) {
      const n = this.failures.get(key) ?? 0;
      this.failures.set(key, n + 1);
      const wait = backoffDelay(n, this.o.backoff, this.o.random);
      this.addAfter(key, wait);
      this.o.onError?.(key, err, wait);
    } finally {
      this.processing.delete(key);
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
    }
  }
}
