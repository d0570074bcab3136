// The scheduler against a real apiserver (temp store, port 0): Node objects are created through
// the API as a kubelet would, pods are created directly (no ReplicaSet controller needed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, type KubeObject } from '@minik/api';
import { startApiserver, type RunningApiserver } from '../apiserver.js';
import { createContext } from '../controllers/controller.js';
import { Scheduler } from './scheduler.js';
import type { Pod } from './types.js';

let dir: string;
let server: RunningApiserver;
let client: ApiClient;
let ctx: ReturnType<typeof createContext>;
let scheduler: Scheduler;
const logs: string[] = [];

const pods = () => client.resource<Pod>({ group: '', version: 'v1', resource: 'pods' });
const nodes = () => client.resource({ group: '', version: 'v1', resource: 'nodes' });
const events = () => client.resource({ group: '', version: 'v1', resource: 'events' });

const CP_TAINT = '1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';

function nodeObj(name: string, opts: { labels?: Record<string, string>; taints?: object[]; ready?: string; cpu?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...opts.labels } },
    spec: opts.taints ? { taints: opts.taints } : {},
    status: {
      capacity: { cpu: opts.cpu ?? '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: opts.cpu ?? '4', memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: opts.ready ?? 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    },
  };
}

function podObj(name: string, opts: { labels?: Record<string, string>; cpu?: string; nodeSelector?: Record<string, string>; owner?: KubeObject; schedulerName?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      labels: opts.labels,
      ownerReferences: opts.owner
        ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: opts.owner.metadata!.name!, uid: opts.owner.metadata!.uid!, controller: true, blockOwnerDeletion: true }]
        : undefined,
    },
    spec: {
      containers: [{ name: 'c', image: 'nginx:1.27', resources: opts.cpu ? { requests: { cpu: opts.cpu } } : {} } as never],
      nodeSelector: opts.nodeSelector,
      schedulerName: opts.schedulerName,
    },
  };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const boundNode = (ns: string, name: string) => waitFor(`${ns}/${name} bound`, async () => (await pods().get(ns, name)).spec.nodeName);

async function eventsFor(ns: string, name: string, reason: string) {
  const list = await events().list(ns);
  return list.items.filter((e) => (e.involvedObject as { name?: string }).name === name && e.reason === reason);
}

const podScheduled = async (ns: string, name: string) => (await pods().get(ns, name)).status?.conditions?.find((c) => c.type === 'PodScheduled');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minik-sched-'));
  // The apiserver's own controllers stay off: this test owns the only scheduler.
  server = await startApiserver({ dataDir: dir, port: 0, token: 'tok', controllers: false, log: () => {} });
  client = new ApiClient({ server: server.url, token: 'tok' });
  await nodes().create(undefined, nodeObj('master', { labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }));
  await nodes().create(undefined, nodeObj('worker1'));
  await nodes().create(undefined, nodeObj('worker2', { labels: { disktype: 'ssd' } }));
  ctx = createContext(client, (m) => logs.push(m));
  scheduler = new Scheduler(ctx);
  scheduler.start();
  ctx.startInformers();
  await ctx.synced();
});

