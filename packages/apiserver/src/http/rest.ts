// The generic REST surface: /api/v1/... and /apis/{group}/{version}/..., dispatched to the
// registry store of the resource named in the path.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors, type KubeObject, type Status } from '@minik/api';
import type { Registry } from '../registry/index.js';
import type { RegistryStore } from '../registry/store.js';
import { apiVersionOf } from '../registry/resources.js';
import { PATCH_KINDS } from '../registry/patch.js';
import { toTable } from '../printers/index.js';
import { negotiate } from './negotiate.js';
import { RawBody } from './content.js';
import { serveWatch } from './watch-stream.js';
import { scaleOf, applyScale } from './scale.js';
import { parseFieldValidation } from '../registry/validation/schema.js';

export interface RequestTarget {
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name?: string;
  subresource?: string;
  watchPath: boolean;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Splits a Kubernetes API path into its parts; undefined when it is not a resource path. */
export function parseTarget(path: string): RequestTarget | undefined {
  const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) {
    group = '';
    version = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1];
    version = segs[2];
    rest = segs.slice(3);
  } else return undefined;
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]))) {
    return { group, version, namespace: rest[1], resource: rest[2], name: rest[3], subresource: rest.slice(4).join('/') || undefined, watchPath };
  }
  if (!rest.length) return undefined;
  return { group, version, namespace: '', resource: rest[0], name: rest[1], subresource: rest.slice(2).join('/') || undefined, watchPath };
}

type Query = Record<string, string | undefined>;

function bool(v: string | undefined): boolean {
  return v === 'true' || v === '1';
}

function dryRun(q: Query, body?: { dryRun?: string[] }): boolean {
  return q.dryRun === 'All' || !!body?.dryRun?.includes('All');
}

function requireBody(body: unknown): unknown {
  if (body instanceof RawBody) throw errors.unsupportedMediaType(body.contentType);
  if (body === undefined) throw errors.badRequest('the body of the request was empty');
  return body;
}

/** Extra behaviours the REST layer needs from outside the registry (node connections). */
export interface RestExtensions {
  /** pods/log, pods/exec, pods/attach, pods/portforward: served by the node the pod runs on. */
  podConnect?(req: FastifyRequest, reply: FastifyReply, target: RequestTarget, pod: KubeObject): Promise<void>;
  /** pods/binding: set by the scheduler's binding logic. */
  bind?(namespace: string, name: string, binding: KubeObject): Promise<KubeObject>;
}

