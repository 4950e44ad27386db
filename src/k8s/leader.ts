/**
 * Lease-based leader election (coordination.k8s.io/v1), the client-go algorithm:
 * acquire an absent or expired Lease, renew it every retry period, lose leadership when
 * renewals fail for longer than the renew deadline, release it on shutdown so a
 * successor takes over at once. Expiry is judged by when *this* process last saw the
 * record change, not by the holder's clock.
 *
 * @module
 */
import { ConflictError, NotFoundError } from "./errors.ts";
import type { Rest } from "./rest.ts";
import { type Clock, systemClock } from "../runtime/clock.ts";
import { microTime } from "../runtime/time.ts";

export interface LeaderOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  log?: (msg: string, err?: unknown) => void;
  clock?: Clock;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}
interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

const micro = (ms: number) => microTime(new Date(ms));

export class LeaderElector {
  private readonly o: Required<Omit<LeaderOptions, "log">> & Pick<LeaderOptions, "log">;
  private readonly rest: Rest;
  private leading = false;
  private stopped = true;
  private timer: unknown;
  private observed: { record: string; at: number } | undefined;
  private lastRenew = 0;

  constructor(rest: Rest, opts: LeaderOptions) {
    this.rest = rest;
    this.o = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, clock: systemClock, ...opts };
  }

  get isLeader(): boolean {
    return this.leading;
  }

  private get path(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${this.o.namespace}/leases`;
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** Stops campaigning; releases the Lease if held so another replica takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.o.clock.clearTimeout(this.timer);
    if (this.leading) {
      try {
        const lease = await this.rest.get<Lease>(`${this.path}/${this.o.name}`);
        if (lease.spec?.holderIdentity === this.o.identity) {
          lease.spec = { ...lease.spec, holderIdentity: "", leaseDurationSeconds: 1, renewTime: micro(this.o.clock.now()) };
          await this.rest.replace(`${this.path}/${this.o.name}`, lease);
        }
      } catch (err) {
        this.o.log?.("leader election: release failed", err);
      }
      this.setLeading(false);
    }
  }

  private setLeading(v: boolean): void {
    if (v === this.leading) return;
    this.leading = v;
    if (v) this.o.onStartedLeading();
    else this.o.onStoppedLeading();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      const ok = await this.tryAcquireOrRenew();
      const now = this.o.clock.now();
      if (ok) {
        this.lastRenew = now;
        this.setLeading(true);
      } else if (this.leading && now - this.lastRenew > this.o.renewDeadlineMs) {
        this.o.log?.("leader election: lost the lease");
        this.setLeading(false);
      }
    } catch (err) {
      this.o.log?.("leader election: attempt failed", err);
      if (this.leading && this.o.clock.now() - this.lastRenew > this.o.renewDeadlineMs) this.setLeading(false);
    }
    if (!this.stopped) this.timer = this.o.clock.setTimeout(() => void this.tick(), this.o.retryPeriodMs);
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.o.clock.now();
    const mine: LeaseSpec = {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
      renewTime: micro(now),
    };
    let lease: Lease;
    try {
      lease = await this.rest.get<Lease>(`${this.path}/${this.o.name}`);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      try {
        await this.rest.create(this.path, {
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name: this.o.name, namespace: this.o.namespace },
          spec: { ...mine, acquireTime: micro(now), leaseTransitions: 0 },
        });
        return true;
      } catch (e) {
        if (e instanceof ConflictError) return false;
        throw e;
      }
    }
    const spec = lease.spec ?? {};
    const record = JSON.stringify(spec);
    if (!this.observed || this.observed.record !== record) this.observed = { record, at: now };
    const holder = spec.holderIdentity ?? "";
    const durationMs = (spec.leaseDurationSeconds ?? 0) * 1000;
    const expired = holder === "" || this.observed.at + durationMs <= now;
    if (holder !== this.o.identity && !expired) return false;
    lease.spec = holder === this.o.identity ? { ...spec, ...mine } : { ...mine, acquireTime: micro(now), leaseTransitions: (spec.leaseTransitions ?? 0) + 1 };
    try {
      const updated = await this.rest.replace<Lease>(`${this.path}/${this.o.name}`, lease);
      this.observed = { record: JSON.stringify(updated.spec ?? {}), at: now };
      return true;
    } catch (e) {
      if (e instanceof ConflictError) return false;
      throw e;
    }
  }
}