afterAll(async () => {
  scheduler?.stop();
  ctx?.stopInformers();
  await client?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('scheduler against a real apiserver', () => {
  it('spreads the three-laptops deployments 2+1 / 1+2 over the workers, never on master', async () => {
    const rss = client.resource({ group: 'apps', version: 'v1', resource: 'replicasets' });
    const placed: Record<string, string[]> = { frontend: [], backend: [] };
    const created: string[] = [];
    for (const app of ['frontend', 'backend']) {
      const rs = await rss.create('default', {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `${app}-5d4f8c7b9`, labels: { app } },
        spec: { replicas: 3, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: app, image: `${app}:v0.0.1` }] } } },
      });
      for (const suffix of ['abcde', 'fghij', 'klmno']) {
        const name = `${app}-5d4f8c7b9-${suffix}`;
        await pods().create('default', podObj(name, { labels: { app, 'pod-template-hash': '5d4f8c7b9' }, owner: rs }));
        created.push(name);
      }
    }
    for (const name of created) placed[name.split('-')[0]].push(await boundNode('default', name));
    const count = (l: string[], n: string) => l.filter((x) => x === n).length;
    expect([...placed.frontend, ...placed.backend]).not.toContain('master');
    expect([count(placed.frontend, 'worker1'), count(placed.frontend, 'worker2')].sort()).toEqual([1, 2]);
    expect([count(placed.backend, 'worker1'), count(placed.backend, 'worker2')].sort()).toEqual([1, 2]);
    expect(count(placed.frontend, 'worker1') + count(placed.backend, 'worker1')).toBe(3);

    const name = created[0];
    const ev = await waitFor('Scheduled event', async () => (await eventsFor('default', name, 'Scheduled'))[0]);
    expect(ev).toMatchObject({ type: 'Normal', message: `Successfully assigned default/${name} to ${placed.frontend[0]}`, source: { component: 'default-scheduler' } });
    expect(await podScheduled('default', name)).toMatchObject({ status: 'True' });
  });

  it('follows nodeSelector', async () => {
    await pods().create('default', podObj('ssd-only', { nodeSelector: { disktype: 'ssd' } }));
    expect(await boundNode('default', 'ssd-only')).toBe('worker2');
  });

  it('leaves pods of other schedulers and preassigned pods alone', async () => {
    await pods().create('default', podObj('custom', { schedulerName: 'my-scheduler' }));
    const pre = podObj('pinned');
    pre.spec.nodeName = 'master';
    await pods().create('default', pre);
    await new Promise((r) => setTimeout(r, 300));
    expect((await pods().get('default', 'custom')).spec.nodeName).toBeUndefined();
    expect(await eventsFor('default', 'custom', 'FailedScheduling')).toEqual([]);
    expect((await pods().get('default', 'pinned')).spec.nodeName).toBe('master');
  });

  it('reports a pod too big for any node: FailedScheduling event and PodScheduled=False', async () => {
    await pods().create('default', podObj('huge', { cpu: '16' }));
    const msg = `0/3 nodes are available: ${CP_TAINT}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..`;
    const ev = await waitFor('FailedScheduling', async () => (await eventsFor('default', 'huge', 'FailedScheduling'))[0]);
    expect(ev).toMatchObject({ type: 'Warning', message: msg, source: { component: 'default-scheduler' }, involvedObject: { kind: 'Pod', name: 'huge' } });
    const cond = await waitFor('condition', () => podScheduled('default', 'huge'));
    expect(cond).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg });
    expect((await pods().get('default', 'huge')).spec.nodeName).toBeUndefined();
    await pods().delete('default', 'huge', { gracePeriodSeconds: 0 });
  });

  it('counts requests against allocatable and schedules a waiting pod when one is deleted', async () => {
    await pods().create('default', podObj('hog-1', { cpu: '3' }));
    await pods().create('default', podObj('hog-2', { cpu: '3' }));
    const n1 = await boundNode('default', 'hog-1');
    const n2 = await boundNode('default', 'hog-2');
    // The second was decided before the informer saw the first bound: the assume cache counted it.
    expect(new Set([n1, n2])).toEqual(new Set(['worker1', 'worker2']));
    await pods().create('default', podObj('hog-3', { cpu: '3' }));
    const cond = await waitFor('condition', () => podScheduled('default', 'hog-3'));
    expect(cond.message).toBe(
      `0/3 nodes are available: ${CP_TAINT}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..`,
    );
    await pods().delete('default', 'hog-1', { gracePeriodSeconds: 0 });
    expect(await boundNode('default', 'hog-3')).toBe(n1);
    await pods().delete('default', 'hog-2', { gracePeriodSeconds: 0 });
    await pods().delete('default', 'hog-3', { gracePeriodSeconds: 0 });
  });

  it('schedules an unschedulable pod once a suitable node appears and becomes Ready', async () => {
    await pods().create('default', podObj('big-pool', { nodeSelector: { pool: 'big' } }));
    const first = `0/3 nodes are available: ${CP_TAINT}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..`;
    await waitFor('unschedulable', async () => (await podScheduled('default', 'big-pool'))?.message === first);

    // A node registers NotReady first: still no place, now with the not-ready taint in the reasons.
    await nodes().create(undefined, nodeObj('worker3', { labels: { pool: 'big' }, ready: 'False' }));
    const notReady = `0/4 nodes are available: ${CP_TAINT}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling..`;
    await waitFor('not-ready message', async () => (await podScheduled('default', 'big-pool'))?.message === notReady);
    const fails = await eventsFor('default', 'big-pool', 'FailedScheduling');
    expect(fails.map((e) => e.message).sort()).toEqual([first, notReady].sort());

    await nodes().patch(undefined, 'worker3', { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] } }, 'strategic', { subresource: 'status' });
    expect(await boundNode('default', 'big-pool')).toBe('worker3');
    expect(logs).toEqual([]);
  });
});
