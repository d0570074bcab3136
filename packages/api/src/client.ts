// The REST client every minik component uses to talk to an apiserver (minik's or a real one).
// Built on node:http/https: loading undici costs ~100 ms, which every CLI run would pay.
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { ApiError, isStatus } from './errors.js';
import type { KubeList, KubeObject, WatchEvent, GroupVersionResource } from './types.js';
import { groupVersion } from './types.js';

export interface ClientOptions {
  server: string; // http://127.0.0.1:6443
  token?: string;
  userAgent?: string;
  /** Per-request timeout for non-streaming calls, ms. */
  timeoutMs?: number;
  insecureSkipTLSVerify?: boolean;
  ca?: string;
  cert?: string;
  key?: string;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** The apiserver could not be reached at all (kubectl's "connection ... refused"). */
export class ConnectionError extends Error {
  constructor(
    readonly server: string,
    override readonly cause: unknown,
  ) {
    const host = safeHost(server);
    const code = (cause as { code?: string })?.code;
    super(
      code === 'ECONNREFUSED'
        ? `The connection to the server ${host} was refused - did you specify the right host or port?`
        : `Unable to connect to the server: ${(cause as Error)?.message ?? String(cause)}`,
    );
  }
}

function safeHost(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** Return the raw body as text instead of parsing JSON. */
  text?: boolean;
  /** Headers received are passed here (e.g. Warning). */
  onHeaders?: (headers: Record<string, string | string[] | undefined>) => void;
}

export function buildQuery(query?: RequestOptions['query']): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

export interface ResourcePathParts {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function resourcePath(p: ResourcePathParts): string {
  let s = p.group ? `/apis/${p.group}/${p.version}` : `/api/${p.version}`;
  if (p.namespace) s += `/namespaces/${encodeURIComponent(p.namespace)}`;
  s += `/${p.resource}`;
  if (p.name !== undefined) s += `/${encodeURIComponent(p.name)}`;
  if (p.subresource) s += `/${p.subresource}`;
  return s;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export class ApiClient {
  readonly server: string;
  private readonly agent: http.Agent;
  private readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  /** Warnings the server sent (`Warning: 299 - "..."`), for the CLI to print. */
  onWarning?: (msg: string) => void;

  constructor(opts: ClientOptions) {
    this.server = opts.server.replace(/\/+$/, '');
    this.url = new URL(this.server);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    const tls = this.url.protocol === 'https:';
    this.agent = tls
      ? new https.Agent({ keepAlive: true, rejectUnauthorized: !opts.insecureSkipTLSVerify, ca: opts.ca, cert: opts.cert, key: opts.key })
      : new http.Agent({ keepAlive: true });
    this.headers = { 'user-agent': opts.userAgent ?? 'minik' };
    if (opts.token) this.headers.authorization = `Bearer ${opts.token}`;
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private send(method: Method, path: string, opts: RequestOptions, stream: boolean): Promise<IncomingMessage> {
    const headers: Record<string, string> = { ...this.headers, accept: opts.accept ?? 'application/json' };
    let body: Buffer | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      body = Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
      headers['content-length'] = String(body.length);
    }
    const mod = this.url.protocol === 'https:' ? https : http;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = mod.request(
        {
          protocol: this.url.protocol,
          hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
          port: this.url.port,
          path: this.url.pathname.replace(/\/$/, '') + path + buildQuery(opts.query),
          method,
          headers,
          agent: this.agent,
          signal: opts.signal,
        },
        (res) => {
          if (!stream) req.setTimeout(0);
          const warning = res.headers['warning'];
          if (warning && this.onWarning) {
            for (const w of Array.isArray(warning) ? warning : [warning]) this.onWarning(parseWarning(w));
          }
          opts.onHeaders?.(res.headers);
          resolve(res);
        },
      );
      if (!stream && this.timeoutMs > 0) {
        req.setTimeout(this.timeoutMs, () => req.destroy(Object.assign(new Error(`request timed out after ${this.timeoutMs}ms`), { code: 'ETIMEDOUT' })));
      }
      req.on('error', (e) => {
        if ((e as Error).name === 'AbortError') reject(e);
        else reject(new ConnectionError(this.server, e));
      });
      req.end(body);
    });
  }

  private static async readText(res: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  /** One request; non-2xx answers are thrown as ApiError with the server's Status. */
  async request<T = unknown>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, opts, false);
    const text = await ApiClient.readText(res);
    const code = res.statusCode ?? 0;
    if (code >= 400) throw toApiError(code, text, method, path);
    if (opts.text) return text as T;
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      return text as T;
    }
  }

