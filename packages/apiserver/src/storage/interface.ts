// The storage contract the registry is written against: etcd's model, reduced to what
// Kubernetes' etcd3 store uses (single-key compare-and-swap, prefix range, watch from revision).
// The default engine is LMDB (lmdb.ts); an etcd engine can implement the same interface.

export interface KV<V = unknown> {
  key: string;
  value: V;
  /** Revision of the write that created the key (etcd's create_revision). */
  createRevision: number;
  /** Revision of the last write to the key: the object's resourceVersion. */
  modRevision: number;
}

export interface StorageEvent<V = unknown> {
  type: 'put' | 'delete';
  key: string;
  /** The new value for put; the last value for delete. */
  value: V;
  prevValue?: V;
  revision: number;
  createRevision: number;
  /** Set on the first write of a key (put without a previous value). */
  created: boolean;
}

export type Precondition =
  | { kind: 'none' }
  /** The key must not exist (create). */
  | { kind: 'absent' }
  /** The key must exist with exactly this modRevision (optimistic concurrency). */
  | { kind: 'revision'; modRevision: number };

export type TxnResult<V> =
  | { ok: true; revision: number; kv: KV<V> }
  | { ok: false; current?: KV<V> };

export class CompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`too old resource version: ${requested} (${compacted})`);
  }
}

export interface Storage {
  /** Latest revision whose writes are durable and visible to get/range/watch. */
  readonly revision: number;
  /** Oldest revision a watch can resume after. */
  readonly compactedRevision: number;
  get<V>(key: string): KV<V> | undefined;
  /** Every key under a prefix, sorted by key, with the revision of that snapshot. */
  range<V>(prefix: string): { kvs: KV<V>[]; revision: number };
  count(prefix: string): number;
  /** Writes one key if the precondition holds; resolves when the write is durable. */
  put<V>(key: string, value: V, pre: Precondition): Promise<TxnResult<V>>;
  delete<V>(key: string, pre: Precondition): Promise<TxnResult<V>>;
  /**
   * Calls `cb` for every event under `prefix` with revision > `afterRevision`, in order,
   * first from history then live. Throws CompactedError when history no longer reaches back.
   */
  watch(prefix: string, afterRevision: number, cb: (ev: StorageEvent) => void): () => void;
  close(): Promise<void>;
}
