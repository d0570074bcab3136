// Discovery documents, version and OpenAPI endpoints, shaped as kube-apiserver answers them.
import type { FastifyInstance } from 'fastify';
import { errors } from '@minik/api';
import { GROUPS, RESOURCES, resourcesIn, type ResourceDef } from '../registry/resources.js';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

function resourceList(def: ResourceDef[]): unknown[] {
  const out: unknown[] = [];
  for (const r of def) {
    const entry: Record<string, unknown> = {
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
    };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories.length) entry.categories = r.categories;
    out.push(entry);
    for (const sub of r.subresources) {
      const s: Record<string, unknown> = { name: `${r.resource}/${sub}`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] };
      if (sub === 'scale') Object.assign(s, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
      if (sub === 'log') s.verbs = ['get'];
      if (sub === 'exec' || sub === 'attach' || sub === 'portforward') Object.assign(s, { kind: sub === 'portforward' ? 'PodPortForwardOptions' : sub === 'exec' ? 'PodExecOptions' : 'PodAttachOptions', verbs: ['create', 'get'] });
      if (sub === 'binding') Object.assign(s, { kind: 'Binding', verbs: ['create'] });
      if (sub === 'eviction') Object.assign(s, { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
      if (sub === 'finalize') s.verbs = ['update'];
      if (sub === 'proxy') Object.assign(s, { kind: r.resource === 'nodes' ? 'NodeProxyOptions' : 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] });
      out.push(s);
    }
  }
  return out;
}

export function registerDiscovery(app: FastifyInstance, opts: { version: VersionInfo; serverAddress: () => string; isReady: () => boolean }): void {
  const groupDoc = (g: { name: string; versions: string[] }) => ({
    name: g.name,
    versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
  });

  app.get('/version', async () => opts.version);
  for (const p of ['/healthz', '/livez']) app.get(p, async (_req, reply) => reply.type('text/plain').send('ok'));
  app.get('/readyz', async (_req, reply) => (opts.isReady() ? reply.type('text/plain').send('ok') : reply.code(503).type('text/plain').send('[-]controllers not ready\nreadyz check failed')));

  app.get('/api', async () => ({
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: opts.serverAddress() }],
  }));
  app.get('/apis', async () => ({ kind: 'APIGroupList', apiVersion: 'v1', groups: GROUPS.map(groupDoc) }));
  app.get('/api/v1', async () => ({ kind: 'APIResourceList', groupVersion: 'v1', resources: resourceList(resourcesIn('', 'v1')) }));
  app.get('/apis/:group', async (req) => {
    const g = GROUPS.find((x) => x.name === (req.params as { group: string }).group);
    if (!g) throw errors.pathNotFound();
    return { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) };
  });
  app.get('/apis/:group/:version', async (req) => {
    const { group, version } = req.params as { group: string; version: string };
    const list = resourcesIn(group, version);
    if (!list.length) throw errors.pathNotFound();
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources: resourceList(list) };
  });

  // kubectl's client-side apply downloads /openapi/v2 as protobuf; an empty document is a
  // valid (empty) protobuf message, so kubectl skips client-side schema checks and computes
  // strategic merge patches from its built-in type metadata. minik validates server-side.
  app.get('/openapi/v2', async (_req, reply) => reply.type('application/octet-stream').send(Buffer.alloc(0)));
  app.get('/swagger-2.0.0.pb-v1', async () => {
    throw errors.pathNotFound();
  });
  // Not served: kubectl falls back to v2 on 404.
  app.get('/openapi/v3', async () => {
    throw errors.pathNotFound();
  });
  app.get('/openapi/v3/*', async () => {
    throw errors.pathNotFound();
  });
  void RESOURCES;
}
