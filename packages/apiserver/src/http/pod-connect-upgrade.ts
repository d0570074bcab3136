// pods/exec, pods/attach and pods/portforward upgrades, on the raw server (Fastify's hooks never see them): the
// apiserver authenticates, validates as kube-apiserver does, then passes the upgrade request
// through to the node agent and splices the two connections, as kube-apiserver's
// UpgradeAwareHandler does with kubelet. The agent answers the handshake itself (101 for a
// WebSocket, or an error kubectl reports), so this code is the same for every protocol.
import net from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError, errors, refuseUpgrade, type Status } from '@minik/api';
import { tokenMatches } from './auth.js';
import { parseTarget } from './rest.js';
import { agentPort, parseBool, streamContainer } from './pod-connect-target.js';
import type { PodConnectOptions } from './pod-connect.js';

const STREAM_FLAGS = ['stdin', 'stdout', 'stderr', 'tty'] as const;

function refuseWith(socket: Duplex, status: Status): void {
  refuseUpgrade(socket, status.code, JSON.stringify(status), 'application/json');
}

/** The agent URL for an exec/attach request (kubelet's form, with the pod uid). */
export function agentStreamPath(pod: Pod, sub: 'exec' | 'attach', query: URLSearchParams): string {
  const m = pod.metadata!;
  const container = streamContainer(pod, query.get('container') ?? undefined);
  if (!pod.spec?.nodeName) throw errors.badRequest(`pod ${m.name} does not have a host assigned`);
  const out = new URLSearchParams();
  // kube-apiserver's streamParams: flags as "1" when set, every command word repeated.
  for (const f of STREAM_FLAGS) if (parseBool(query.get(f) ?? undefined, f)) out.set(f, '1');
  if (sub === 'exec') for (const c of query.getAll('command')) out.append('command', c);
  const seg = [m.namespace!, m.name!, m.uid!, container].map(encodeURIComponent).join('/');
  const qs = out.toString();
  return `/${sub}/${seg}${qs ? `?${qs}` : ''}`;
}

/**
 * The agent URL for a port-forward (kubelet's /portForward/{ns}/{pod}/{uid}): PodPortForwardOptions'
 * `ports` (repeated or comma-separated int32s) become kubelet's `port` parameters.
 */
export function agentPortForwardPath(pod: Pod, query: URLSearchParams): string {
  const m = pod.metadata!;
  if (!pod.spec?.nodeName) throw errors.badRequest(`pod ${m.name} does not have a host assigned`);
  const out = new URLSearchParams();
  for (const v of query.getAll('ports')) {
    for (const p of v.split(',')) {
      if (!/^[+-]?\d+$/.test(p.trim()) || Math.abs(Number(p)) > 2 ** 31 - 1) throw errors.badRequest(`ports: strconv.ParseInt: parsing ${JSON.stringify(p)}: invalid syntax`);
      out.append('port', String(Number(p)));
    }
  }
  const seg = [m.namespace!, m.name!, m.uid!].map(encodeURIComponent).join('/');
  const qs = out.toString();
  return `/portForward/${seg}${qs ? `?${qs}` : ''}`;
}

/** The request head sent to the agent: the client's, re-addressed and re-authenticated. */
function agentHead(req: IncomingMessage, path: string, port: number, token: string | undefined): string {
  const lines = [`${req.method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
  if (token) lines.push(`Authorization: Bearer ${token}`);
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!.toLowerCase();
    if (k === 'host' || k === 'authorization' || k === 'proxy-authorization') continue;
    lines.push(`${raw[i]}: ${raw[i + 1]}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

async function handle(opts: PodConnectOptions, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  if (opts.token && !tokenMatches(req.headers.authorization, Buffer.from(opts.token))) return refuseWith(socket, errors.unauthorized().status);
  const url = new URL(req.url ?? '/', 'http://apiserver');
  const t = parseTarget(url.pathname);
  if (!t || t.group !== '' || t.version !== 'v1' || t.resource !== 'pods' || !t.name || !t.namespace) return refuseWith(socket, errors.pathNotFound().status);
  const sub = t.subresource;
  if (sub !== 'exec' && sub !== 'attach' && sub !== 'portforward') return refuseWith(socket, errors.pathNotFound().status);
  if (req.method !== 'GET' && req.method !== 'POST') return refuseWith(socket, errors.methodNotSupported({ group: '', resource: 'pods' }, req.method!.toLowerCase()).status);
  const pod = opts.registry.store('', 'pods').get(t.namespace, t.name) as Pod;
  const path = sub === 'portforward' ? agentPortForwardPath(pod, url.searchParams) : agentStreamPath(pod, sub, url.searchParams);
  const port = agentPort(opts.registry, pod.spec!.nodeName!);

  const agent = net.connect({ host: '127.0.0.1', port });
  agent.setNoDelay(true);
  const cleanup = () => {
    agent.destroy();
    socket.destroy();
  };
  let connected = false;
  agent.once('connect', () => {
    connected = true;
    agent.write(agentHead(req, path, port, opts.agentToken));
    if (head.length) agent.write(head);
    // From here on the bytes are the agent's answer and the session itself.
    agent.pipe(socket);
    socket.pipe(agent);
  });
  agent.once('error', (e: NodeJS.ErrnoException) => {
    if (!connected) {
      // Nothing was sent to the client yet: say why, as kube-apiserver's "error dialing backend".
      const reason = e.code === 'ECONNREFUSED' ? `dial tcp 127.0.0.1:${port}: connect: connection refused` : e.message;
      refuseWith(socket, { ...errors.internal('').status, message: `error dialing backend: ${reason}`, reason: undefined });
      agent.destroy();
      return;
    }
    cleanup();
  });
  agent.once('close', () => socket.end());
  socket.once('close', () => agent.destroy());
  socket.once('error', cleanup);
}

/** Handles WebSocket (and SPDY) upgrades for pods/exec and pods/attach on the raw server. */
export function registerUpgrades(server: { on(event: 'upgrade', l: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown }, opts: PodConnectOptions): void {
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    handle(opts, req, socket, head).catch((e) => {
      const status = e instanceof ApiError ? e.status : errors.internal((e as Error).message).status;
      refuseWith(socket, status);
    });
  });
}
