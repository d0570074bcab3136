// /portForward/{ns}/{pod}[/{uid}]?port=N: kubelet's WebSocket port forwarding (see
// @minik/api portforward.ts for the channels). Each port becomes one TCP connection from this
// node to the pod's address — the address of its network holder (sandbox, or its only
// container) — so a process inside the pod that listens on 127.0.0.1 only is not reachable,
// where kubelet would connect to localhost inside the pod's network namespace.
import net from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { PORTFORWARD_PROTOCOL, acceptWebSocket, channelMessage, isWebSocketUpgrade, offeredProtocols, parsePortParams, portPrefix, refuseUpgrade, type WebSocket } from '@minik/api';
import type { ContainerInfo, RuntimeView } from '../runtime.js';
import type { PodRef } from './containers.js';

export interface PortForwardDeps {
  runtime: RuntimeView;
  log: (msg: string) => void;
}

/** How long a connection to the pod may take (kubelet has no limit of its own; the OS's is minutes). */
const DIAL_TIMEOUT_MS = 10_000;

/** The running container that holds the pod's address; several incarnations: the newest. */
export function networkHolder(runtime: RuntimeView, ref: PodRef): ContainerInfo | undefined {
  return runtime
    .all()
    .filter((c) => c.namespace === ref.namespace && c.podName === ref.pod && (!ref.uid || c.podUid === ref.uid) && c.state === 'running' && c.podIP)
    .sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''))[0];
}

/** A Node socket error worded as Go's net package words it (what kubectl users know). */
export function dialError(e: NodeJS.ErrnoException, host: string, port: number): string {
  const addr = `${host}:${port}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `dial tcp4 ${addr}: connect: connection refused`;
    case 'EHOSTUNREACH':
      return `dial tcp4 ${addr}: connect: no route to host`;
    case 'ENETUNREACH':
      return `dial tcp4 ${addr}: connect: network is unreachable`;
    case 'ETIMEDOUT':
      return `dial tcp4 ${addr}: i/o timeout`;
    case 'ECONNRESET':
      return `read tcp4 ${addr}: read: connection reset by peer`;
    default:
      return `dial tcp4 ${addr}: ${e.message}`;
  }
}

export function parsePortForwardPath(segs: string[]): PodRef | undefined {
  if (segs.length === 2) return { namespace: segs[0]!, pod: segs[1]! };
  if (segs.length === 3) return { namespace: segs[0]!, pod: segs[1]!, uid: segs[2]! };
  return undefined;
}

export function servePortForward(deps: PortForwardDeps, req: IncomingMessage, socket: Duplex, head: Buffer, segs: string[], q: URLSearchParams): void {
  const ref = parsePortForwardPath(segs);
  if (!ref) return refuseUpgrade(socket, 404, '404 page not found');
  if (!isWebSocketUpgrade(req) || offeredProtocols(req).some((p) => p.startsWith('SPDY/'))) {
    // kubectl speaks SPDY/3.1 here (tunneled in a WebSocket since 1.31): say why not.
    const status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'minik serves port-forward over WebSocket channels only (v4.channel.k8s.io, as `minik port-forward` and the JavaScript and Python clients use); SPDY/3.1 is not supported',
      reason: 'BadRequest',
      code: 400,
    };
    return refuseUpgrade(socket, 400, JSON.stringify(status), 'application/json');
  }
  const ports = parsePortParams(q.getAll('port'));
  if (typeof ports === 'string') return refuseUpgrade(socket, 400, ports);
  const holder = networkHolder(deps.runtime, ref);
  if (!holder) return refuseUpgrade(socket, 404, `pod ${ref.pod}_${ref.namespace}${ref.uid ? `(${ref.uid})` : ''} has no running container holding its network`);
  const ws = acceptWebSocket(req, socket, head, [PORTFORWARD_PROTOCOL, '']);
  if (!ws) return;
  ws.pause();
  const conns = ports.map((port, i) => forwardPort(ws, holder, port, i, deps.log));
  ws.on('message', (data) => {
    if (data.length < 2) return;
    const ch = data[0]!;
    // Only data channels carry client bytes; error channels are server-to-client.
    if (ch % 2 === 0) conns[ch / 2]?.write(data.subarray(1));
  });
  ws.once('close', () => {
    for (const c of conns) c.destroy();
  });
  ws.resume();
  let open = conns.length;
  for (const c of conns) {
    c.done.then(() => {
      if (--open === 0) ws.close();
    });
  }
}

interface PortConn {
  write(data: Buffer): void;
  destroy(): void;
  done: Promise<void>;
}

/** One port's TCP connection to the pod, tied to channels 2i and 2i+1. */
function forwardPort(ws: WebSocket, holder: ContainerInfo, port: number, i: number, log: (m: string) => void): PortConn {
  const data = 2 * i;
  const errCh = 2 * i + 1;
  ws.send(channelMessage(data, portPrefix(port)));
  ws.send(channelMessage(errCh, portPrefix(port)));
  const host = holder.podIP!;
  const tcp = net.connect({ host, port, timeout: DIAL_TIMEOUT_MS });
  tcp.setNoDelay(true);
  let connected = false;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const pending: Buffer[] = [];
  tcp.once('connect', () => {
    connected = true;
    tcp.setTimeout(0);
    for (const b of pending.splice(0)) tcp.write(b);
  });
  tcp.once('timeout', () => {
    if (!connected) tcp.destroy(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' }));
  });
  tcp.on('data', (chunk: Buffer) => {
    if (!ws.send(channelMessage(data, chunk))) {
      tcp.pause();
      ws.socket.once('drain', () => tcp.resume());
    }
  });
  tcp.once('error', (e: NodeJS.ErrnoException) => {
    // kubelet's wording around the runtime's error, with the network holder as the "pod".
    const msg = `error forwarding port ${port} to pod ${holder.id}, uid : ${dialError(e, host, port)}`;
    log(msg);
    ws.send(channelMessage(errCh, Buffer.from(msg)));
  });
  tcp.once('close', () => resolve());
  return {
    write(b) {
      if (!connected) pending.push(b);
      else if (!tcp.write(b)) {
        ws.socket.pause();
        tcp.once('drain', () => ws.socket.resume());
      }
    },
    destroy: () => tcp.destroy(),
    done,
  };
}
