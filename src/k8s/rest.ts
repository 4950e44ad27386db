/**
 * A small REST client over client-node's KubeConfig: raw JSON in and out (wire format,
 * exactly what kubectl shows), typed errors, explicit patch content types from
 * client-node's PatchStrategy. The operator uses it for every call, so list/watch data,
 * manifests and snapshots share one shape (see docs/adr/0001).
 *
 * @module
 */
import { HttpMethod, type KubeConfig, PatchStrategy, RequestContext, Watch } from "@kubernetes/client-node";
import { fetch } from "undici";
import { apiErrorFor, toApiError } from "./errors.ts";

export type Obj = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
};
export interface ObjList<T = Obj> {
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}
export type PatchKind = keyof typeof PatchStrategy;

export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: Obj;
}

export class Rest {
  readonly kc: KubeConfig;
  readonly server: string;
  constructor(kc: KubeConfig) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error("kubeconfig has no current cluster");
    this.kc = kc;
    this.server = cluster.server.replace(/\/$/, "");
  }

  /** Sends one request; returns parsed JSON (or text for non-JSON bodies). */
  async request(
    method: string,
    path: string,
    opts: { body?: unknown; contentType?: string; query?: Record<string, string | number | boolean | undefined> } = {},
  ): Promise<unknown> {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const what = `${method} ${url.pathname}`;
    const ctx = new RequestContext(url.toString(), method as HttpMethod);
    await this.kc.applySecurityAuthentication(ctx);
    const headers: Record<string, string> = { ...ctx.getHeaders(), accept: "application/json" };
    if (opts.body !== undefined) headers["content-type"] = opts.contentType ?? "application/json";
    let res: Awaited<ReturnType<typeof fetch>>;
    try {
      res = await fetch(url, {
        method,
        headers,
        dispatcher: ctx.getDispatcher(),
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw toApiError(err, what);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {}
    if (!res.ok) throw apiErrorFor(res.status, parsed, what);
    return parsed;
  }

  get<T = Obj>(path: string): Promise<T> {
    return this.request(HttpMethod.GET, path) as Promise<T>;
  }
  list<T = Obj>(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<ObjList<T>> {
    return this.request(HttpMethod.GET, path, { query }) as Promise<ObjList<T>>;
  }
  create<T = Obj>(path: string, body: unknown): Promise<T> {
    return this.request(HttpMethod.POST, path, { body }) as Promise<T>;
  }
  replace<T = Obj>(path: string, body: unknown): Promise<T> {
    return this.request(HttpMethod.PUT, path, { body }) as Promise<T>;
  }
  /** PATCH with the content type of the given strategy (merge, JSON, strategic, apply). */
  patch<T = Obj>(path: string, body: unknown, strategy: PatchKind = "MergePatch", query?: Record<string, string | undefined>): Promise<T> {
    return this.request(HttpMethod.PATCH, path, { body, contentType: PatchStrategy[strategy], query }) as Promise<T>;
  }
  delete(path: string, body?: unknown): Promise<unknown> {
    return this.request(HttpMethod.DELETE, path, { body });
  }

  /**
   * Starts a watch; `onEvent` gets each event, `onDone` the end (null = closed cleanly).
   * Returns a function that stops the watch.
   */
  async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (e: WatchEvent) => void,
    onDone: (err: unknown) => void,
  ): Promise<() => void> {
    const w = new Watch(this.kc);
    // The server closes watches after timeoutSeconds; allow that much silence plus slack.
    const timeout = Number(query.timeoutSeconds ?? 300);
    // client-node aborts a watch after 30 s without data; ours may be silent longer.
    (w as unknown as { requestTimeoutMs: number }).requestTimeoutMs = (timeout + 30) * 1000;
    const q: Record<string, string> = {};
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q[k] = String(v);
    const ctl = await w.watch(
      path,
      q,
      (type: string, object: Obj) => onEvent({ type: type as WatchEvent["type"], object }),
      (err: unknown) => onDone(err ?? null),
    );
    return () => ctl.abort();
  }
}
