// List-then-watch cache of one resource, as client-go's shared informer: list, watch from the
// list's resourceVersion, resume watches from the last seen version, relist on 410 Gone.
import type { ResourceClient, ListOptions } from './client.js';
import { ApiError } from './errors.js';
import type { KubeObject } from './types.js';

export interface InformerHandlers<T> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T): void;
}

export function objectKey(o: KubeObject): string {
  const m = o.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name}` : (m.name ?? '');
}

export class Informer<T extends KubeObject = KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private abort = new AbortController();
  private running = false;
  private lastRV = '';
  private syncedResolve!: () => void;
  readonly synced: Promise<void> = new Promise((r) => (this.syncedResolve = r));
  /** Called with errors the loop recovers from (for logs). */
  onError?: (e: unknown) => void;

  constructor(
    private readonly rc: ResourceClient<T>,
    private readonly namespace = '',
    private readonly opts: Pick<ListOptions, 'labelSelector' | 'fieldSelector'> = {},
  ) {}

  on(h: InformerHandlers<T>): this {
    this.handlers.push(h);
    // Late subscribers see what the cache holds already, as with client-go's AddEventHandler.
    if (h.add) for (const o of this.cache.values()) h.add(o);
    return this;
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  get resourceVersion(): string {
    return this.lastRV;
  }

  start(): this {
    if (this.running) return this;
    this.running = true;
    void this.loop();
    return this;
  }

  stop(): void {
    this.running = false;
    this.abort.abort();
  }

  private async relist(): Promise<void> {
    const list = await this.rc.list(this.namespace, { ...this.opts });
    const seen = new Set<string>();
    for (const o of list.items) {
      const key = objectKey(o);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, o);
      if (!old) this.emit('add', o);
      else if (old.metadata?.resourceVersion !== o.metadata?.resourceVersion) this.emit('update', o, old);
    }
    for (const [key, o] of this.cache) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit('delete', o);
      }
    }
    this.lastRV = list.metadata.resourceVersion ?? '';
  }

  private emit(kind: 'add' | 'update' | 'delete', o: T, old?: T) {
    for (const h of this.handlers) {
      try {
        if (kind === 'add') h.add?.(o);
        else if (kind === 'update') h.update?.(old!, o);
        else h.delete?.(o);
      } catch (e) {
        this.onError?.(e);
      }
    }
  }

  private async loop(): Promise<void> {
    let needList = true;
    let backoff = 100;
    while (this.running) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
          this.syncedResolve();
        }
        const events = this.rc.watch(
          this.namespace,
          { ...this.opts, resourceVersion: this.lastRV, allowWatchBookmarks: true, timeoutSeconds: 300 + Math.floor(Math.random() * 300) },
          this.abort.signal,
        );
        for await (const ev of events) {
          backoff = 100;
          if (ev.type === 'ERROR') {
            const st = ev.object as unknown as { code?: number };
            if (st.code === 410) needList = true;
            break;
          }
          const o = ev.object;
          const rv = o.metadata?.resourceVersion;
          if (rv) this.lastRV = rv;
          if (ev.type === 'BOOKMARK') continue;
          const key = objectKey(o);
          const old = this.cache.get(key);
          if (ev.type === 'DELETED') {
            this.cache.delete(key);
            this.emit('delete', o);
          } else {
            this.cache.set(key, o);
            if (old) this.emit('update', o, old);
            else this.emit('add', o);
          }
        }
      } catch (e) {
        if (!this.running) return;
        if (e instanceof ApiError && e.code === 410) needList = true;
        else {
          this.onError?.(e);
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, 5000);
        }
      }
    }
  }
}
