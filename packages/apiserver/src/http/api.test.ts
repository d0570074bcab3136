// The HTTP API against a real listening server and a real store in a temp dir: watch semantics,
// selectors, subresources, deletion propagation, namespaces, auth.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, ApiError, type KubeObject, type WatchEvent } from '@minik/api';
import { startApiserver, type RunningApiserver } from '../apiserver.js';

let dir: string;
let server: RunningApiserver;
let client: ApiClient;
const cms = () => client.resource({ group: '', version: 'v1', resource: 'configmaps' });
const pods = () => client.resource({ group: '', version: 'v1', resource: 'pods' });
const nss = () => client.resource({ group: '', version: 'v1', resource: 'namespaces' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minik-api-'));
  server = await startApiserver({ dataDir: dir, port: 0, token: 'tok', historySize: 50, log: () => {} });
  client = new ApiClient({ server: server.url, token: 'tok' });
});
afterAll(async () => {
  await client.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

async function collect(gen: AsyncGenerator<WatchEvent>, n: number, ms = 3000): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  const timer = setTimeout(() => void gen.return(undefined), ms);
  for await (const ev of gen) {
    out.push(ev);
    if (out.length >= n) break;
  }
  clearTimeout(timer);
  return out;
}

describe('authentication', () => {
  it('401 without the token; health and version are public', async () => {
    const anon = new ApiClient({ server: server.url });
    await expect(anon.request('GET', '/api/v1/namespaces')).rejects.toMatchObject({ status: { code: 401, reason: 'Unauthorized' } });
    expect(await anon.request('GET', '/healthz', { text: true })).toBe('ok');
    expect(await anon.request<{ gitVersion: string }>('GET', '/version')).toMatchObject({ major: '1' });
    await anon.close();
  });
});

describe('objects and metadata', () => {
  it('sets uid, creationTimestamp, resourceVersion; generation only moves on spec changes', async () => {
    const deps = client.resource({ group: 'apps', version: 'v1', resource: 'deployments' });
    const d = await deps.create('default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'gen' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    expect(d.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.metadata?.generation).toBe(1);
    expect((d.spec as { replicas: number }).replicas).toBe(1);
    const labelled = await deps.patch('default', 'gen', { metadata: { labels: { x: 'y' } } }, 'merge');
    expect(labelled.metadata?.generation).toBe(1);
    const scaled = await deps.patch('default', 'gen', { spec: { replicas: 3 } }, 'merge');
    expect(scaled.metadata?.generation).toBe(2);
    const status = await deps.patch('default', 'gen', { status: { replicas: 7 } }, 'merge', { subresource: 'status' });
    expect(status.metadata?.generation).toBe(2);
    expect((status.status as { replicas: number }).replicas).toBe(7);
    // status is not writable through the main resource
    const ignored = await deps.patch('default', 'gen', { status: { replicas: 1 } }, 'merge');
    expect((ignored.status as { replicas: number }).replicas).toBe(7);
    const scale = await deps.get('default', 'gen', 'scale');
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { replicas: 7, selector: 'a=b' } });
  });

  it('a stale resourceVersion on PUT is 409 Conflict; a no-op update keeps the version', async () => {
    const c = await cms().create('default', cm('cas'));
    const c2 = await cms().update('default', { ...c, data: { a: '1' } });
    await expect(cms().update('default', { ...c, data: { a: '2' } })).rejects.toMatchObject({ status: { code: 409, reason: 'Conflict' } });
    const same = await cms().update('default', c2);
    expect(same.metadata?.resourceVersion).toBe(c2.metadata?.resourceVersion);
  });

  it('dryRun=All validates and answers without writing', async () => {
    const r = await cms().create('default', cm('dry'), { dryRun: true });
    expect(r.metadata?.name).toBe('dry');
    await expect(cms().get('default', 'dry')).rejects.toMatchObject({ status: { code: 404 } });
  });

  it('creating in a missing namespace is 404 namespaces "x" not found', async () => {
    await expect(cms().create('nope', cm('x'))).rejects.toMatchObject({ status: { code: 404, message: 'namespaces "nope" not found' } });
  });

  it('generateName gets a 5-character suffix', async () => {
    const c = await cms().create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    expect(c.metadata?.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe('selectors', () => {
  it('label selectors (=, !=, in, notin, exists, !) and field selectors on list', async () => {
    await cms().create('default', cm('s1', { tier: 'web', env: 'prod' }));
    await cms().create('default', cm('s2', { tier: 'db', env: 'dev' }));
    await cms().create('default', cm('s3', { tier: 'web' }));
    const names = async (labelSelector?: string, fieldSelector?: string) => (await cms().list('default', { labelSelector, fieldSelector })).items.map((i) => i.metadata!.name).filter((n) => /^s\d$/.test(n!));
    expect(await names('tier=web')).toEqual(['s1', 's3']);
    expect(await names('tier!=web')).toEqual(['s2']);
    expect(await names('env in (prod,dev)')).toEqual(['s1', 's2']);
    expect(await names('tier,env notin (dev)')).toEqual(['s1', 's3']);
    expect(await names('!env')).toEqual(['s3']);
    expect(await names(undefined, 'metadata.name=s2')).toEqual(['s2']);
    await expect(cms().list('default', { labelSelector: 'a in (' })).rejects.toMatchObject({ status: { code: 400 } });
    await expect(cms().list('default', { fieldSelector: 'spec.nothing=x' })).rejects.toMatchObject({ status: { code: 400, message: 'field label not supported: spec.nothing' } });
  });

  it('pod field selectors: spec.nodeName and status.phase', async () => {
    await pods().create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fs' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const list = await pods().list('default', { fieldSelector: 'status.phase=Pending,spec.nodeName=' });
    expect(list.items.map((p) => p.metadata?.name)).toContain('fs');
    expect((await pods().list('default', { fieldSelector: 'spec.nodeName=worker1' })).items).toEqual([]);
  });
});

describe('watch', () => {
  it('streams ADDED/MODIFIED/DELETED in revision order from a resourceVersion', async () => {
    const list = await cms().list('default');
    const ac = new AbortController();
    const events = collect(cms().watch('default', { resourceVersion: list.metadata.resourceVersion }, ac.signal), 3);
    await new Promise((r) => setTimeout(r, 50));
    await cms().create('default', cm('w1'));
    await cms().patch('default', 'w1', { data: { k: 'v' } });
    await cms().delete('default', 'w1');
    const evs = await events;
    ac.abort();
    expect(evs.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    const rvs = evs.map((e) => Number(e.object.metadata?.resourceVersion));
    expect(rvs[0]).toBeLessThan(rvs[1]);
    expect(rvs[1]).toBeLessThan(rvs[2]);
  });

  it('a selector turns label changes into ADDED and DELETED', async () => {
    await cms().create('default', cm('sel', { app: 'a' }));
    const rv = (await cms().list('default')).metadata.resourceVersion;
    const ac = new AbortController();
    const events = collect(cms().watch('default', { resourceVersion: rv, labelSelector: 'app=b' }, ac.signal), 2);
    await new Promise((r) => setTimeout(r, 50));
    await cms().patch('default', 'sel', { metadata: { labels: { app: 'b' } } });
    await cms().patch('default', 'sel', { metadata: { labels: { app: 'c' } } });
    const evs = await events;
    ac.abort();
    expect(evs.map((e) => [e.type, e.object.metadata?.labels?.app])).toEqual([
      ['ADDED', 'b'],
      ['DELETED', 'b'],
    ]);
  });

  it('without a resourceVersion it starts with the current state as ADDED', async () => {
    const ac = new AbortController();
    const evs = await collect(nss().watch('', {}, ac.signal), 4);
    ac.abort();
    expect(evs.every((e) => e.type === 'ADDED')).toBe(true);
    expect(evs.map((e) => e.object.metadata?.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });

  it('timeoutSeconds ends the stream; bookmarks carry the current version', async () => {
    const t0 = Date.now();
    const evs = await collect(cms().watch('default', { resourceVersion: String(server.storage.revision), timeoutSeconds: 1, allowWatchBookmarks: true }), 100, 5000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(evs.filter((e) => e.type !== 'BOOKMARK')).toEqual([]);
  });

  it('sendInitialEvents ends the initial list with a bookmark annotated k8s.io/initial-events-end', async () => {
    const ac = new AbortController();
    const gen = client.watch('/api/v1/namespaces', { sendInitialEvents: 'true', allowWatchBookmarks: 'true', resourceVersionMatch: 'NotOlderThan' }, ac.signal);
    const evs = await collect(gen, 5);
    ac.abort();
    expect(evs.slice(0, 4).map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'ADDED', 'ADDED']);
    expect(evs[4]).toMatchObject({ type: 'BOOKMARK', object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } } });
  });

  it('a resourceVersion older than the retained history gets 410 Expired', async () => {
    for (let i = 0; i < 80; i++) await cms().patch('default', 'cas', { data: { i: String(i) } });
    const evs = await collect(cms().watch('default', { resourceVersion: '2' }), 1);
    expect(evs[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    expect(String((evs[0].object as { message?: string }).message)).toMatch(/^too old resource version: 2 \(\d+\)$/);
  });
});

describe('deletion', () => {
  const owned = (name: string, owner: KubeObject, block = false): KubeObject => ({
    ...cm(name),
    metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata!.name!, uid: owner.metadata!.uid!, blockOwnerDeletion: block, controller: true }] },
  });
  const gone = async (name: string, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      try {
        await cms().get('default', name);
      } catch (e) {
        if (e instanceof ApiError && e.code === 404) return true;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };

  it('background propagation: the garbage collector deletes dependents', async () => {
    const owner = await cms().create('default', cm('bg-owner'));
    await cms().create('default', owned('bg-dep', owner));
    await cms().delete('default', 'bg-owner');
    expect(await gone('bg-dep')).toBe(true);
  });

  it('orphan propagation: dependents stay, without the owner reference', async () => {
    const owner = await cms().create('default', cm('or-owner'));
    await cms().create('default', owned('or-dep', owner));
    await cms().delete('default', 'or-owner', { propagationPolicy: 'Orphan' });
    expect(await gone('or-owner')).toBe(true);
    const dep = await cms().get('default', 'or-dep');
    expect(dep.metadata?.ownerReferences ?? []).toEqual([]);
  });

  it('foreground propagation: the owner waits for blocking dependents', async () => {
    const owner = await cms().create('default', cm('fg-owner'));
    await cms().create('default', owned('fg-dep', owner, true));
    const r = (await cms().delete('default', 'fg-owner', { propagationPolicy: 'Foreground' })) as KubeObject;
    expect(r.metadata?.finalizers).toContain('foregroundDeletion');
    expect(await gone('fg-dep')).toBe(true);
    expect(await gone('fg-owner')).toBe(true);
  });

  it('deleting a namespace deletes what is in it, then the namespace', async () => {
    await nss().create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    await cms().create('doomed', cm('inside'));
    const r = (await nss().delete('', 'doomed')) as KubeObject;
    expect((r.status as { phase: string }).phase).toBe('Terminating');
    await expect(cms().create('doomed', cm('late'))).rejects.toMatchObject({ status: { code: 403, reason: 'Forbidden' } });
    const deadline = Date.now() + 5000;
    let found = true;
    while (found && Date.now() < deadline) {
      found = (await nss().list('')).items.some((n) => n.metadata?.name === 'doomed');
      if (found) await new Promise((r) => setTimeout(r, 50));
    }
    expect(found).toBe(false);
    await expect(cms().get('doomed', 'inside')).rejects.toMatchObject({ status: { code: 404 } });
  });
});

describe('tables', () => {
  it('answers as=Table with column definitions and PartialObjectMetadata rows', async () => {
    const t = await client.request<{ kind: string; columnDefinitions: { name: string }[]; rows: { cells: unknown[]; object: KubeObject }[] }>('GET', '/api/v1/namespaces', {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    expect(t.kind).toBe('Table');
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Status', 'Age']);
    expect(t.rows[0].cells.slice(0, 2)).toEqual(['default', 'Active']);
    expect(t.rows[0].object.kind).toBe('PartialObjectMetadata');
  });
});

describe('pods/eviction', () => {
  it('deletes the pod with the Eviction\'s deleteOptions and answers 201 Success; kubectl drain\'s errors otherwise', async () => {
    await pods().create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'evictee' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'evictee', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 0 } };
    expect(await client.request('POST', '/api/v1/namespaces/default/pods/evictee/eviction', { body })).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    await expect(pods().get('default', 'evictee')).rejects.toMatchObject({ code: 404 });
    await expect(client.request('POST', '/api/v1/namespaces/default/pods/evictee/eviction', { body })).rejects.toMatchObject({ code: 404 });
    await expect(client.request('POST', '/api/v1/namespaces/default/pods/other/eviction', { body })).rejects.toMatchObject({ code: 400 });
    await expect(client.request('GET', '/api/v1/namespaces/default/pods/evictee/eviction')).rejects.toMatchObject({ code: 405 });
  });
});
