// /exec and /attach upgrades: find the running container (kubelet's errors when there is none),
// accept the WebSocket, run the Docker side, and end with the Status kubelet would write.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  PROTOCOL_V4,
  PROTOCOL_V5,
  Channel,
  acceptWebSocket,
  channelMessage,
  exitCodeStatusJson,
  internalErrorStatusJson,
  isWebSocketUpgrade,
  refuseUpgrade,
  successStatusJson,
  type WebSocket,
} from '@minik/api';
import type { Docker, StreamChunk } from '../docker/index.js';
import type { RuntimeView, ContainerInfo } from '../runtime.js';
import { runningContainer, type PodRef } from './containers.js';
import { parseStreamRequest, runSession, type StreamRequest } from './session.js';

export interface RemoteDeps {
  docker: Docker;
  runtime: RuntimeView;
  log: (msg: string) => void;
  /** Containers attached to at least once (see serveAttach). */
  attached?: Set<string>;
}

/** What the URL names: kubelet's `/exec/{ns}/{pod}[/{uid}]/{container}` (same for attach). */
export function parseRemotePath(segs: string[]): { ref: PodRef; container: string } | undefined {
  if (segs.length === 3) return { ref: { namespace: segs[0]!, pod: segs[1]! }, container: segs[2]! };
  if (segs.length === 4) return { ref: { namespace: segs[0]!, pod: segs[1]!, uid: segs[2]! }, container: segs[3]! };
  return undefined;
}

const SUPPORTED = [PROTOCOL_V5, PROTOCOL_V4];

/**
 * The common start of both verbs. Returns the accepted WebSocket, or undefined after answering
 * the request with an error (which the apiserver passes through, and kubectl then reports as
 * `unable to upgrade connection: ...`).
 */
function open(req: IncomingMessage, socket: Duplex, head: Buffer, container: ContainerInfo | undefined, notFound: string, q: URLSearchParams): { ws: WebSocket; request: StreamRequest } | undefined {
  if (!container) {
    refuseUpgrade(socket, 500, notFound);
    return undefined;
  }
  const request = parseStreamRequest(q);
  if (typeof request === 'string') {
    refuseUpgrade(socket, 400, request);
    return undefined;
  }
  if (!isWebSocketUpgrade(req)) {
    // kubectl before 1.30 speaks SPDY/3.1 only (and newer ones fall back to it): say why not.
    const status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'minik serves exec and attach over WebSocket only (v5.channel.k8s.io, kubectl 1.30 or newer); SPDY/3.1 is not supported',
      reason: 'BadRequest',
      code: 400,
    };
    refuseUpgrade(socket, 400, JSON.stringify(status), 'application/json');
    return undefined;
  }
  const ws = acceptWebSocket(req, socket, head, SUPPORTED);
  // Stdin may follow the handshake at once: hold it until the session listens.
  ws?.pause();
  return ws ? { ws, request } : undefined;
}

/** Resizes one at a time, in order (attach sends size+1 then size: the last must win). */
function serialResize(apply: (rows: number, cols: number) => Promise<void>): (s: { width: number; height: number }) => void {
  let chain = Promise.resolve();
  return (s) => {
    chain = chain.then(() => apply(s.height, s.width)).catch(() => undefined);
  };
}

function finish(ws: WebSocket, statusJson: string): void {
  if (!ws.open) return;
  ws.resume();
  ws.send(channelMessage(Channel.error, Buffer.from(statusJson)));
  ws.close();
}

export async function serveExec(deps: RemoteDeps, req: IncomingMessage, socket: Duplex, head: Buffer, segs: string[], q: URLSearchParams): Promise<void> {
  const target = parseRemotePath(segs);
  if (!target) return refuseUpgrade(socket, 404, '404 page not found');
  const command = q.getAll('command');
  const container = runningContainer(deps.runtime, target.ref, target.container);
  const opened = open(req, socket, head, container, `container not found (${JSON.stringify(target.container)})`, q);
  if (!opened) return;
  const { ws, request } = opened;
  let execId = '';
  try {
    if (!command.length) throw new Error('you must specify at least one command for the container');
    execId = await deps.docker.execCreate(container!.id, { cmd: command, tty: request.tty, stdin: request.stdin });
    const stream = await deps.docker.execStart(execId, { tty: request.tty });
    await runSession({
      ws,
      stream,
      request,
      tty: request.tty,
      resize: serialResize((rows, cols) => deps.docker.execResize(execId, rows, cols)),
    });
    if (!ws.open) return;
    const code = await exitCode(deps.docker, execId);
    finish(ws, code === 0 ? successStatusJson() : exitCodeStatusJson(code, command));
  } catch (e) {
    deps.log(`exec in ${target.ref.namespace}/${target.ref.pod}/${target.container}: ${(e as Error).message}`);
    finish(ws, internalErrorStatusJson(`error executing command in container: ${(e as Error).message}`));
  }
}

