// LMDB storage engine: durable, crash-safe (copy-on-write B-tree, fsync on commit), with
// an in-memory view of committed state that serves reads and watches in revision order,
// as kube-apiserver's watch cache sits in front of etcd.
import { open, type Database, type RootDatabase } from 'lmdb';
import { mkdirSync } from 'node:fs';
import { CompactedError, type KV, type Precondition, type Storage, type StorageEvent, type TxnResult } from './interface.js';

interface Stored {
  v: unknown;
  c: number; // create revision
  m: number; // mod revision
}

interface LogEntry {
  t: 'put' | 'delete';
  k: string;
  v: unknown;
  p?: unknown;
  c: number;
  n?: boolean; // created
}

export interface LmdbOptions {
  path: string;
  /** How many recent events are kept for watch resume (older ones are compacted away). */
  historySize?: number;
  /** How often compaction trims the persisted change log, ms. */
  compactIntervalMs?: number;
}

interface Listener {
  prefix: string;
  cb: (ev: StorageEvent) => void;
}

/**
 * `/registry/pods/default/web` → `/registry/pods/default/`: objects are bucketed by their
 * "directory", so a namespace's list never scans other namespaces.
 */
function bucketOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

export class LmdbStorage implements Storage {
  private readonly root: RootDatabase;
  private readonly objects: Database<Stored, string>;
  private readonly log: Database<LogEntry, number>;
  private readonly meta: Database<number, string>;
  private readonly historySize: number;

  /** Committed state, bucketed by resource prefix. */
  private readonly mem = new Map<string, Map<string, KV>>();
  /** Recent events in revision order, for watch resume. */
  private history: StorageEvent[] = [];
  private readonly listeners = new Set<Listener>();
  /** Events committed but not yet delivered (commits may resolve out of order). */
  private readonly pending = new Map<number, StorageEvent | null>();

  private rev = 0; // delivered revision
  private writeRev = 0; // last revision handed out inside a write transaction
  private compacted = 0;
  private readonly compactTimer: NodeJS.Timeout;
  private closed = false;

  constructor(opts: LmdbOptions) {
    mkdirSync(opts.path, { recursive: true });
    this.historySize = opts.historySize ?? 5000;
    // overlappingSync off: a commit resolves only once it is flushed, so nothing is
    // acknowledged before it is on disk (etcd fsyncs before answering, too).
    this.root = open({ path: opts.path, overlappingSync: false, maxDbs: 8, encoding: 'msgpack', useRecords: false } as never);
    this.objects = this.root.openDB<Stored, string>({ name: 'objects', encoding: 'msgpack', useRecords: false } as never);
    this.log = this.root.openDB<LogEntry, number>({ name: 'log', encoding: 'msgpack', useRecords: false, keyEncoding: 'uint32' } as never);
    this.meta = this.root.openDB<number, string>({ name: 'meta', encoding: 'msgpack' } as never);
    this.load();
    this.compactTimer = setInterval(() => void this.compactLog(), opts.compactIntervalMs ?? 30_000);
    this.compactTimer.unref();
  }

  private load(): void {
    let maxRev = 0;
    for (const { key, value } of this.objects.getRange({})) {
      const kv: KV = { key, value: value.v, createRevision: value.c, modRevision: value.m };
      this.bucket(key).set(key, kv);
      if (value.m > maxRev) maxRev = value.m;
    }
    this.rev = Math.max(this.meta.get('rev') ?? 0, maxRev);
    this.writeRev = this.rev;
    const from = Math.max(1, this.rev - this.historySize + 1);
    for (const { key, value } of this.log.getRange({ start: from, end: this.rev + 1 })) {
      this.history.push(this.toEvent(key, value));
    }
    this.compacted = this.history.length ? this.history[0].revision - 1 : this.rev;
  }

  private toEvent(revision: number, e: LogEntry): StorageEvent {
    return { type: e.t, key: e.k, value: e.v, prevValue: e.p, revision, createRevision: e.c, created: !!e.n };
  }

  private bucket(key: string): Map<string, KV> {
    const b = bucketOf(key);
    let m = this.mem.get(b);
    if (!m) this.mem.set(b, (m = new Map()));
    return m;
  }

  get revision(): number {
    return this.rev;
  }

  get compactedRevision(): number {
    return this.compacted;
  }

  get<V>(key: string): KV<V> | undefined {
    return this.mem.get(bucketOf(key))?.get(key) as KV<V> | undefined;
  }

  range<V>(prefix: string): { kvs: KV<V>[]; revision: number } {
    const out: KV<V>[] = [];
    for (const [dir, m] of this.mem) {
      if (dir.startsWith(prefix)) for (const kv of m.values()) out.push(kv as KV<V>);
      else if (prefix.startsWith(dir)) for (const [k, kv] of m) if (k.startsWith(prefix)) out.push(kv as KV<V>);
    }
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { kvs: out, revision: this.rev };
  }

