// The ReplicaSet controller against a real in-process apiserver and a fake kubelet, replaying the
// book's ReplicaSet walkthrough (000 §4C step 21: O22-O27).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, ResourceClient } from '@minik/api';
import { startTestCluster, sleep, waitFor, type TestCluster } from './test-cluster.js';
import type { Pod, ReplicaSet } from './workload-types.js';

let c: TestCluster;
let pods: ResourceClient<KubeObject>;
let rss: ResourceClient<KubeObject>;
let events: ResourceClient<KubeObject>;

beforeAll(async () => {
  c = await startTestCluster({ nodes: ['node-1'], readyDelayMs: 50, terminateDelayMs: 300 });
  pods = c.client.resource({ group: '', version: 'v1', resource: 'pods' });
  rss = c.client.resource({ group: 'apps', version: 'v1', resource: 'replicasets' });
  events = c.client.resource({ group: '', version: 'v1', resource: 'events' });
});
afterAll(async () => {
  if (process.env.MINIK_TEST_LOGS) console.log(c?.logs.join('\n'));
  await c?.close();
});

async function namespace(name: string): Promise<string> {
  await c.client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

function replicaSet(name: string, replicas: number, extra: Partial<ReplicaSet['spec']> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'rutush10/simple-restapi-server-py:v0.0.1' }] } },
      ...extra,
    },
  };
}

const podList = async (ns: string, selector?: string) => (await pods.list(ns, { labelSelector: selector })).items as Pod[];
const live = (ps: Pod[]) => ps.filter((p) => !p.metadata.deletionTimestamp);
const ready = (p: Pod) => p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True');
const rsGet = async (ns: string, name: string) => (await rss.get(ns, name)) as ReplicaSet;

async function readyReplicas(ns: string, name: string, n: number): Promise<ReplicaSet> {
  return waitFor(`${name} to have ${n} ready replicas`, async () => {
    const rs = await rsGet(ns, name);
    const s = rs.status ?? {};
    return s.replicas === n && (s.readyReplicas ?? 0) === n && s.observedGeneration === rs.metadata.generation && rs;
  });
}

