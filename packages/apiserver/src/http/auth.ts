// Bearer-token authentication. Health and version endpoints stay open, as kube-apiserver
// lets anonymous clients read them (system:public-info-viewer).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { errors } from '@minik/api';

const PUBLIC = new Set(['/healthz', '/livez', '/readyz', '/version']);

/** `Authorization: Bearer <token>` holds the expected token (compared in constant time). */
export function tokenMatches(header: string | undefined, expected: Buffer): boolean {
  if (!header || !header.startsWith('Bearer ')) return false;
  const got = Buffer.from(header.slice(7).trim());
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export function registerAuth(app: FastifyInstance, token: string | undefined): void {
  if (!token) return;
  const expected = Buffer.from(token);
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0];
    if (PUBLIC.has(path) || path.startsWith('/healthz/') || path.startsWith('/readyz/') || path.startsWith('/livez/')) return;
    if (!tokenMatches(req.headers.authorization, expected)) {
      const st = errors.unauthorized().status;
      return reply.code(401).header('content-type', 'application/json').send(st);
    }
  });
}
