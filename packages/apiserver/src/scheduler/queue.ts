// The scheduling queue (kube-scheduler's PriorityQueue): activeQ ordered by priority then time
// queued (FIFO); backoffQ for pods waiting out 1s, 2s, 4s … 10s after a failed attempt; and
// unschedulablePods, parked until a cluster change might help (a move request) or 5 minutes pass.
import { podKey, type Pod } from './types.js';

export interface QueuedPodInfo {
  key: string;
  pod: Pod;
  /** When it was last queued (creation time at first): orders activeQ, starts the backoff. */
  timestamp: number;
  attempts: number;
  /** The scheduling cycle that popped it last. */
  cycle: number;
  seq: number;
  /** A scheduling-relevant change arrived while it was being scheduled. */
  updatedInFlight?: boolean;
}

export interface QueueOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** podMaxInUnschedulablePodsDuration */
  maxUnschedulableMs?: number;
}

/** What a pod update must change to be worth another attempt (isPodUpdated ignores status). */
function schedulingView(p: Pod): string {
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...meta } = p.metadata;
  return JSON.stringify([meta, p.spec]);
}

export class SchedulingQueue {
  private readonly active: QueuedPodInfo[] = [];
  private readonly backoff = new Map<string, QueuedPodInfo>();
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private cycle = 0;
  private moveRequestCycle = -1;
  private seq = 0;
  private waiters: (() => void)[] = [];
  private backoffTimer?: NodeJS.Timeout;
  private readonly flushTimer: NodeJS.Timeout;
  private closed = false;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;

  constructor(opts: QueueOptions = {}) {
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = opts.maxUnschedulableMs ?? 5 * 60_000;
    this.flushTimer = setInterval(() => this.flushUnschedulableLeftover(), 30_000);
    this.flushTimer.unref();
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    if (this.closed) return;
    const key = podKey(pod);
    if (this.find(key)) return this.update(pod);
    const created = Date.parse(pod.metadata.creationTimestamp ?? '');
    this.pushActive({ key, pod, timestamp: Number.isNaN(created) ? Date.now() : created, attempts: 0, cycle: 0, seq: this.seq++ });
  }

  update(pod: Pod): void {
    const key = podKey(pod);
    const flying = this.inFlight.get(key);
    if (flying) {
      if (schedulingView(flying.pod) !== schedulingView(pod)) flying.updatedInFlight = true;
      flying.pod = pod;
      return;
    }
    const qp = this.active.find((q) => q.key === key) ?? this.backoff.get(key);
    if (qp) {
      qp.pod = pod;
      return;
    }
    const parked = this.unschedulable.get(key);
    if (parked) {
      const changed = schedulingView(parked.pod) !== schedulingView(pod);
      parked.pod = pod;
      if (changed) {
        this.unschedulable.delete(key);
        this.activeOrBackoff(parked);
      }
      return;
    }
    this.add(pod);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    const i = this.active.findIndex((q) => q.key === key);
    if (i >= 0) this.active.splice(i, 1);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /** The next pod to schedule; waits for one. Undefined once closed. */
  async pop(): Promise<QueuedPodInfo | undefined> {
    while (!this.active.length) {
      if (this.closed) return undefined;
      await new Promise<void>((r) => this.waiters.push(r));
    }
    if (this.closed) return undefined;
    const qp = this.active.shift()!;
    qp.attempts++;
    qp.cycle = ++this.cycle;
    qp.updatedInFlight = false;
    this.inFlight.set(qp.key, qp);
    return qp;
  }

  /** The attempt ended (bound, or dropped). */
  done(qp: QueuedPodInfo): void {
    this.inFlight.delete(qp.key);
  }

  /**
   * The attempt failed. Unschedulable pods park unless the cluster changed while they were being
   * scheduled; errors (and changed pods) go to backoff. Pods deleted meanwhile are dropped.
   */
  requeue(qp: QueuedPodInfo, unschedulable: boolean): void {
    if (this.closed || this.inFlight.get(qp.key) !== qp) return;
    this.inFlight.delete(qp.key);
    qp.timestamp = Date.now();
    if (!unschedulable || qp.updatedInFlight || this.moveRequestCycle >= qp.cycle) this.addBackoff(qp);
    else this.unschedulable.set(qp.key, qp);
  }

  /** A cluster change that may make parked pods schedulable (node added, pod deleted …). */
  moveAllToActiveOrBackoff(): void {
    this.moveRequestCycle = this.cycle;
    const parked = [...this.unschedulable.values()];
    this.unschedulable.clear();
    for (const qp of parked) this.activeOrBackoff(qp);
  }

  backoffDuration(attempts: number): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      if (d > this.maxBackoffMs - d) return this.maxBackoffMs;
      d += d;
    }
    return Math.min(d, this.maxBackoffMs);
  }

  private backoffExpiry(qp: QueuedPodInfo): number {
    return qp.timestamp + this.backoffDuration(qp.attempts);
  }

  private activeOrBackoff(qp: QueuedPodInfo): void {
    if (this.backoffExpiry(qp) > Date.now()) this.addBackoff(qp);
    else this.pushActive(qp);
  }

  private addBackoff(qp: QueuedPodInfo): void {
    this.backoff.set(qp.key, qp);
    this.armBackoffTimer();
  }

  private armBackoffTimer(): void {
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
    if (!this.backoff.size || this.closed) return;
    const next = Math.min(...[...this.backoff.values()].map((q) => this.backoffExpiry(q)));
    this.backoffTimer = setTimeout(() => this.flushBackoffCompleted(), Math.max(0, next - Date.now()));
    this.backoffTimer.unref();
  }

  private flushBackoffCompleted(): void {
    const now = Date.now();
    for (const qp of [...this.backoff.values()]) {
      if (this.backoffExpiry(qp) > now) continue;
      this.backoff.delete(qp.key);
      this.pushActive(qp);
    }
    this.armBackoffTimer();
  }

  private flushUnschedulableLeftover(): void {
    const now = Date.now();
    for (const qp of [...this.unschedulable.values()]) {
      if (now - qp.timestamp < this.maxUnschedulableMs) continue;
      this.unschedulable.delete(qp.key);
      this.activeOrBackoff(qp);
    }
  }

  private pushActive(qp: QueuedPodInfo): void {
    // PrioritySort: higher priority first, then earlier timestamp; arrival order breaks ties.
    const before = (a: QueuedPodInfo, b: QueuedPodInfo) => {
      const pa = a.pod.spec?.priority ?? 0;
      const pb = b.pod.spec?.priority ?? 0;
      if (pa !== pb) return pa > pb;
      if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp;
      return a.seq < b.seq;
    };
    const i = this.active.findIndex((q) => before(qp, q));
    if (i < 0) this.active.push(qp);
    else this.active.splice(i, 0, qp);
    this.waiters.shift()?.();
  }

  private find(key: string): QueuedPodInfo | undefined {
    return this.inFlight.get(key) ?? this.active.find((q) => q.key === key) ?? this.backoff.get(key) ?? this.unschedulable.get(key);
  }

  /** Where a pod is, for tests and logs. */
  where(pod: Pod): 'active' | 'backoff' | 'unschedulable' | 'inFlight' | undefined {
    const key = podKey(pod);
    if (this.inFlight.has(key)) return 'inFlight';
    if (this.active.some((q) => q.key === key)) return 'active';
    if (this.backoff.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    return undefined;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.flushTimer);
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    for (const w of this.waiters.splice(0)) w();
  }
}