export function registerRest(app: FastifyInstance, registry: Registry, ext: RestExtensions = {}): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0];
    const t = parseTarget(path);
    if (!t) throw errors.pathNotFound();
    const store = registry.lookup(t.group, t.version, t.resource);
    if (!store) throw errors.pathNotFound();
    const def = store.def;
    if (t.namespace && !def.namespaced) throw errors.pathNotFound();
    if (t.subresource && !def.subresources.includes(t.subresource.split('/')[0] as never)) throw errors.pathNotFound();
    const q = req.query as Query;
    const warnings: string[] = [];
    const sendWarnings = () => {
      if (warnings.length) reply.header('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
    };
    const method = req.method;
    const accept = req.headers.accept;

    // ---- collection ----
    if (t.name === undefined) {
      if (method === 'GET') {
        if (t.watchPath || bool(q.watch)) return serveWatch(req, reply, store, t, q);
        const list = store.list(t.namespace, { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector, limit: q.limit ? Number(q.limit) : undefined, continue: q.continue });
        return sendList(reply, store, list, accept, q);
      }
      if (method === 'POST') {
        if (def.namespaced && !t.namespace) throw errors.methodNotSupported(store.ref, 'create');
        const body = requireBody(req.body);
        const fv = parseFieldValidation(q.fieldValidation, 'CreateOptions');
        const obj = await store.create(t.namespace, body, { dryRun: dryRun(q), fieldValidation: fv, warnings });
        sendWarnings();
        return reply.code(201).send(obj);
      }
      if (method === 'DELETE') {
        const opts = deleteOptions(req.body, q);
        const items = await store.deleteCollection(t.namespace, { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector }, opts);
        return reply.send({ kind: def.listKind, apiVersion: apiVersionOf(def), metadata: { resourceVersion: String(store.currentRevision) }, items });
      }
      throw errors.methodNotSupported(store.ref, method.toLowerCase());
    }

    // ---- subresources ----
    const sub = t.subresource;
    if (sub === 'scale') return handleScale(req, reply, store, t, q);
    if (sub === 'log' || sub === 'exec' || sub === 'attach' || sub === 'portforward') {
      const pod = store.get(t.namespace, t.name);
      if (!ext.podConnect) throw errors.badRequest(`pod ${t.name} does not have a host assigned`);
      return ext.podConnect(req, reply, t, pod);
    }
    if (sub === 'binding') {
      if (method !== 'POST') throw errors.methodNotSupported(store.ref, method.toLowerCase());
      if (!ext.bind) throw errors.methodNotSupported(store.ref, 'binding');
      await ext.bind(t.namespace, t.name, requireBody(req.body) as KubeObject);
      return reply.code(201).send({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    }
    if (sub === 'eviction') {
      // policy/v1 Eviction: minik has no PodDisruptionBudgets, so every eviction is allowed and
      // is the pod's deletion with the Eviction's deleteOptions.
      if (method !== 'POST') throw errors.methodNotSupported(store.ref, method.toLowerCase());
      const ev = requireBody(req.body) as { kind?: string; metadata?: { name?: string }; deleteOptions?: unknown };
      if (ev.metadata?.name && ev.metadata.name !== t.name) throw errors.badRequest('name in URL does not match name in Eviction object');
      await store.delete(t.namespace, t.name, deleteOptions(ev.deleteOptions, {} as Query));
      return reply.code(201).send({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    }
    if (sub && sub !== 'status' && sub !== 'finalize') throw errors.pathNotFound();

    // ---- single object (and /status, /finalize) ----
    if (method === 'GET') {
      const obj = store.get(t.namespace, t.name);
      return sendObject(reply, store, obj, accept, q);
    }
    if (method === 'PUT') {
      const body = requireBody(req.body);
      const fv = parseFieldValidation(q.fieldValidation, 'UpdateOptions');
      const { obj, created } = await store.update(t.namespace, t.name, body, { dryRun: dryRun(q), fieldValidation: fv, warnings, subresource: sub });
      sendWarnings();
      return reply.code(created ? 201 : 200).send(obj);
    }
    if (method === 'PATCH') {
      const ct = String(req.headers['content-type'] ?? '').split(';')[0].trim();
      const kind = PATCH_KINDS[ct];
      if (!kind) throw errors.unsupportedMediaType(ct);
      const fv = parseFieldValidation(q.fieldValidation, 'PatchOptions');
      const obj = await store.patch(t.namespace, t.name, requireBody(req.body), kind, { dryRun: dryRun(q), fieldValidation: fv, warnings, subresource: sub });
      sendWarnings();
      return reply.send(obj);
    }
    if (method === 'DELETE') {
      if (sub) throw errors.methodNotSupported(store.ref, 'delete');
      const { obj, deleted } = await store.delete(t.namespace, t.name, deleteOptions(req.body, q));
      return reply.code(deleted ? 200 : 202).send(obj);
    }
    throw errors.methodNotSupported(store.ref, method.toLowerCase());
  };

  for (const prefix of ['/api/*', '/apis/*']) {
    app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: prefix, handler });
  }
}

function deleteOptions(body: unknown, q: Query) {
  const b = (body && typeof body === 'object' && !(body instanceof RawBody) ? body : {}) as {
    propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
    orphanDependents?: boolean;
    gracePeriodSeconds?: number;
    preconditions?: { uid?: string; resourceVersion?: string };
    dryRun?: string[];
  };
  let propagationPolicy = b.propagationPolicy ?? (q.propagationPolicy as typeof b.propagationPolicy);
  const orphan = b.orphanDependents ?? (q.orphanDependents !== undefined ? bool(q.orphanDependents) : undefined);
  if (!propagationPolicy && orphan !== undefined) propagationPolicy = orphan ? 'Orphan' : 'Background';
  if (propagationPolicy && !['Background', 'Foreground', 'Orphan'].includes(propagationPolicy)) {
    throw errors.invalid('DeleteOptions', '', '', [{ reason: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: ${JSON.stringify(propagationPolicy)}: supported values: "Foreground", "Background", "Orphan", "nil"` }]);
  }
  const grace = b.gracePeriodSeconds ?? (q.gracePeriodSeconds !== undefined ? Number(q.gracePeriodSeconds) : undefined);
  return { propagationPolicy, gracePeriodSeconds: grace, preconditions: b.preconditions, dryRun: dryRun(q, b) };
}

function sendObject(reply: FastifyReply, store: RegistryStore, obj: KubeObject, accept: string | undefined, q: Query) {
  const rep = negotiate(accept);
  if (rep === 'table') return reply.send(toTable(store.def, [obj], { includeObject: includeObject(q), listResourceVersion: obj.metadata?.resourceVersion }));
  if (rep === 'partial') return reply.send({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata });
  return reply.send(obj);
}

function includeObject(q: Query): 'None' | 'Metadata' | 'Object' {
  const v = q.includeObject;
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function sendList(reply: FastifyReply, store: RegistryStore, list: { items: KubeObject[]; resourceVersion: string; continue?: string }, accept: string | undefined, q: Query) {
  const def = store.def;
  const rep = negotiate(accept);
  if (rep === 'table') return reply.send(toTable(def, list.items, { includeObject: includeObject(q), listResourceVersion: list.resourceVersion, continue: list.continue }));
  const metadata: Record<string, string> = { resourceVersion: list.resourceVersion };
  if (list.continue) metadata.continue = list.continue;
  if (rep === 'partial') {
    return reply.send({ kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: list.items.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata })) });
  }
  return reply.send({ kind: def.listKind, apiVersion: apiVersionOf(def), metadata, items: list.items });
}

async function handleScale(req: FastifyRequest, reply: FastifyReply, store: RegistryStore, t: RequestTarget, q: Query) {
  const name = t.name!;
  if (req.method === 'GET') return reply.send(scaleOf(store.get(t.namespace, name)));
  if (req.method !== 'PUT' && req.method !== 'PATCH') throw errors.methodNotSupported(store.ref, req.method.toLowerCase());
  const body = requireBody(req.body);
  let kind = undefined as undefined | (typeof PATCH_KINDS)[string];
  if (req.method === 'PATCH') {
    const ct = String(req.headers['content-type'] ?? '').split(';')[0].trim();
    kind = PATCH_KINDS[ct];
    if (!kind) throw errors.unsupportedMediaType(ct);
  }
  const obj = await applyScale(store, t.namespace, name, body, kind, dryRun(q));
  return reply.send(scaleOf(obj));
}

export type { Status };
