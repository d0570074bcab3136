// The agent's own API (kubelet's port 10250 role): container logs, exec, attach and port-forward
// for the apiserver to proxy. Listens on loopback only and requires the cluster token.
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { timingSafeEqual } from 'node:crypto';
import type { PodStatus } from 'kubernetes-types/core/v1.js';
import { refuseUpgrade } from '@minik/api';
import type { Docker } from '../docker/index.js';
import type { RuntimeView } from '../runtime.js';
import { plain, serveContainerLogs } from './logs.js';
import { serveAttach, serveExec } from './remote.js';
import { servePortForward } from './portforward.js';

export interface AgentServerOptions {
  docker: Docker;
  runtime: RuntimeView;
  /** Bearer token the apiserver presents. */
  token: string;
  host?: string;
  port?: number;
  log: (msg: string) => void;
  /**
   * The pod's status as this node reported it (kubelet's status manager), by namespace and
   * name: logs then follow kubelet's rules exactly (e.g. `--previous` during CrashLoopBackOff).
   * Without it they are judged from the containers Docker has.
   */
  podStatus?: (namespace: string, name: string) => PodStatus | undefined;
}

export interface AgentServer {
  port: number;
  close(): Promise<void>;
}

/** `/verb/a/b/c` → ['verb', 'a', 'b', 'c'] (decoded), and the query. */
function route(req: IncomingMessage): { segs: string[]; query: URLSearchParams } | undefined {
  try {
    const url = new URL(req.url ?? '/', 'http://agent');
    return { segs: url.pathname.split('/').filter(Boolean).map(decodeURIComponent), query: url.searchParams };
  } catch {
    return undefined;
  }
}

function authorized(req: IncomingMessage, expected: Buffer): boolean {
  const h = req.headers.authorization ?? '';
  if (!h.startsWith('Bearer ')) return false;
  const got = Buffer.from(h.slice(7).trim());
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export async function startAgentServer(opts: AgentServerOptions): Promise<AgentServer> {
  const expected = Buffer.from(opts.token);
  const deps = { docker: opts.docker, runtime: opts.runtime, log: opts.log, podStatus: opts.podStatus, attached: new Set<string>() };
  const sockets = new Set<Duplex>();

  const server = http.createServer((req, res) => {
    if (!authorized(req, expected)) return plain(res, 401, 'Unauthorized');
    const r = route(req);
    if (!r) return plain(res, 400, 'bad request path');
    const [verb, ...rest] = r.segs;
    if (verb === 'healthz') return plain(res, 200, 'ok');
    if (verb === 'containerLogs' && rest.length === 3) {
      if (req.method !== 'GET') return plain(res, 405, 'method not allowed');
      void serveContainerLogs(deps, req, res, rest, r.query).catch((e) => {
        opts.log(`logs: ${(e as Error).message}`);
        if (!res.headersSent) plain(res, 500, (e as Error).message);
        else res.destroy();
      });
      return;
    }
    if (verb === 'exec' || verb === 'attach' || verb === 'portForward') return plain(res, 400, 'Upgrade request required');
    plain(res, 404, '404 page not found');
  });
  // Long-lived streams: no request timeout (Node's default would cut `logs -f` after 5 min).
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (!authorized(req, expected)) return refuseUpgrade(socket, 401, 'Unauthorized');
    const r = route(req);
    const [verb, ...rest] = r?.segs ?? [];
    if (r && verb === 'portForward') return servePortForward(deps, req, socket, head, rest, r.query);
    const serve = verb === 'exec' ? serveExec : verb === 'attach' ? serveAttach : undefined;
    if (!r || !serve) return refuseUpgrade(socket, 404, '404 page not found');
    serve(deps, req, socket, head, rest, r.query).catch((e) => {
      opts.log(`${verb}: ${(e as Error).message}`);
      socket.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
