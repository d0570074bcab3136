// The apiserver process: storage, registry, HTTP, then the controllers talking to it over HTTP.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ApiClient } from '@minik/api';
import { LmdbStorage } from './storage/lmdb.js';
import type { Storage } from './storage/interface.js';
import { Registry } from './registry/index.js';
import { buildHttpServer } from './http/server.js';
import { bootstrap } from './bootstrap.js';
import { versionInfo } from './version.js';
import { setDefaultTolerationSeconds } from './registry/kinds/pod-defaults.js';
import { startControllers, type RunningControllers } from './controllers/index.js';
import { loadSchemas, warmSchemas } from './registry/validation/schema.js';
import { DEFAULT_RANGES } from './registry/service-allocator.js';
import https from 'node:https';
import http from 'node:http';

/**
 * Serves the same application on a second address (the cluster network's gateway), with the
 * WebSocket upgrades of exec/attach. If the address cannot be bound (no such interface, as on
 * Docker Desktop), pods cannot reach the API and the add-ons say so; the host side still works.
 */
async function listenAlso(app: FastifyInstance, address: string, port: number, tls: ApiserverOptions['tls'], log: (m: string) => void): Promise<http.Server | undefined> {
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => app.routing(req, res);
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, handler) : http.createServer(handler);
  server.on('upgrade', (req, socket, head) => app.server.emit('upgrade', req, socket, head));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => resolve());
    });
    return server;
  } catch (e) {
    log(`warning: cannot serve the API on ${address}:${port} for pods: ${(e as Error).message}`);
    return undefined;
  }
}

export interface ApiserverOptions {
  /** Directory for the store (created if missing). */
  dataDir: string;
  host?: string;
  port: number;
  /** Bearer token clients must present; undefined disables authentication (tests only). */
  token?: string;
  /** Run the in-process controllers (default true). */
  controllers?: boolean;
  historySize?: number;
  log?: (msg: string) => void;
  /** Serve HTTPS with this certificate; `ca` is what the in-process clients trust. */
  tls?: { cert: string; key: string; ca: string };
  /**
   * An address on the cluster network (its gateway) where pods reach the API: the `kubernetes`
   * Service points there. Served in addition to `host`, with the same authentication.
   */
  advertiseAddress?: string;
  /** The Service ClusterIP range (default 10.96.0.0/12). */
  serviceCIDR?: string;
  /** Image of minik's add-ons (Service proxies, cluster DNS); none means no add-ons. */
  addonImage?: string;
  /** Node lifecycle: a node whose Lease is not renewed for this long goes NotReady (default 40). */
  nodeMonitorGracePeriodSeconds?: number;
  /** DefaultTolerationSeconds admission: not-ready/unreachable NoExecute tolerations (default 300). */
  defaultTolerationSeconds?: number;
}

export interface RunningApiserver {
  url: string;
  app: FastifyInstance;
  registry: Registry;
  storage: Storage;
  close(): Promise<void>;
}

export async function startApiserver(opts: ApiserverOptions): Promise<RunningApiserver> {
  const log = opts.log ?? ((m: string) => console.error(m));
  const host = opts.host ?? '127.0.0.1';
  loadSchemas();
  const storage = new LmdbStorage({ path: join(opts.dataDir, 'store'), historySize: opts.historySize });
  const registry = new Registry(storage, { ...DEFAULT_RANGES, ...(opts.serviceCIDR ? { serviceCIDR: opts.serviceCIDR } : {}) });
  // kube-apiserver's --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds.
  setDefaultTolerationSeconds(opts.defaultTolerationSeconds ?? 300);
  let ready = false;
  let serving = false;
  const app = buildHttpServer({ registry, token: opts.token, version: versionInfo(), isReady: () => ready, isServing: () => serving, tls: opts.tls });
  await app.listen({ host, port: opts.port });
  const addr = app.server.address();
  const port = addr && typeof addr === 'object' ? addr.port : opts.port;
  const extra = opts.advertiseAddress ? await listenAlso(app, opts.advertiseAddress, port, opts.tls, log) : undefined;
  // Until the system namespaces exist, API requests get 503 (clients retry), not a 404.
  const advertised = extra ? { ip: opts.advertiseAddress!, port } : undefined;
  await bootstrap(registry, port, { advertised, addonImage: opts.addonImage, token: opts.token, ca: opts.tls?.ca });
  serving = true;
  const url = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let controllers: RunningControllers | undefined;
  let client: ApiClient | undefined;
  // Ready once it serves: the controllers are clients like any other (kube-apiserver's readiness
  // does not wait for kube-controller-manager either).
  ready = true;
  if (opts.controllers !== false) {
    client = new ApiClient({ server: url, token: opts.token, userAgent: 'minik-controller-manager', ca: opts.tls?.ca });
    controllers = startControllers(client, log, {
      addons: opts.addonImage && advertised ? { image: opts.addonImage, apiserver: `https://${advertised.ip}:${advertised.port}` } : undefined,
      nodeMonitorGracePeriodMs: (opts.nodeMonitorGracePeriodSeconds ?? 40) * 1000,
    });
    await controllers.synced;
  }
  // Compile validators for every kind in the background, off the first request's path, once
  // the rest of a cluster start (node agents) has had the CPU.
  const warm = setTimeout(() => void warmSchemas(), 3000);
  warm.unref();
  return {
    url,
    app,
    registry,
    storage,
    async close() {
      clearTimeout(warm);
      ready = false;
      extra?.close();
      controllers?.stop();
      await app.close();
      await client?.close();
      await storage.close();
    },
  };
}
