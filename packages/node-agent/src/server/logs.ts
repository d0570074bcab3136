// GET /containerLogs/{namespace}/{pod}/{container}: kubelet's container log endpoint. Plain
// bytes (stdout and stderr merged in order), streamed while following; errors as plain text.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PodStatus } from 'kubernetes-types/core/v1.js';
import type { Docker, LogsOptions } from '../docker/index.js';
import type { RuntimeView } from '../runtime.js';
import { logTarget } from './containers.js';

export interface LogQuery {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
  uid?: string;
}

const bool = (v: string | null) => v === 'true' || v === '1';

/** PodLogOptions from the query; a string is the 400 message (kubelet's validation wording). */
export function parseLogQuery(q: URLSearchParams): LogQuery | string {
  const int = (k: string) => {
    const v = q.get(k);
    if (v === null || v === '') return undefined;
    return /^-?\d+$/.test(v) ? Number(v) : NaN;
  };
  const out: LogQuery = { follow: bool(q.get('follow')), previous: bool(q.get('previous')), timestamps: bool(q.get('timestamps')) };
  // kubelet's backwards-compatible `tail` (with `all`).
  const tail = q.get('tail');
  const tailLines = tail !== null && tail !== 'all' && q.get('tailLines') === null ? (/^\d+$/.test(tail) ? Number(tail) : NaN) : int('tailLines');
  const sinceSeconds = int('sinceSeconds');
  const limitBytes = int('limitBytes');
  if ([tailLines, sinceSeconds, limitBytes].some((n) => Number.isNaN(n))) return '{"message": "Unable to decode query."}';
  if ((tailLines !== undefined && tailLines < 0) || (limitBytes !== undefined && limitBytes < 1) || (sinceSeconds !== undefined && sinceSeconds < 1)) {
    return '{"message": "Invalid request."}';
  }
  const sinceTime = q.get('sinceTime') || undefined;
  if (sinceTime && Number.isNaN(Date.parse(sinceTime))) return '{"message": "Unable to decode query."}';
  if (sinceTime && sinceSeconds !== undefined) return '{"message": "Invalid request."}';
  return { ...out, tailLines, sinceSeconds, sinceTime, limitBytes, uid: q.get('podUID') || undefined };
}

export interface LogDeps {
  docker: Docker;
  runtime: RuntimeView;
  podStatus?: (namespace: string, name: string) => PodStatus | undefined;
  log: (msg: string) => void;
}

export async function serveContainerLogs(deps: LogDeps, req: IncomingMessage, res: ServerResponse, path: string[], query: URLSearchParams): Promise<void> {
  const [namespace, pod, name] = path;
  const q = parseLogQuery(query);
  if (typeof q === 'string') return plain(res, q.includes('Invalid') ? 422 : 400, q);
  const status = deps.podStatus?.(namespace!, pod!);
  const target = logTarget(deps.runtime, { namespace: namespace!, pod: pod!, uid: q.uid }, name!, q.previous, status);
  if ('message' in target) return plain(res, target.code, target.message);

  const abort = new AbortController();
  const stop = () => abort.abort();
  req.on('close', stop);
  res.on('close', stop);
  const options: LogsOptions = { follow: q.follow, timestamps: q.timestamps, tty: target.container.tty };
  if (q.tailLines !== undefined) options.tail = q.tailLines;
  if (q.sinceSeconds !== undefined) options.since = Date.now() / 1000 - q.sinceSeconds;
  else if (q.sinceTime) options.since = Date.parse(q.sinceTime) / 1000;

  const logs = deps.docker.containerLogs(target.container.id, options, abort.signal);
  let first: IteratorResult<{ data: Buffer }>;
  try {
    first = q.follow ? { done: false, value: { data: Buffer.alloc(0) } } : await logs.next();
  } catch (e) {
    return plain(res, 500, (e as Error).message);
  }
  // Headers go out at once: a follower must see 200 before the container says anything.
  res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-cache, private' });
  res.flushHeaders();
  let left = q.limitBytes ?? Infinity;
  const write = async (data: Buffer): Promise<boolean> => {
    if (!data.length) return true;
    const chunk = data.length > left ? data.subarray(0, left) : data;
    left -= chunk.length;
    if (!res.write(chunk)) await drained(res);
    return left > 0;
  };
  try {
    let more = first.done ? false : await write(first.value.data);
    while (more && !abort.signal.aborted) {
      const next = await logs.next();
      if (next.done) break;
      more = await write(next.value.data);
    }
  } catch (e) {
    if (!abort.signal.aborted) deps.log(`logs ${namespace}/${pod}/${name}: ${(e as Error).message}`);
  } finally {
    abort.abort();
    await logs.return(undefined).catch(() => undefined);
    res.end();
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

export function plain(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}