describe('ReplicaSet controller', () => {
  it('creates pods from the template with generated names, owner references, status and events', async () => {
    const ns = await namespace('rs-create');
    await rss.create(ns, replicaSet('simple-replicaset', 3));
    const rs = await readyReplicas(ns, 'simple-replicaset', 3);
    expect(rs.status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    const ps = await podList(ns);
    expect(ps).toHaveLength(3);
    for (const p of ps) {
      expect(p.metadata.name).toMatch(/^simple-replicaset-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.labels).toEqual({ app: 'simple-replicaset' });
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'simple-replicaset', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const evs = await waitFor('3 SuccessfulCreate events', async () => {
      const l = (await events.list(ns)).items.filter((e) => e.reason === 'SuccessfulCreate');
      return l.length === 3 && l;
    });
    expect(evs.map((e) => e.message).sort()).toEqual(ps.map((p) => `Created pod: ${p.metadata.name}`).sort());
    expect(evs[0]).toMatchObject({ type: 'Normal', source: { component: 'replicaset-controller' }, involvedObject: { kind: 'ReplicaSet', name: 'simple-replicaset', uid: rs.metadata.uid } });
  });

  it('scales up and down, deleting the newest pods, with SuccessfulDelete events', async () => {
    const ns = await namespace('rs-scale');
    await rss.create(ns, replicaSet('web', 2));
    await readyReplicas(ns, 'web', 2);
    const first = (await podList(ns)).map((p) => p.metadata.name);
    await sleep(1100); // so the next pods are ready in a later second than the first ones
    await rss.patch(ns, 'web', { spec: { replicas: 4 } }, 'merge');
    await readyReplicas(ns, 'web', 4);
    await rss.patch(ns, 'web', { spec: { replicas: 2 } }, 'merge');
    await readyReplicas(ns, 'web', 2);
    const left = live(await podList(ns)).map((p) => p.metadata.name);
    expect(left.sort()).toEqual([...first].sort());
    const deleted = await waitFor('2 SuccessfulDelete events', async () => {
      const l = (await events.list(ns)).items.filter((e) => e.reason === 'SuccessfulDelete');
      return l.length === 2 && l;
    });
    for (const e of deleted) expect(e.message).toMatch(/^Deleted pod: web-[a-z0-9]{5}$/);
  });

  it('self-heals: a deleted pod is replaced by a new one', async () => {
    const ns = await namespace('rs-heal');
    await rss.create(ns, replicaSet('web', 3));
    await readyReplicas(ns, 'web', 3);
    const [victim] = await podList(ns);
    await pods.delete(ns, victim.metadata.name!);
    // Terminating pods do not count: the replacement comes while the victim is still going.
    const replaced = await waitFor('a replacement pod', async () => {
      const ps = live(await podList(ns));
      return ps.length === 3 && !ps.some((p) => p.metadata.name === victim.metadata.name) && ps;
    });
    expect(replaced.filter((p) => p.metadata.uid !== victim.metadata.uid)).toHaveLength(3);
    await readyReplicas(ns, 'web', 3);
    await waitFor('the victim to be gone', async () => !(await podList(ns)).some((p) => p.metadata.name === victim.metadata.name));
  });

  it('adopts a bare pod relabelled to match and terminates the surplus one (O24-O26)', async () => {
    const ns = await namespace('rs-adopt');
    await rss.create(ns, replicaSet('simple-replicaset', 3));
    const rs = await readyReplicas(ns, 'simple-replicaset', 3);
    const original = (await podList(ns)).map((p) => p.metadata.name).sort();
    await sleep(1100); // the bare pod becomes ready in a later second, as in the book (3s vs 8m)
    await pods.create(ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'simple-pod' }, spec: { containers: [{ name: 'app', image: 'rutush10/simple-restapi-server-py:v0.0.1' }] } });
    await waitFor('simple-pod running', async () => ready((await pods.get(ns, 'simple-pod')) as Pod));
    expect((await rsGet(ns, 'simple-replicaset')).status?.replicas).toBe(3);
    // kubectl apply -f pod.yaml with labels: app: simple-replicaset
    await pods.patch(ns, 'simple-pod', { metadata: { labels: { app: 'simple-replicaset' } } }, 'strategic');
    const adopted = await waitFor('simple-pod adopted and terminating', async () => {
      const p = (await pods.get(ns, 'simple-pod')) as Pod;
      return p.metadata.deletionTimestamp ? p : undefined;
    });
    expect(adopted.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'ReplicaSet', name: 'simple-replicaset', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true })]);
    expect(live(await podList(ns)).map((p) => p.metadata.name).sort()).toEqual(original);
    await waitFor('simple-pod gone', async () => !(await podList(ns)).some((p) => p.metadata.name === 'simple-pod'));
    await readyReplicas(ns, 'simple-replicaset', 3);
  });

  it('releases a pod whose label is removed: it keeps running, orphaned, and is replaced (O27)', async () => {
    const ns = await namespace('rs-release');
    await rss.create(ns, replicaSet('simple-replicaset', 3));
    await readyReplicas(ns, 'simple-replicaset', 3);
    const [orphan] = await podList(ns);
    // kubectl label pod <name> app-
    await pods.patch(ns, orphan.metadata.name!, { metadata: { labels: { app: null } } }, 'merge');
    const released = await waitFor('the pod released', async () => {
      const p = (await pods.get(ns, orphan.metadata.name!)) as Pod;
      return p.metadata.ownerReferences?.length ? undefined : p;
    });
    expect(released.metadata.deletionTimestamp).toBeUndefined();
    expect(released.metadata.labels ?? {}).toEqual({});
    const owned = await waitFor('3 owned pods again', async () => {
      const ps = live(await podList(ns, 'app=simple-replicaset'));
      return ps.length === 3 && ps.every(ready) && ps;
    });
    expect(owned.some((p) => p.metadata.name === orphan.metadata.name)).toBe(false);
    expect(await podList(ns)).toHaveLength(4);
  });

  it('reports available replicas only after minReadySeconds', async () => {
    const ns = await namespace('rs-minready');
    await rss.create(ns, replicaSet('web', 2, { minReadySeconds: 1 }));
    const rs = await readyReplicas(ns, 'web', 2);
    expect(rs.status?.availableReplicas ?? 0).toBe(0);
    const available = await waitFor('available replicas', async () => {
      const cur = await rsGet(ns, 'web');
      return cur.status?.availableReplicas === 2 && cur;
    });
    expect(available.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2 });
  });

  it('ignores finished pods and pods owned by someone else', async () => {
    const ns = await namespace('rs-ignore');
    const cm = await c.client.resource({ group: '', version: 'v1', resource: 'configmaps' }).create(ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } });
    const other = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: cm.metadata!.uid!, controller: true };
    await pods.create(ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'foreign', labels: { app: 'web' }, ownerReferences: [other] }, spec: { containers: [{ name: 'app', image: 'x:1' }] } });
    await pods.create(ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'done', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'x:1' }] } });
    const done = await waitFor('done running', async () => {
      const p = (await pods.get(ns, 'done')) as Pod;
      return ready(p) && p;
    });
    await pods.updateStatus(ns, { ...done, status: { ...done.status, phase: 'Succeeded', conditions: [] } });
    await rss.create(ns, replicaSet('web', 2));
    await readyReplicas(ns, 'web', 2);
    expect(((await pods.get(ns, 'foreign')) as Pod).metadata.ownerReferences).toEqual([other]);
    expect(((await pods.get(ns, 'done')) as Pod).metadata.ownerReferences).toBeUndefined();
    expect(await podList(ns, 'app=web')).toHaveLength(4);
  });
});
