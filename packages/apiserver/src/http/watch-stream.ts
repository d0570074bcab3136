// Watch responses: a chunked stream of newline-delimited JSON events, kept open until the
// client goes away or timeoutSeconds passes. Errors after the stream started are sent as an
// ERROR event carrying a Status, as kube-apiserver does (e.g. 410 Expired for a too-old version).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, type KubeObject, type WatchEvent } from '@minik/api';
import type { RegistryStore } from '../registry/store.js';
import { apiVersionOf } from '../registry/resources.js';
import { toTable } from '../printers/index.js';
import { negotiate } from './negotiate.js';
import type { RequestTarget } from './rest.js';

type Query = Record<string, string | undefined>;

export interface WatchSettings {
  /** How often BOOKMARK events are sent to clients that allow them. */
  bookmarkIntervalMs: number;
}

export const watchSettings: WatchSettings = { bookmarkIntervalMs: 60_000 };

export async function serveWatch(req: FastifyRequest, reply: FastifyReply, store: RegistryStore, t: RequestTarget, q: Query): Promise<void> {
  const def = store.def;
  const asTable = negotiate(req.headers.accept) === 'table';
  const bookmarks = q.allowWatchBookmarks === 'true';
  const sendInitialEvents = q.sendInitialEvents === 'true';
  let timeoutMs = q.timeoutSeconds ? Number(q.timeoutSeconds) * 1000 : (1800 + Math.random() * 1800) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) timeoutMs = 1800_000;

  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache, private' });
  res.flushHeaders?.();

  let closed = false;
  let stop: (() => void) | undefined;
  const timers: NodeJS.Timeout[] = [];
  const finish = () => {
    if (closed) return;
    closed = true;
    stop?.();
    for (const tm of timers) clearTimeout(tm);
    res.end();
  };
  req.raw.on('close', finish);
  res.on('error', finish);

  let lastRV = '';
  const write = (ev: WatchEvent<unknown>) => {
    if (closed) return;
    res.write(JSON.stringify(ev) + '\n');
  };
  const send = (ev: WatchEvent<KubeObject>) => {
    lastRV = ev.object.metadata?.resourceVersion ?? lastRV;
    if (asTable) write({ type: ev.type, object: toTable(def, [ev.object], { includeObject: q.includeObject === 'Object' ? 'Object' : 'Metadata', listResourceVersion: lastRV }) });
    else write(ev);
  };
  const bookmark = (annotations?: Record<string, string>) =>
    write({ type: 'BOOKMARK', object: { kind: def.kind, apiVersion: apiVersionOf(def), metadata: { resourceVersion: lastRV || String(store.currentRevision), ...(annotations ? { annotations } : {}) } } });

  try {
    const w = store.watch(t.namespace, { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector, resourceVersion: q.resourceVersion, sendInitialEvents }, send);
    stop = w.stop;
    if (w.initialEventsEnd !== undefined) {
      lastRV = w.initialEventsEnd;
      bookmark({ 'k8s.io/initial-events-end': 'true' });
    }
  } catch (e) {
    const st = e instanceof ApiError ? e.status : { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String(e), reason: 'InternalError', code: 500 };
    write({ type: 'ERROR', object: st });
    finish();
    return;
  }
  if (closed) stop?.();
  timers.push(setTimeout(finish, timeoutMs));
  if (bookmarks) {
    const tick = () => {
      if (closed) return;
      bookmark();
      timers.push(setTimeout(tick, watchSettings.bookmarkIntervalMs));
    };
    timers.push(setTimeout(tick, watchSettings.bookmarkIntervalMs));
  }
}
