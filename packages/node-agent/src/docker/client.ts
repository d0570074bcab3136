import type { Duplex, Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { demux, rawChunks, type StreamChunk } from './demux.js';
import { DockerError, DockerUnavailableError, ImagePullError, errorFromResponse, isUnavailable } from './errors.js';
import { hijack } from './hijack.js';
import { dockerHost, socketHost, type DockerHost } from './host.js';
import { jsonLines } from './json-lines.js';
import { filtersParam, splitRef, timeParam, toQuery, type Query } from './params.js';
import type {
  ContainerCreateBody,
  ContainerInspect,
  ContainerSummary,
  ContainerWaitResult,
  DockerEvent,
  ExecInspect,
  ImageInspect,
  LabelFilter,
  Labels,
  NetworkInspect,
  SystemInfo,
  VersionInfo,
} from './types.js';

/** Every path is pinned to this version: Debian's Docker 20.10 speaks it, newer engines still do. */
export const API_VERSION = 'v1.41';

export interface DockerOptions {
  /** Path of the Engine's unix socket; default from DOCKER_HOST, else /var/run/docker.sock. */
  socketPath?: string;
}

interface RequestOptions {
  query?: Query;
  /** JSON body. */
  json?: unknown;
  /** Raw body (image tarballs). */
  raw?: Buffer | Readable;
  contentType?: string;
  signal?: AbortSignal;
  /** Long-lived answers (streams, waits, stops): no header or body timeouts. */
  long?: boolean;
}

export interface LogsOptions {
  follow?: boolean;
  /** Number of last lines, or 'all' (default). */
  tail?: number | 'all';
  timestamps?: boolean;
  /** Unix seconds (fractions allowed), a Date, or what Docker parses (RFC 3339, '10m'). */
  since?: number | Date | string;
  stdout?: boolean;
  stderr?: boolean;
  /** Whether the container has a TTY; inspected when not given (decides the demultiplexing). */
  tty?: boolean;
}

export interface AttachOptions {
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  stream?: boolean;
  /** Replay the output logged so far before streaming. */
  logs?: boolean;
}

export interface ExecCreateOptions {
  cmd: string[];
  tty?: boolean;
  stdin?: boolean;
  env?: string[];
  workingDir?: string;
  user?: string;
}

export interface NetworkCreateOptions {
  subnets: Array<{ subnet: string; gateway?: string; ipRange?: string }>;
  labels?: Labels;
  /** Driver options, e.g. `com.docker.network.bridge.name`. */
  options?: Record<string, string>;
  driver?: string;
  internal?: boolean;
}

export interface EventsOptions {
  /** Docker's filters as lists: `{ type: ['container'], event: ['start', 'die'] }`. */
  filters?: Record<string, string[]>;
  /** Convenience for `filters.label`. */
  labels?: LabelFilter;
  /** Replay events since then (unix seconds or Date), then stream; see events(). */
  since?: number | Date;
  until?: number | Date;
}

/** Docker Engine API client over the unix socket, with undici. */
export class Docker {
  readonly host: DockerHost;
  private readonly pool: Pool;

  constructor(options: DockerOptions = {}) {
    this.host = options.socketPath ? socketHost(options.socketPath) : dockerHost();
    // A Pool, not a single Client: a Client is one connection, so one long-lived request
    // (events, logs --follow, wait) would hold back every other call behind it.
    this.pool = new Pool(this.host.origin, {
      ...(this.host.socketPath ? { socketPath: this.host.socketPath } : {}),
      connections: null,
    });
  }

  /** Ends the client at once: pending requests and open streams fail; hijacked sockets are the caller's. */
  async close(): Promise<void> {
    await this.pool.destroy();
  }

  // ---------------------------------------------------------------- system

  /** Resolves when the Engine answers within timeoutMs; else DockerUnavailableError saying how to start Docker. */
  async ping(timeoutMs = 1000): Promise<void> {
    try {
      const res = await this.pool.request({
        path: '/_ping',
        method: 'GET',
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const body = await res.body.text();
      if (res.statusCode !== 200) throw errorFromResponse(res.statusCode, body, 'GET /_ping');
    } catch (err) {
      throw new DockerUnavailableError(this.host.display, err);
    }
  }

  version(): Promise<VersionInfo> {
    return this.json('GET', '/version');
  }

  info(): Promise<SystemInfo> {
    return this.json('GET', '/info');
  }

  // ---------------------------------------------------------------- images

  imageInspect(ref: string): Promise<ImageInspect | undefined> {
    return orUndefined(this.json<ImageInspect>('GET', `/images/${ref}/json`));
  }

  /**
   * Pulls ref (a missing tag means :latest, not every tag as the raw API would), consuming the
   * progress stream. Failures come either as an HTTP error or as an `error` message mid-stream
   * (after a 200); both become ImagePullError with Docker's message.
   */
  async imagePull(ref: string, onProgress?: (message: PullProgress) => void): Promise<void> {
    const { name, tag } = splitRef(ref);
    let res: Dispatcher.ResponseData;
    try {
      res = await this.send('POST', '/images/create', { query: { fromImage: name, tag }, long: true });
    } catch (err) {
      if (err instanceof DockerError) throw new ImagePullError(ref, err.message, err.status);
      throw err;
    }
    for await (const message of jsonLines<PullProgress>(res.body)) {
      if (message.error) throw new ImagePullError(ref, message.errorDetail?.message ?? message.error);
      onProgress?.(message);
    }
  }

  /**
   * Creates an image from a root filesystem tarball (`docker import`), tagged repoTag, with
   * Dockerfile-like changes (`CMD ["/pause"]`, `ENV A=b`). Returns the image id.
   */
  async imageImport(tar: Buffer | Readable, repoTag: string, changes: string[] = []): Promise<string> {
    const { name, tag } = splitRef(repoTag);
    const res = await this.send('POST', '/images/create', {
      query: { fromSrc: '-', repo: name, tag, changes },
      raw: tar,
      contentType: 'application/x-tar',
      long: true,
    });
    let id = '';
    for await (const message of jsonLines<PullProgress>(res.body)) {
      if (message.error) throw new DockerError(500, message.errorDetail?.message ?? message.error, 'POST /images/create');
      if (message.status?.startsWith('sha256:')) id = message.status;
    }
    return id;
  }

  /** Removes an image (untags it); an image that is already gone is fine. */
  async imageRemove(ref: string, options: { force?: boolean } = {}): Promise<void> {
    await this.ok('DELETE', `/images/${ref}`, { query: { force: options.force } }, [404]);
  }

  // ---------------------------------------------------------------- containers

  /** Creates a container from the raw Engine body; NoSuchImageError when the image is not local. */
  async containerCreate(name: string, body: ContainerCreateBody | Record<string, unknown>): Promise<string> {
    const created = await this.json<{ Id: string }>('POST', '/containers/create', { query: { name }, json: body });
    return created.Id;
  }

  /** Starts; already running is fine (Docker answers 304). */
  async containerStart(id: string): Promise<void> {
    await this.ok('POST', `/containers/${id}/start`, {});
  }

  /** `docker stop -t`: the stop signal, then SIGKILL after timeoutSeconds. Already stopped is fine (304). */
  async containerStop(id: string, timeoutSeconds: number): Promise<void> {
    await this.ok('POST', `/containers/${id}/stop`, { query: { t: Math.max(0, Math.round(timeoutSeconds)) }, long: true });
  }

  /** Sends a signal (default SIGKILL); 409 when the container is not running. */
  async containerKill(id: string, signal = 'SIGKILL'): Promise<void> {
    await this.ok('POST', `/containers/${id}/kill`, { query: { signal } });
  }

  /** Removes; a container that is already gone is fine. */
  async containerRemove(id: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    await this.ok('DELETE', `/containers/${id}`, { query: { force: options.force, v: options.volumes } }, [404]);
  }

  containerInspect(id: string): Promise<ContainerInspect | undefined> {
    return orUndefined(this.json<ContainerInspect>('GET', `/containers/${id}/json`));
  }

  containerList(options: { all?: boolean; labels?: LabelFilter } = {}): Promise<ContainerSummary[]> {
    return this.json('GET', '/containers/json', {
      query: { all: options.all, filters: filtersParam({}, options.labels) },
    });
  }

  /**
   * Waits until the container is not running (condition 'not-running', the default) or its next
   * exit ('next-exit'), and returns its exit code. Abort with signal.
   */
  containerWait(
    id: string,
    options: { condition?: 'not-running' | 'next-exit' | 'removed'; signal?: AbortSignal } = {},
  ): Promise<ContainerWaitResult> {
    return this.json('POST', `/containers/${id}/wait`, {
      query: { condition: options.condition },
      long: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /**
   * The container's output as { stream, data } chunks: demultiplexed from Docker's frames, or
   * raw (all 'stdout') for a TTY container. The request goes out when iteration starts, and
   * errors (404) are thrown from the first step; with follow the iteration ends when the
   * container stops, or quietly when signal aborts (or the loop breaks).
   */
  containerLogs(id: string, options: LogsOptions = {}, signal?: AbortSignal): AsyncGenerator<StreamChunk> {
    return untilAborted(this.logStream(id, options, signal), signal);
  }

  private async *logStream(id: string, options: LogsOptions, signal?: AbortSignal): AsyncGenerator<StreamChunk> {
    const tty = options.tty ?? (await this.mustInspect(id)).Config.Tty;
    const res = await this.send('GET', `/containers/${id}/logs`, {
      query: {
        follow: options.follow,
        stdout: options.stdout ?? true,
        stderr: options.stderr ?? true,
        timestamps: options.timestamps,
        tail: options.tail,
        since: timeParam(options.since),
      },
      long: true,
      ...(signal ? { signal } : {}),
    });
    yield* tty ? rawChunks(res.body) : demux(res.body);
  }

  /**
   * Attaches to the container's stdio; a hijacked duplex: write to stdin, read the output
   * (frames to demux() unless the container has a TTY). Needs OpenStdin for stdin.
   */
  containerAttach(id: string, options: AttachOptions = {}): Promise<Duplex> {
    const query = toQuery({
      stream: options.stream ?? true,
      stdin: options.stdin,
      stdout: options.stdout ?? true,
      stderr: options.stderr ?? true,
      logs: options.logs,
    });
    return this.hijack(`/containers/${id}/attach?${query}`, undefined);
  }

  async containerResize(id: string, rows: number, cols: number): Promise<void> {
    await this.ok('POST', `/containers/${id}/resize`, { query: { h: rows, w: cols } });
  }

  // ---------------------------------------------------------------- exec

  async execCreate(containerId: string, options: ExecCreateOptions): Promise<string> {
    const created = await this.json<{ Id: string }>('POST', `/containers/${containerId}/exec`, {
      json: {
        Cmd: options.cmd,
        Tty: options.tty ?? false,
        AttachStdin: options.stdin ?? false,
        AttachStdout: true,
        AttachStderr: true,
        ...(options.env ? { Env: options.env } : {}),
        ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
        ...(options.user ? { User: options.user } : {}),
      },
    });
    return created.Id;
  }

  /**
   * Starts the exec and returns the hijacked duplex (stdin in, output out: frames to demux()
   * unless tty). The stream ends when the process exits; then execInspect() has the ExitCode.
   */
  execStart(execId: string, options: { tty?: boolean } = {}): Promise<Duplex> {
    return this.hijack(`/exec/${execId}/start`, { Detach: false, Tty: options.tty ?? false });
  }

  async execResize(execId: string, rows: number, cols: number): Promise<void> {
    await this.ok('POST', `/exec/${execId}/resize`, { query: { h: rows, w: cols } });
  }

  execInspect(execId: string): Promise<ExecInspect> {
    return this.json('GET', `/exec/${execId}/json`);
  }

  // ---------------------------------------------------------------- networks

  async networkCreate(name: string, options: NetworkCreateOptions): Promise<string> {
    const created = await this.json<{ Id: string }>('POST', '/networks/create', {
      json: {
        Name: name,
        CheckDuplicate: true,
        Driver: options.driver ?? 'bridge',
        Internal: options.internal ?? false,
        IPAM: {
          Driver: 'default',
          Config: options.subnets.map((s) => ({
            Subnet: s.subnet,
            ...(s.gateway ? { Gateway: s.gateway } : {}),
            ...(s.ipRange ? { IPRange: s.ipRange } : {}),
          })),
        },
        Options: options.options ?? {},
        Labels: options.labels ?? {},
      },
    });
    return created.Id;
  }

  networkInspect(idOrName: string): Promise<NetworkInspect | undefined> {
    return orUndefined(this.json<NetworkInspect>('GET', `/networks/${idOrName}`));
  }

  /** Removes; a network that is already gone is fine. */
  async networkRemove(idOrName: string): Promise<void> {
    await this.ok('DELETE', `/networks/${idOrName}`, {}, [404]);
  }

  networkList(options: { labels?: LabelFilter } = {}): Promise<NetworkInspect[]> {
    return this.json('GET', '/networks', { query: { filters: filtersParam({}, options.labels) } });
  }

  async networkConnect(
    network: string,
    container: string,
    options: { ipv4Address?: string; aliases?: string[] } = {},
  ): Promise<void> {
    await this.ok('POST', `/networks/${network}/connect`, {
      json: {
        Container: container,
        EndpointConfig: {
          ...(options.ipv4Address ? { IPAMConfig: { IPv4Address: options.ipv4Address } } : {}),
          ...(options.aliases ? { Aliases: options.aliases } : {}),
        },
      },
    });
  }

  async networkDisconnect(network: string, container: string, force = false): Promise<void> {
    await this.ok('POST', `/networks/${network}/disconnect`, { json: { Container: container, Force: force } });
  }

  // ---------------------------------------------------------------- events

  /**
   * The /events stream as parsed events. The request goes out when iteration starts; errors
   * are thrown from the first step; it ends quietly when signal aborts (or the loop breaks),
   * and on its own when the daemon goes away. Docker 20.10 sends its answer's headers
   * *before* it subscribes, so an event right after the stream opened can be missed: pass
   * `since` (a moment before) to have Docker replay from its event log first.
   */
  events(options: EventsOptions = {}, signal?: AbortSignal): AsyncGenerator<DockerEvent> {
    return untilAborted(this.eventStream(options, signal), signal);
  }

  private async *eventStream(options: EventsOptions, signal?: AbortSignal): AsyncGenerator<DockerEvent> {
    const res = await this.send('GET', '/events', {
      query: {
        filters: filtersParam(options.filters ?? {}, options.labels),
        since: timeParam(options.since),
        until: timeParam(options.until),
      },
      long: true,
      ...(signal ? { signal } : {}),
    });
    yield* jsonLines<DockerEvent>(res.body);
  }

  // ---------------------------------------------------------------- transport

  private async mustInspect(id: string): Promise<ContainerInspect> {
    const found = await this.containerInspect(id);
    if (!found) throw new DockerError(404, `No such container: ${id}`, `GET /containers/${id}/json`);
    return found;
  }

  private async hijack(path: string, body: unknown): Promise<Duplex> {
    try {
      return await hijack(this.pool, { path: `/${API_VERSION}${path}`, body });
    } catch (err) {
      throw this.unavailable(err);
    }
  }

  /** Sends a request; a status >= 400 becomes a DockerError with Docker's message (after reading it). */
  private async send(method: Dispatcher.HttpMethod, path: string, options: RequestOptions = {}): Promise<Dispatcher.ResponseData> {
    const query = options.query ? toQuery(options.query) : '';
    const fullPath = `/${API_VERSION}${path}${query ? `?${query}` : ''}`;
    const headers: Record<string, string> = {};
    let body: string | Buffer | Readable | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.raw !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
      body = options.raw;
    }
    let res: Dispatcher.ResponseData;
    try {
      res = await this.pool.request({
        path: fullPath,
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.long ? { headersTimeout: 0, bodyTimeout: 0 } : {}),
      });
    } catch (err) {
      throw this.unavailable(err);
    }
    if (res.statusCode >= 400) {
      throw errorFromResponse(res.statusCode, await res.body.text(), `${method} ${path}`);
    }
    return res;
  }

  private async json<T>(method: Dispatcher.HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, options);
    return (await res.body.json()) as T;
  }

  /** A request whose answer has no body worth reading; statuses in `fine` are not errors. */
  private async ok(method: Dispatcher.HttpMethod, path: string, options: RequestOptions, fine: number[] = []): Promise<void> {
    try {
      const res = await this.send(method, path, options);
      await res.body.dump();
    } catch (err) {
      if (err instanceof DockerError && fine.includes(err.status)) return;
      throw err;
    }
  }

  private unavailable(err: unknown): unknown {
    return isUnavailable(err) ? new DockerUnavailableError(this.host.display, err) : err;
  }
}

/** A message of the pull/import progress stream. */
export interface PullProgress {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof DockerError && err.status === 404) return undefined;
    throw err;
  }
}

/** Ends the iteration quietly when the caller aborted it (aborting is how a stream is stopped). */
async function* untilAborted<T>(source: AsyncIterable<T>, signal?: AbortSignal): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
}