/** The exit code once Docker has noticed the process ended (it can lag the stream's end). */
async function exitCode(docker: Docker, execId: string): Promise<number> {
  for (let i = 0; ; i++) {
    const info = await docker.execInspect(execId);
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    if (i >= 50) throw new Error(`exec ${execId.slice(0, 12)} did not report an exit code`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function serveAttach(deps: RemoteDeps, req: IncomingMessage, socket: Duplex, head: Buffer, segs: string[], q: URLSearchParams): Promise<void> {
  const target = parseRemotePath(segs);
  if (!target) return refuseUpgrade(socket, 404, '404 page not found');
  const container = runningContainer(deps.runtime, target.ref, target.container);
  const request = parseStreamRequest(q);
  // Attach to Docker before accepting: Docker waits forever on a container that has already
  // exited (that is how `docker start -a` works), so check it still runs once attached, and
  // refuse like a CRI runtime otherwise (kubectl run then falls back to the container's log).
  //
  // Except on the first attach to a non-TTY stdinOnce container (what `run -i` creates): its
  // output then comes from its followed log, from the first line to its exit, so a quick
  // command's output is neither lost to the time the attach takes (kubectl's "If you don't see
  // a command prompt") nor cut off when it exits first; stdin still goes through an attach.
  let stream: Duplex | undefined;
  let output: AsyncIterable<StreamChunk> | undefined;
  const stopOutput = new AbortController();
  if (container && typeof request !== 'string' && isWebSocketUpgrade(req)) {
    const tty = container.tty;
    try {
      const first = !deps.attached?.has(container.id);
      if (deps.attached && deps.attached.size > 4096) deps.attached.clear(); // ids of long-gone containers
      deps.attached?.add(container.id);
      const info = first && !tty ? await deps.docker.containerInspect(container.id) : undefined;
      if (info?.Config?.StdinOnce) {
        output = completeLog(deps.docker, container.id, { stdout: request.stdout, stderr: request.stderr, tty: false }, stopOutput.signal);
        if (request.stdin && info.State?.Running) stream = await deps.docker.containerAttach(container.id, { stdin: true, stdout: false, stderr: false, stream: true });
      } else {
        stream = await deps.docker.containerAttach(container.id, { stdin: request.stdin, stdout: request.stdout, stderr: request.stderr || tty, stream: true });
        if (!(await deps.docker.containerInspect(container.id))?.State?.Running) {
          discard(stream);
          return refuseUpgrade(socket, 500, `container ${target.container} is not running`);
        }
      }
    } catch (e) {
      if (stream) discard(stream);
      stopOutput.abort();
      deps.log(`attach to ${target.ref.namespace}/${target.ref.pod}/${target.container}: ${(e as Error).message}`);
      return refuseUpgrade(socket, 500, `error attaching to container: ${(e as Error).message}`);
    }
  }
  const opened = open(req, socket, head, container, `container ${target.container} not found in pod ${target.ref.pod}_${target.ref.namespace}`, q);
  if (!opened || (!stream && !output)) {
    if (stream) discard(stream);
    stopOutput.abort();
    return;
  }
  const { ws } = opened;
  // Whether output is a terminal's is the container's setting, not the request's.
  const tty = container!.tty;
  try {
    await runSession({
      ws,
      stream,
      output,
      onGone: () => stopOutput.abort(),
      request: { ...opened.request, stdout: opened.request.stdout || tty },
      tty,
      resize: serialResize((rows, cols) => deps.docker.containerResize(container!.id, rows, cols)),
    });
    finish(ws, successStatusJson());
  } catch (e) {
    deps.log(`attach to ${target.ref.namespace}/${target.ref.pod}/${target.container}: ${(e as Error).message}`);
    finish(ws, internalErrorStatusJson(`error attaching to container: ${(e as Error).message}`));
  } finally {
    stopOutput.abort();
    if (output && stream) discard(stream);
  }
}

/** Drops a Docker stream nobody will read (its close is no error). */
function discard(stream: Duplex): void {
  stream.on('error', () => undefined);
  stream.destroy();
}

/**
 * A container's log followed to its end, then read once more: Docker 20.10's follow can stop at
 * the container's exit before its last lines (seen as `run -i` printing nothing for a quick
 * command), so whatever the follow missed, per stream, comes after.
 */
async function* completeLog(docker: Docker, id: string, opts: { stdout: boolean; stderr: boolean; tty: boolean }, signal: AbortSignal): AsyncGenerator<StreamChunk> {
  const seen = { stdout: 0, stderr: 0 };
  for await (const c of docker.containerLogs(id, { ...opts, follow: true }, signal)) {
    seen[c.stream] += c.data.length;
    yield c;
  }
  if (signal.aborted) return;
  const all: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
  for await (const c of docker.containerLogs(id, { ...opts, follow: false }, signal)) all[c.stream].push(c.data);
  for (const stream of ['stdout', 'stderr'] as const) {
    const buf = Buffer.concat(all[stream]);
    if (buf.length > seen[stream]) yield { stream, data: buf.subarray(seen[stream]) };
  }
}
