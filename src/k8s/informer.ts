/**
 * An informer: list, then watch from the list's resourceVersion, keeping an in-memory
 * cache and calling handlers on add/update/delete. Unlike client-node's informer it never
 * gives up: on 410 Gone it relists; on any other error or a closed watch it re-watches
 * from the last seen resourceVersion (bookmarks included) after an exponential backoff.
 * A `transform` strips what the operator never reads (managedFields, volumes, …) so the
 * cache stays small on large clusters.
 *
 * @module
 */
import { backoffDelay } from "../runtime/backoff.ts";
import { GoneError } from "./errors.ts";
import type { Obj, Rest, WatchEvent } from "./rest.ts";

export type EventType = "add" | "update" | "delete";
export type InformerHandler<T> = (type: EventType, obj: T, old?: T) => void;

export interface InformerOptions<T> {
  /** Collection path, e.g. /api/v1/pods or /apis/netdiag.dev/v1alpha1/networkdiagnoses. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  transform?: (o: Obj) => T;
  /** Called on every restart of the watch, with the reason. */
  onRestart?: (reason: string) => void;
  log?: (msg: string, err?: unknown) => void;
}

export const keyOf = (o: { metadata?: { namespace?: string; name?: string } }): string =>
  o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : String(o.metadata?.name);

export class Informer<T extends Obj = Obj> {
  private readonly store = new Map<string, T>();
  private readonly handlers: InformerHandler<T>[] = [];
  private rv: string | undefined;
  private stopped = false;
  private stopWatch: (() => void) | undefined;
  private failures = 0;
  private failingSince: number | undefined;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private retryTimer: NodeJS.Timeout | undefined;

  private readonly rest: Rest;
  private readonly o: InformerOptions<T>;

  constructor(rest: Rest, o: InformerOptions<T>) {
    this.rest = rest;
    this.o = o;
  }

  on(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
  }
  list(): T[] {
    return [...this.store.values()];
  }
  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(namespace ? `${namespace}/${name}` : name);
  }
  get size(): number {
    return this.store.size;
  }
  get hasSynced(): boolean {
    return this.synced;
  }
  /**
   * Since when (epoch ms) the API server has not answered this informer's list or watch:
   * undefined while it does. A watch that opened or an event that arrived ends it.
   */
  get unreachableSince(): number | undefined {
    return this.failingSince;
  }
  waitForSync(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((r) => this.syncWaiters.push(r));
  }

  start(): void {
    this.stopped = false;
    void this.relist();
  }
  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private emit(type: EventType, obj: T, old?: T): void {
    for (const h of this.handlers) {
      try {
        h(type, obj, old);
      } catch (err) {
        this.o.log?.(`informer ${this.o.path}: handler failed`, err);
      }
    }
  }

  private tf(o: Obj): T {
    return this.o.transform ? this.o.transform(o) : (o as T);
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    try {
      const items: Obj[] = [];
      let cont: string | undefined;
      let rv: string | undefined;
      do {
        const page = await this.rest.list(this.o.path, {
          labelSelector: this.o.labelSelector,
          fieldSelector: this.o.fieldSelector,
          limit: 500,
          continue: cont,
        });
        items.push(...page.items);
        cont = page.metadata.continue || undefined;
        rv = page.metadata.resourceVersion;
      } while (cont);
      const seen = new Set<string>();
      for (const raw of items) {
        const obj = this.tf(raw);
        const k = keyOf(obj);
        seen.add(k);
        const old = this.store.get(k);
        this.store.set(k, obj);
        if (!old) this.emit("add", obj);
        else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit("update", obj, old);
      }
      for (const [k, old] of [...this.store]) {
        if (!seen.has(k)) {
          this.store.delete(k);
          this.emit("delete", old);
        }
      }
      this.rv = rv;
      if (!this.synced) {
        this.synced = true;
        for (const w of this.syncWaiters.splice(0)) w();
      }
      this.reached();
      await this.watch();
    } catch (err) {
      this.retry(`list failed: ${(err as Error).message}`, true);
    }
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    let gone = false;
    const onEvent = (e: WatchEvent) => {
      if (e.type === "ERROR") {
        const code = (e.object as { code?: number }).code;
        if (code === 410) gone = true;
        return;
      }
      const rv = e.object.metadata?.resourceVersion;
      if (rv) this.rv = rv;
      if (e.type === "BOOKMARK") return;
      const obj = this.tf(e.object);
      const k = keyOf(obj);
      const old = this.store.get(k);
      if (e.type === "DELETED") {
        this.store.delete(k);
        this.emit("delete", old ?? obj);
      } else {
        this.store.set(k, obj);
        this.emit(old ? "update" : "add", obj, old);
      }
      this.reached();
    };
    const onDone = (err: unknown) => {
      this.stopWatch = undefined;
      if (this.stopped) return;
      const status = (err as { statusCode?: number } | null)?.statusCode;
      if (gone || status === 410 || err instanceof GoneError) {
        this.o.onRestart?.("resourceVersion too old (410): relisting");
        this.rv = undefined;
        void this.relist();
      } else if (err) {
        this.retry(`watch failed: ${(err as Error).message ?? String(err)}`, false);
      } else {
        // A clean close (server timeout): re-watch right away from the last resourceVersion.
        void this.watch();
      }
    };
    try {
      this.stopWatch = await this.rest.watch(
        this.o.path,
        {
          resourceVersion: this.rv,
          allowWatchBookmarks: true,
          timeoutSeconds: 240 + Math.floor(Math.random() * 60),
          labelSelector: this.o.labelSelector,
          fieldSelector: this.o.fieldSelector,
        },
        onEvent,
        onDone,
      );
      // the API server answered the watch: it is back (a quiet resource sends no event)
      this.failingSince = undefined;
    } catch (err) {
      this.retry(`watch failed: ${(err as Error).message}`, false);
    }
  }

  private reached(): void {
    this.failures = 0;
    this.failingSince = undefined;
  }

  private retry(reason: string, relist: boolean): void {
    if (this.stopped) return;
    this.failingSince ??= Date.now();
    const wait = backoffDelay(this.failures++, { baseMs: 500, maxMs: 30_000, jitter: 0.2 });
    this.o.onRestart?.(reason);
    this.o.log?.(`informer ${this.o.path}: ${reason}; retrying in ${wait} ms`);
    this.retryTimer = setTimeout(() => void (relist || !this.rv ? this.relist() : this.watch()), wait);
    this.retryTimer.unref();
  }
}
