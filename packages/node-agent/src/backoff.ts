// Kubelet's restart back-off: 10 s, doubling to 5 min, reset after a container ran 10 min
// without failing. Keyed by pod uid + container name (image pulls use their own keys).

export const BACKOFF = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

interface Entry {
  delayMs: number;
  until: number;
  lastFailure: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initialMs = BACKOFF.initialMs,
    private readonly maxMs = BACKOFF.maxMs,
  ) {}

  /** Records a failure now and returns how long to wait before the next attempt. */
  next(key: string, now = Date.now()): number {
    const e = this.entries.get(key);
    let delay = this.initialMs;
    if (e && now - e.lastFailure < BACKOFF.resetAfterMs) delay = Math.min(e.delayMs * 2, this.maxMs);
    this.entries.set(key, { delayMs: delay, until: now + delay, lastFailure: now });
    return delay;
  }

  /** Remaining wait for `key`, 0 when an attempt may be made. */
  remaining(key: string, now = Date.now()): number {
    const e = this.entries.get(key);
    return e ? Math.max(0, e.until - now) : 0;
  }

  /** The current delay (for messages such as `back-off 20s restarting failed container`). */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  forgetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

export function formatDelay(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : '0s'}` : `${s}s`;
}
