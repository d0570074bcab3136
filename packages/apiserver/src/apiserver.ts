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
import { startControllers, type RunningControllers } from './controllers/index.js';
import { loadSchemas, warmSchemas } from './registry/validation/schema.js';

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
  const registry = new Registry(storage);
  let ready = false;
  let serving = false;
  const app = buildHttpServer({ registry, token: opts.token, version: versionInfo(), isReady: () => ready, isServing: () => serving, tls: opts.tls });
  await app.listen({ host, port: opts.port });
  const addr = app.server.address();
  const port = addr && typeof addr === 'object' ? addr.port : opts.port;
  // Until the system namespaces exist, API requests get 503 (clients retry), not a 404.
  await bootstrap(registry, port);
  serving = true;
  const url = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let controllers: RunningControllers | undefined;
  let client: ApiClient | undefined;
  // Ready once it serves: the controllers are clients like any other (kube-apiserver's readiness
  // does not wait for kube-controller-manager either).
  ready = true;
  if (opts.controllers !== false) {
    client = new ApiClient({ server: url, token: opts.token, userAgent: 'minik-controller-manager', ca: opts.tls?.ca });
    controllers = startControllers(client, log);
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
      controllers?.stop();
      await app.close();
      await client?.close();
      await storage.close();
    },
  };
}
