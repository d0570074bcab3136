// The Endpoints controller against a real in-process apiserver (all controllers running). The
// test plays the kubelet: pods name their node, and their IP and readiness are set through the
// status subresource, so every change the controller sees is one the test made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, ResourceClient, Table } from '@minik/api';
import { startTestCluster, sleep, waitFor, type TestCluster } from './test-cluster.js';
import type { Endpoints } from './endpoints.js';
import type { Pod } from './workload-types.js';

let c: TestCluster;
let pods: ResourceClient<KubeObject>;
let services: ResourceClient<KubeObject>;
let endpoints: ResourceClient<KubeObject>;

beforeAll(async () => {
  // The fake kubelet only finishes graceful deletions here: pods never become ready on their own.
  c = await startTestCluster({ neverReady: () => true, terminateDelayMs: 300 });
  pods = c.client.resource({ group: '', version: 'v1', resource: 'pods' });
  services = c.client.resource({ group: '', version: 'v1', resource: 'services' });
  endpoints = c.client.resource({ group: '', version: 'v1', resource: 'endpoints' });
  const nodes = c.client.resource({ group: '', version: 'v1', resource: 'nodes' });
  for (const name of ['worker1', 'worker2']) await nodes.create('', { apiVersion: 'v1', kind: 'Node', metadata: { name } });
});
afterAll(async () => {
  if (process.env.MINIK_TEST_LOGS) console.log(c?.logs.join('\n'));
  await c?.close();
});

async function namespace(name: string): Promise<string> {
  await c.client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

interface PodOpts {
  labels?: Record<string, string>;
  node?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
}

async function createPod(ns: string, name: string, o: PodOpts = {}): Promise<Pod> {
  return (await pods.create(ns, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: o.labels ?? { app: 'backend' } },
    spec: { nodeName: o.node ?? 'worker1', containers: [{ name: 'app', image: 'local/busybox:1.35', ports: o.ports ?? [] }] },
  })) as Pod;
}

const now = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** What the kubelet reports: Running with an IP, Ready or not. */
async function setStatus(ns: string, name: string, ip: string, ready: boolean): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const p = (await pods.get(ns, name)) as Pod;
    const t = now();
    const ready0 = p.status?.conditions?.find((x) => x.type === 'Ready');
    const readyCond = { type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: ready0 && (ready0.status === 'True') === ready ? ready0.lastTransitionTime : t };
    p.status = { ...p.status, phase: 'Running', hostIP: '172.18.0.2', podIP: ip, podIPs: [{ ip }], startTime: t, conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: t }, readyCond] };
    try {
      await pods.updateStatus(ns, { ...p, apiVersion: 'v1', kind: 'Pod' });
      return;
    } catch (e) {
      if (attempt > 5) throw e;
    }
  }
}

async function createService(ns: string, name: string, spec: Record<string, unknown>, labels?: Record<string, string>): Promise<KubeObject> {
  return services.create(ns, { apiVersion: 'v1', kind: 'Service', metadata: { name, ...(labels ? { labels } : {}) }, spec });
}

const getEp = async (ns: string, name: string) => (await endpoints.get(ns, name)) as Endpoints;
const readyIPs = (ep: Endpoints) => (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));
const notReadyIPs = (ep: Endpoints) => (ep.subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip));