  /** A streaming GET (logs -f, watch): yields body chunks as they arrive. */
  async stream(path: string, opts: RequestOptions = {}): Promise<AsyncIterable<Buffer>> {
    const res = await this.send('GET', path, opts, true);
    const code = res.statusCode ?? 0;
    if (code >= 400) throw toApiError(code, await ApiClient.readText(res), 'GET', path);
    return res as AsyncIterable<Buffer>;
  }

  /** Watch a collection: yields decoded events until the server closes or the signal aborts. */
  async *watch<T = KubeObject>(path: string, query: RequestOptions['query'], signal?: AbortSignal, accept?: string): AsyncGenerator<WatchEvent<T>> {
    let body: AsyncIterable<Buffer>;
    try {
      body = await this.stream(path, { query: { ...query, watch: 'true' }, signal, accept });
    } catch (e) {
      if ((e as Error).name === 'AbortError' || signal?.aborted) return;
      throw e;
    }
    let buf = '';
    try {
      for await (const chunk of body) {
        buf += chunk.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) yield JSON.parse(line) as WatchEvent<T>;
        }
      }
    } catch (e) {
      if ((e as Error).name === 'AbortError' || signal?.aborted || (e as NodeJS.ErrnoException).code === 'ECONNRESET') return;
      throw e;
    }
    if (buf.trim()) yield JSON.parse(buf) as WatchEvent<T>;
  }

  resource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource): ResourceClient<T> {
    return new ResourceClient<T>(this, gvr);
  }
}

function parseWarning(h: string): string {
  // RFC 7234 warning: 299 - "text"
  const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(h);
  return m ? m[1].replace(/\\(.)/g, '$1') : h;
}

export function toApiError(code: number, text: string, method: string, path: string): ApiError {
  try {
    const parsed = JSON.parse(text);
    if (isStatus(parsed)) return new ApiError(parsed);
  } catch {
    /* not JSON */
  }
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Expired',
    413: 'RequestEntityTooLarge',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
  };
  const message =
    code === 404
      ? 'the server could not find the requested resource'
      : text.trim() || `an error on the server ("unknown") has prevented the request from succeeding (${method.toLowerCase()} ${path})`;
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: reasons[code] ?? 'Unknown', message, code });
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  limit?: number;
  continue?: string;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  dryRun?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Typed verbs on one resource (pods, deployments.apps, ...). Namespace '' means cluster-wide/cluster-scoped. */
export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    readonly client: ApiClient,
    readonly gvr: GroupVersionResource,
  ) {}

  path(namespace?: string, name?: string, subresource?: string): string {
    return resourcePath({ ...this.gvr, namespace: namespace || undefined, name, subresource });
  }

  get apiVersion(): string {
    return groupVersion(this.gvr);
  }

  list(namespace?: string, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.client.request('GET', this.path(namespace), { query: { ...opts } });
  }

  get(namespace: string | undefined, name: string, subresource?: string): Promise<T> {
    return this.client.request('GET', this.path(namespace, name, subresource));
  }

  create(namespace: string | undefined, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.client.request('POST', this.path(namespace), { body: obj, query: writeQuery(opts) });
  }

  update(namespace: string | undefined, obj: T, opts: WriteOptions & { subresource?: string } = {}): Promise<T> {
    return this.client.request('PUT', this.path(namespace, obj.metadata?.name ?? '', opts.subresource), {
      body: obj,
      query: writeQuery(opts),
    });
  }

  updateStatus(namespace: string | undefined, obj: T): Promise<T> {
    return this.update(namespace, obj, { subresource: 'status' });
  }

  patch(namespace: string | undefined, name: string, patch: unknown, type: PatchType = 'merge', opts: WriteOptions & { subresource?: string } = {}): Promise<T> {
    return this.client.request('PATCH', this.path(namespace, name, opts.subresource), {
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
      query: writeQuery(opts),
    });
  }

  delete(namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<unknown> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
    if (opts.preconditions) body.preconditions = opts.preconditions;
    return this.client.request('DELETE', this.path(namespace, name), {
      body,
      query: opts.dryRun ? { dryRun: 'All' } : undefined,
    });
  }

  watch(namespace: string | undefined, opts: ListOptions & { allowWatchBookmarks?: boolean; timeoutSeconds?: number } = {}, signal?: AbortSignal) {
    return this.client.watch<T>(this.path(namespace), { ...opts }, signal);
  }
}

function writeQuery(opts: WriteOptions) {
  return {
    dryRun: opts.dryRun ? 'All' : undefined,
    fieldManager: opts.fieldManager,
    fieldValidation: opts.fieldValidation,
  };
}
