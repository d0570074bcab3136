// Load balancing for one Service port: round robin across connections, optionally sticky per
// client IP (sessionAffinity: ClientIP) for an idle timeout, as kube-proxy's userspace
// LoadBalancerRR. A backend that just refused is tried last for a short while, so one dead
// endpoint costs one failed attempt, not one per connection, until the Endpoints catch up.
import type { Backend } from './spec.js';

/** How long a backend that failed to connect is tried after the others. */
export const FAILURE_PENALTY_MS = 2000;

interface Sticky {
  key: string;
  last: number;
}

export class Balancer {
  private list: Backend[] = [];
  private byKey = new Map<string, Backend>();
  private next: number;
  private readonly sticky = new Map<string, Sticky>();
  private readonly failedUntil = new Map<string, number>();
  private lastSweep = 0;
  /** ClientIP affinity timeout, ms (undefined: none). */
  affinityMs?: number;

  constructor(
    private readonly now: () => number = Date.now,
    // Each proxy starts at a random place: several proxies for one Service (one per node) would
    // otherwise all send their first connection to the same backend.
    start = Math.floor(Math.random() * 0x10000),
  ) {
    this.next = start;
  }

  get backends(): readonly Backend[] {
    return this.list;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** Replaces the backends; affinity to backends still present is kept. */
  setBackends(list: Backend[]): void {
    this.list = list;
    this.byKey = new Map(list.map((b) => [b.key, b]));
    this.next = list.length ? this.next % list.length : 0;
    for (const [ip, s] of this.sticky) if (!this.byKey.has(s.key)) this.sticky.delete(ip);
    for (const k of this.failedUntil.keys()) if (!this.byKey.has(k)) this.failedUntil.delete(k);
  }

  setAffinity(ms: number | undefined): void {
    if (ms !== this.affinityMs) this.sticky.clear();
    this.affinityMs = ms;
  }

  /**
   * The backend for a new connection (or UDP session) from `clientIp`, skipping those in
   * `tried`; undefined when none is left.
   */
  pick(clientIp: string, tried?: ReadonlySet<string>): Backend | undefined {
    const n = this.list.length;
    if (!n) return undefined;
    const now = this.now();
    if (this.affinityMs !== undefined) {
      this.sweep(now);
      const s = this.sticky.get(clientIp);
      if (s && now - s.last < this.affinityMs && !tried?.has(s.key) && !this.penalized(s.key, now)) {
        s.last = now;
        return this.byKey.get(s.key);
      }
    }
    let fallback: Backend | undefined;
    for (let i = 0; i < n; i++) {
      const b = this.list[(this.next + i) % n];
      if (tried?.has(b.key)) continue;
      if (this.penalized(b.key, now)) {
        fallback ??= b;
        continue;
      }
      this.next = (this.next + i + 1) % n;
      this.stick(clientIp, b, now);
      return b;
    }
    if (fallback) this.stick(clientIp, fallback, now);
    return fallback;
  }

  /** A connection to `b` failed: try the others first for a while. */
  failed(b: Backend): void {
    if (this.byKey.has(b.key)) this.failedUntil.set(b.key, this.now() + FAILURE_PENALTY_MS);
  }

  /** A connection to `b` succeeded. */
  succeeded(b: Backend): void {
    this.failedUntil.delete(b.key);
  }

  private penalized(key: string, now: number): boolean {
    const until = this.failedUntil.get(key);
    if (until === undefined) return false;
    if (until > now) return true;
    this.failedUntil.delete(key);
    return false;
  }

  private stick(clientIp: string, b: Backend, now: number): void {
    if (this.affinityMs !== undefined) this.sticky.set(clientIp, { key: b.key, last: now });
  }

  /** Drops expired affinity entries, at most once a minute. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [ip, s] of this.sticky) if (now - s.last >= this.affinityMs!) this.sticky.delete(ip);
  }
}