  count(prefix: string): number {
    let n = 0;
    for (const [dir, m] of this.mem) {
      if (dir.startsWith(prefix)) n += m.size;
      else if (prefix.startsWith(dir)) for (const k of m.keys()) if (k.startsWith(prefix)) n++;
    }
    return n;
  }

  private check(pre: Precondition, cur: Stored | undefined): boolean {
    switch (pre.kind) {
      case 'none':
        return true;
      case 'absent':
        return !cur;
      case 'revision':
        return !!cur && cur.m === pre.modRevision;
    }
  }

  private async write<V>(key: string, pre: Precondition, value: V | undefined, del: boolean): Promise<TxnResult<V>> {
    if (this.closed) throw new Error('storage is closed');
    let event: StorageEvent | undefined;
    const txn = this.objects.transaction((): TxnResult<V> => {
      const cur = this.objects.get(key);
      if (!this.check(pre, cur) || (del && !cur)) {
        return { ok: false, current: cur ? { key, value: cur.v as V, createRevision: cur.c, modRevision: cur.m } : undefined };
      }
      const rev = ++this.writeRev;
      const c = cur ? cur.c : rev;
      const entry: LogEntry = del ? { t: 'delete', k: key, v: cur!.v, c } : { t: 'put', k: key, v: value, p: cur?.v, c, n: !cur };
      if (del) this.objects.remove(key);
      else this.objects.put(key, { v: value, c, m: rev });
      this.log.put(rev, entry);
      this.meta.put('rev', rev);
      event = this.toEvent(rev, entry);
      const kv: KV<V> = { key, value: (del ? cur!.v : value) as V, createRevision: c, modRevision: rev };
      return { ok: true, revision: rev, kv };
    });
    let result: TxnResult<V>;
    try {
      result = await txn;
    } catch (e) {
      // A revision was handed out but its commit failed: the revision sequence now has a
      // hole nothing can fill. Stop, as etcd does on a failed fsync; a restart reloads disk.
      if (event) {
        console.error(`fatal: storage commit failed: ${(e as Error).message}`);
        process.exit(70);
      }
      throw e;
    }
    if (event) this.deliver(event);
    return result;
  }

  /** Applies committed events to the in-memory view and to watchers, strictly in revision order. */
  private deliver(ev: StorageEvent): void {
    this.pending.set(ev.revision, ev);
    while (this.pending.has(this.rev + 1)) {
      const next = this.pending.get(this.rev + 1)!;
      this.pending.delete(this.rev + 1);
      this.rev = next.revision;
      const b = this.bucket(next.key);
      if (next.type === 'delete') {
        b.delete(next.key);
        if (!b.size) this.mem.delete(bucketOf(next.key));
      } else b.set(next.key, { key: next.key, value: next.value, createRevision: next.createRevision, modRevision: next.revision });
      this.history.push(next);
      for (const l of this.listeners) if (next.key.startsWith(l.prefix)) l.cb(next);
    }
    if (this.history.length > this.historySize * 1.25) {
      const drop = this.history.length - this.historySize;
      this.compacted = this.history[drop - 1].revision;
      this.history = this.history.slice(drop);
    }
  }

  put<V>(key: string, value: V, pre: Precondition): Promise<TxnResult<V>> {
    return this.write(key, pre, value, false);
  }

  delete<V>(key: string, pre: Precondition): Promise<TxnResult<V>> {
    return this.write<V>(key, pre, undefined, true);
  }

  watch(prefix: string, afterRevision: number, cb: (ev: StorageEvent) => void): () => void {
    if (afterRevision < this.compacted) throw new CompactedError(afterRevision, this.compacted);
    // History replay and subscription happen in one synchronous block, so no event falls between.
    if (afterRevision < this.rev) {
      let lo = 0;
      let hi = this.history.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.history[mid].revision <= afterRevision) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < this.history.length; i++) {
        const ev = this.history[i];
        if (ev.key.startsWith(prefix)) cb(ev);
      }
    }
    const l: Listener = { prefix, cb };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Trims the persisted change log to what the in-memory history still covers. */
  private async compactLog(): Promise<void> {
    if (this.closed) return;
    const upTo = this.compacted;
    let first: number | undefined;
    for (const k of this.log.getKeys({ limit: 1 })) first = k;
    if (first === undefined || first > upTo) return;
    await this.log.transaction(() => {
      for (const k of this.log.getKeys({ start: first, end: upTo + 1 })) this.log.remove(k);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.compactTimer);
    this.listeners.clear();
    await this.root.flushed;
    await this.root.close();
  }
}
