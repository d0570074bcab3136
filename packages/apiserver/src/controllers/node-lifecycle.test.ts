// Taint-based eviction's arithmetic, and the node lifecycle controller against a real in-process
// apiserver: a node whose Lease goes silent becomes Unknown, tainted, its pods not Ready and
// then deleted; a node that reports Ready again loses the taints.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type KubeObject } from '@minik/api';
import { startApiserver, type RunningApiserver } from '../apiserver.js';
import { evictionTime, tolerates } from './node-lifecycle.js';
import { waitFor } from './test-cluster.js';

const unreachable = (timeAdded: string) => ({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded });

describe('taint eviction arithmetic', () => {
  const t = Date.parse('2026-11-23T10:00:00Z');
  it('a toleration matches by key, operator, value and effect', () => {
    expect(tolerates({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }, unreachable(''))).toBe(true);
    expect(tolerates({ operator: 'Exists' }, unreachable(''))).toBe(true);
    expect(tolerates({ key: 'a', value: 'b', effect: 'NoSchedule' }, { key: 'a', value: 'b', effect: 'NoExecute' })).toBe(false);
    expect(tolerates({ key: 'a', value: 'b' }, { key: 'a', value: 'b', effect: 'NoExecute' })).toBe(true);
  });
  it('untolerated: now; bounded: timeAdded + the smallest tolerationSeconds; unbounded: never', () => {
    expect(evictionTime([unreachable('2026-11-23T09:59:00Z')], [], t)).toBe(t);
    expect(evictionTime([unreachable('2026-11-23T09:59:00Z')], [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], t)).toBe(Date.parse('2026-11-23T10:04:00Z'));
    expect(evictionTime([unreachable('2026-11-23T09:59:00Z')], [{ operator: 'Exists' }], t)).toBeUndefined();
  });
});

describe('node lifecycle controller', () => {
  let dir: string;
  let server: RunningApiserver;
  let client: ApiClient;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'minik-nodelife-'));
    server = await startApiserver({ dataDir: dir, port: 0, token: 'tok', log: () => undefined, nodeMonitorGracePeriodSeconds: 2, defaultTolerationSeconds: 1 });
    client = new ApiClient({ server: server.url, token: 'tok' });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a silent node: Unknown, tainted, pods not Ready then evicted; Ready again: taints removed', async () => {
    const nodes = client.resource({ group: '', version: 'v1', resource: 'nodes' });
    const pods = client.resource({ group: '', version: 'v1', resource: 'pods' });
    const readyNow = () => ({ conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] });
    const n = await nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'laptop' } });
    await nodes.updateStatus(undefined, { ...n, status: readyNow() });
    const pod = await pods.create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'laptop', containers: [{ name: 'c', image: 'x' }] } });
    // DefaultTolerationSeconds admission.
    expect((pod.spec as { tolerations: unknown[] }).tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 },
    ]);
    await pods.patch('default', 'p', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, 'merge', { subresource: 'status' });

    const unknown = await waitFor('Ready Unknown', async () => {
      const x = await nodes.get(undefined, 'laptop');
      const c = (x.status as { conditions: { type: string; status: string; reason?: string; message?: string }[] }).conditions.find((c) => c.type === 'Ready');
      return c?.status === 'Unknown' && x;
    });
    expect((unknown.status as { conditions: { reason?: string; message?: string }[] }).conditions[0]).toMatchObject({ reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    await waitFor('taints', async () => ((await nodes.get(undefined, 'laptop')).spec as { taints?: unknown[] } | undefined)?.taints?.length === 2);
    await waitFor('pod deleted after its toleration', async () => {
      const p = await pods.get('default', 'p').catch(() => undefined);
      return !p || !!p.metadata?.deletionTimestamp;
    }, 10_000);

    // The kubelet is back.
    const back = await nodes.get(undefined, 'laptop');
    await nodes.updateStatus(undefined, { ...back, status: readyNow() } as KubeObject);
    await waitFor('taints removed', async () => !((await nodes.get(undefined, 'laptop')).spec as { taints?: unknown[] } | undefined)?.taints?.length);
  }, 30_000);

  it('pod GC: pods bound to a node that does not exist are force-deleted after the quarantine', async () => {
    const pods = client.resource({ group: '', version: 'v1', resource: 'pods' });
    await pods.create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan' }, spec: { nodeName: 'ghost', containers: [{ name: 'c', image: 'x' }] } });
    const t0 = Date.now();
    await waitFor('orphan gone', async () => !(await pods.get('default', 'orphan').catch(() => undefined)), 10_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
  }, 15_000);
});
