// Builds the Fastify application: content types, auth, discovery, REST, errors.
import Fastify, { type FastifyInstance } from 'fastify';
import { ApiError, errors } from '@minik/api';
import type { Registry } from '../registry/index.js';
import { registerAuth } from './auth.js';
import { registerContentTypes } from './content.js';
import { registerDiscovery, type VersionInfo } from './discovery.js';
import { registerRest, type RestExtensions } from './rest.js';
import { bindPod } from '../registry/binding.js';
import { podConnect, registerPodUpgrades } from './pod-connect.js';

/** kube-apiserver's default request body limit (3 MiB). */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

export interface HttpOptions {
  registry: Registry;
  token?: string;
  version: VersionInfo;
  isReady?: () => boolean;
  /** False while the server bootstraps: API requests are answered 503. */
  isServing?: () => boolean;
  logger?: boolean;
  extensions?: RestExtensions;
  /** PEM certificate and key: serve HTTPS (kubectl sends tokens only over TLS). */
  tls?: { cert: string; key: string };
}

export function buildHttpServer(opts: HttpOptions): FastifyInstance {
  const app = Fastify({
    ...(opts.tls ? { https: { cert: opts.tls.cert, key: opts.tls.key } } : {}),
    logger: opts.logger ? { level: 'warn' } : false,
    bodyLimit: MAX_REQUEST_BYTES,
    // Kubernetes names may contain dots and colons; keep URLs as sent.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
    keepAliveTimeout: 65_000,
  }) as unknown as FastifyInstance;
  registerContentTypes(app);
  if (opts.isServing) {
    const serving = opts.isServing;
    app.addHook('onRequest', async (req, reply) => {
      if (serving() || /^\/(healthz|readyz|livez|version)\b/.test(req.url)) return;
      return reply.code(503).header('retry-after', '1').send(errors.serviceUnavailable('the server is currently unable to handle the request').status);
    });
  }
  registerAuth(app, opts.token);
  // An oversized body is read and discarded before the 413 goes out: answering mid-upload
  // makes clients such as kubectl fail with "broken pipe" instead of showing the message.
  app.addHook('onRequest', (req, reply, done) => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (length <= MAX_REQUEST_BYTES) return done();
    req.raw.on('end', () => void reply.code(413).send(errors.tooLarge(`Request entity too large: limit is ${MAX_REQUEST_BYTES}`).status));
    req.raw.resume();
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof ApiError) return reply.code(err.code).send(err.status);
    const e = err as { code?: string; statusCode?: number; message: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send(errors.tooLarge(`Request entity too large: limit is ${MAX_REQUEST_BYTES}`).status);
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send(errors.unsupportedMediaType(String(req.headers['content-type'])).status);
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return reply.code(e.statusCode).send(errors.badRequest(e.message).status);
    req.log.error(err);
    return reply.code(500).send(errors.internal(e.message).status);
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(errors.pathNotFound().status));

  registerDiscovery(app, {
    version: opts.version,
    serverAddress: () => {
      const a = app.server.address();
      return a && typeof a === 'object' ? `${a.address}:${a.port}` : '';
    },
    isReady: opts.isReady ?? (() => true),
  });
  const connect = { registry: opts.registry, agentToken: opts.token, token: opts.token };
  registerRest(app, opts.registry, {
    bind: (ns, name, body) => bindPod(opts.registry.store('', 'pods'), ns, name, body),
    podConnect: (req, reply, t, pod) => podConnect(req, reply, t, pod, connect),
    ...opts.extensions,
  });
  registerPodUpgrades(app, connect);
  return app;
}