/** The ENDPOINTS cell kube-apiserver prints for `kubectl get endpoints`. */
async function endpointsCell(ns: string, name: string): Promise<string> {
  const t = await c.client.request<Table>('GET', endpoints.path(ns, name), { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
  return t.rows[0].cells[1] as string;
}

describe('Endpoints controller', () => {
  it('lists ready pods under addresses and the others under notReadyAddresses, with node, target, labels and trigger time', async () => {
    const ns = await namespace('ep-split');
    const svc = await createService(ns, 'backend-service', { selector: { app: 'backend' }, ports: [{ port: 8000, targetPort: 8000 }] }, { app: 'backend', tier: 'api' });
    const [a, b, cc] = [await createPod(ns, 'a', { node: 'worker2' }), await createPod(ns, 'b', { node: 'worker2' }), await createPod(ns, 'c')];
    await createPod(ns, 'unrelated', { labels: { app: 'other' } });
    await setStatus(ns, 'a', '10.244.2.66', true);
    await setStatus(ns, 'b', '10.244.2.67', true);
    await setStatus(ns, 'c', '10.244.1.130', false);
    await setStatus(ns, 'unrelated', '10.244.1.131', true);
    const ep = await waitFor('endpoints with 2 ready and 1 not ready', async () => {
      const e = await getEp(ns, 'backend-service');
      return readyIPs(e).length === 2 && notReadyIPs(e).length === 1 && e;
    });
    expect(ep.metadata?.labels).toEqual({ app: 'backend', tier: 'api' });
    expect(ep.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(ep.subsets).toEqual([
      {
        addresses: [
          { ip: '10.244.2.66', nodeName: 'worker2', targetRef: { kind: 'Pod', namespace: ns, name: 'a', uid: a.metadata.uid } },
          { ip: '10.244.2.67', nodeName: 'worker2', targetRef: { kind: 'Pod', namespace: ns, name: 'b', uid: b.metadata.uid } },
        ],
        notReadyAddresses: [{ ip: '10.244.1.130', nodeName: 'worker1', targetRef: { kind: 'Pod', namespace: ns, name: 'c', uid: cc.metadata.uid } }],
        ports: [{ port: 8000, protocol: 'TCP' }],
      },
    ]);
    // `kubectl get endpoints` shows the ready ones (O34's shape).
    expect(await endpointsCell(ns, 'backend-service')).toBe('10.244.2.66:8000,10.244.2.67:8000');
    await setStatus(ns, 'c', '10.244.1.130', true);
    await waitFor('all three ready', async () => (await endpointsCell(ns, 'backend-service')) === '10.244.1.130:8000,10.244.2.66:8000,10.244.2.67:8000');
    expect(svc.metadata?.uid).toBeTruthy();
  });

  it('follows readiness flips within a second (informer-driven)', async () => {
    const ns = await namespace('ep-flip');
    await createService(ns, 'web', { selector: { app: 'backend' }, ports: [{ port: 80, targetPort: 8080 }] });
    await createPod(ns, 'w');
    await setStatus(ns, 'w', '10.244.1.7', true);
    await waitFor('ready endpoint', async () => readyIPs(await getEp(ns, 'web')).length === 1);
    for (const ready of [false, true, false]) {
      await setStatus(ns, 'w', '10.244.1.7', ready);
      // DESIGN: Endpoints follow pod readiness within a second.
      await waitFor(`the endpoint ${ready ? 'ready' : 'not ready'}`, async () => (ready ? readyIPs : notReadyIPs)(await getEp(ns, 'web')).length === 1, 1000);
    }
  });

  it('resolves a named targetPort per pod, leaving out a pod without that port', async () => {
    const ns = await namespace('ep-named');
    await createService(ns, 'api', { selector: { app: 'backend' }, ports: [{ name: 'http', port: 80, targetPort: 'apiserver-http' }] });
    await createPod(ns, 'p1', { ports: [{ name: 'apiserver-http', containerPort: 8000 }] });
    await createPod(ns, 'p2', { ports: [{ name: 'apiserver-http', containerPort: 8001 }] });
    await createPod(ns, 'bare', { ports: [{ name: 'other', containerPort: 9000 }] });
    for (const [n, ip] of [['p1', '10.244.1.2'], ['p2', '10.244.1.3'], ['bare', '10.244.1.4']]) await setStatus(ns, n, ip, true);
    const ep = await waitFor('both named pods', async () => {
      const e = await getEp(ns, 'api');
      return readyIPs(e).length === 2 && e;
    });
    const view = (ep.subsets ?? []).map((s) => [s.addresses?.map((a) => a.targetRef?.name), s.ports]);
    expect(view).toEqual(
      expect.arrayContaining([
        [['p1'], [{ name: 'http', port: 8000, protocol: 'TCP' }]],
        [['p2'], [{ name: 'http', port: 8001, protocol: 'TCP' }]],
      ]),
    );
    expect(view).toHaveLength(2);
  });

  it('writes an Endpoints object without subsets when the selector matches nothing', async () => {
    const ns = await namespace('ep-nothing');
    await createService(ns, 'lonely', { selector: { app: 'nobody' }, ports: [{ port: 80 }] });
    const ep = await waitFor('endpoints', () => getEp(ns, 'lonely'));
    expect(ep.subsets).toBeUndefined();
    expect(await endpointsCell(ns, 'lonely')).toBe('<none>');
  });

  it('drops terminating pods at once, and deletes the Endpoints with their Service', async () => {
    const ns = await namespace('ep-delete');
    await createService(ns, 'web', { selector: { app: 'backend' }, ports: [{ port: 80, targetPort: 8080 }] });
    await createPod(ns, 'x');
    await createPod(ns, 'y');
    await setStatus(ns, 'x', '10.244.1.8', true);
    await setStatus(ns, 'y', '10.244.1.9', true);
    await waitFor('two endpoints', async () => readyIPs(await getEp(ns, 'web')).length === 2);
    await pods.delete(ns, 'x');
    await waitFor('the terminating pod gone from the endpoints', async () => JSON.stringify(readyIPs(await getEp(ns, 'web'))) === '["10.244.1.9"]');
    await services.delete(ns, 'web');
    await waitFor('endpoints deleted', async () => {
      try {
        await getEp(ns, 'web');
        return false;
      } catch (e) {
        return (e as { code?: number }).code === 404;
      }
    });
  });

  it('leaves the Endpoints of a Service without selector to their user', async () => {
    const ns = await namespace('ep-manual');
    await createService(ns, 'external-db', { ports: [{ port: 5432 }] });
    await endpoints.create(ns, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external-db' }, subsets: [{ addresses: [{ ip: '192.168.1.50' }], ports: [{ port: 5432 }] }] });
    await createPod(ns, 'p', { labels: { app: 'db' } });
    await setStatus(ns, 'p', '10.244.1.20', true);
    await sleep(300);
    const ep = await getEp(ns, 'external-db');
    expect(ep.subsets).toEqual([{ addresses: [{ ip: '192.168.1.50' }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
    expect(ep.metadata?.annotations).toBeUndefined();
  });

  it('writes only when something changed, and follows the Service labels and headlessness', async () => {
    const ns = await namespace('ep-quiet');
    await createService(ns, 'web', { selector: { app: 'backend' }, ports: [{ port: 80, targetPort: 8080 }] });
    await createPod(ns, 'q');
    await setStatus(ns, 'q', '10.244.1.30', true);
    const ep = await waitFor('endpoint', async () => {
      const e = await getEp(ns, 'web');
      return readyIPs(e).length === 1 && e;
    });
    // A pod change that does not concern endpoints, and a Service change that does not either.
    await pods.patch(ns, 'q', { metadata: { annotations: { note: 'x' } } }, 'merge');
    await services.patch(ns, 'web', { metadata: { annotations: { note: 'y' } } }, 'merge');
    await sleep(300);
    expect((await getEp(ns, 'web')).metadata?.resourceVersion).toBe(ep.metadata?.resourceVersion);
    await services.patch(ns, 'web', { metadata: { labels: { team: 'a' } } }, 'merge');
    await waitFor('labels copied', async () => (await getEp(ns, 'web')).metadata?.labels?.team === 'a');

    await createService(ns, 'headless', { clusterIP: 'None', selector: { app: 'backend' } });
    const h = await waitFor('headless endpoints', async () => {
      const e = await getEp(ns, 'headless');
      return readyIPs(e).length === 1 && e;
    });
    expect(h.metadata?.labels).toEqual({ 'service.kubernetes.io/headless': '' });
    expect(h.subsets?.[0].ports).toBeUndefined();
  });
});
