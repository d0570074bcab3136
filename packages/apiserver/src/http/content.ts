// Body parsers for every content type Kubernetes clients send. Unknown types are kept raw and
// rejected by the handlers with 415, as kube-apiserver does.
import type { FastifyInstance } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { errors } from '@minik/api';

const JSON_TYPES = ['application/json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json'];

export class RawBody {
  constructor(
    readonly contentType: string,
    readonly data: Buffer,
  ) {}
}

export function registerContentTypes(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const parseJson = (_req: unknown, body: string | Buffer, done: (err: Error | null, v?: unknown) => void) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(errors.badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`));
    }
  };
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, parseJson);
  app.addContentTypeParser(['application/yaml', 'application/apply-patch+yaml'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseYaml(body.toString()));
    } catch (e) {
      done(errors.badRequest(`error converting YAML to JSON: ${(e as Error).message}`));
    }
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    done(null, new RawBody(String(req.headers['content-type'] ?? ''), body as Buffer));
  });
}
