// The EndpointSlice controller against a real in-process apiserver (all controllers running);
// the test sets pods' IPs and readiness through the status subresource, as a kubelet would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, ResourceClient, Table } from '@minik/api';
import { startTestCluster, sleep, waitFor, type TestCluster } from './test-cluster.js';
import type { EndpointSlice } from './endpointslice-reconciler.js';
import type { Pod } from './workload-types.js';

let c: TestCluster;
let pods: ResourceClient<KubeObject>;
let services: ResourceClient<KubeObject>;
let slices: ResourceClient<KubeObject>;

beforeAll(async () => {
  c = await startTestCluster({ neverReady: () => true, terminateDelayMs: 60_000 });
  pods = c.client.resource({ group: '', version: 'v1', resource: 'pods' });
  services = c.client.resource({ group: '', version: 'v1', resource: 'services' });
  slices = c.client.resource({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' });
  const nodes = c.client.resource({ group: '', version: 'v1', resource: 'nodes' });
  await nodes.create('', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker1' } });
  await nodes.create('', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker2', labels: { 'topology.kubernetes.io/zone': 'b' } } });
});
afterAll(async () => {
  if (process.env.MINIK_TEST_LOGS) console.log(c?.logs.join('\n'));
  await c?.close();
});

async function namespace(name: string): Promise<string> {
  await c.client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

async function createPod(ns: string, name: string, node = 'worker1', ports: { name: string; containerPort: number }[] = []): Promise<Pod> {
  return (await pods.create(ns, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'web' } },
    spec: { nodeName: node, containers: [{ name: 'app', image: 'local/busybox:1.35', ports }] },
  })) as Pod;
}

async function setStatus(ns: string, name: string, ip: string, ready: boolean): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const p = (await pods.get(ns, name)) as Pod;
    const t = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    p.status = { ...p.status, phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: t }] };
    try {
      await pods.updateStatus(ns, { ...p, apiVersion: 'v1', kind: 'Pod' });
      return;
    } catch (e) {
      if (attempt > 5) throw e;
    }
  }
}

const sliceList = async (ns: string, svc: string) => (await slices.list(ns, { labelSelector: `kubernetes.io/service-name=${svc}` })).items as EndpointSlice[];
const oneSlice = (ns: string, svc: string, ok: (s: EndpointSlice) => boolean) =>
  waitFor(`the EndpointSlice of ${svc}`, async () => {
    const l = await sliceList(ns, svc);
    return l.length === 1 && ok(l[0]) && l[0];
  });

describe('EndpointSlice controller', () => {
  it('writes one slice per Service: <svc>-xxxxx, labels, owner, endpoints with conditions, ports', async () => {
    const ns = await namespace('eps-content');
    const svc = await services.create(ns, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { team: 'a' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    const a = await createPod(ns, 'a');
    const b = await createPod(ns, 'b', 'worker2');
    await setStatus(ns, 'a', '10.244.1.5', true);
    await setStatus(ns, 'b', '10.244.2.7', false);
    const s = await oneSlice(ns, 'web', (x) => (x.endpoints ?? []).length === 2);
    expect(s.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(s.metadata.generateName).toBe('web-');
    expect(s.metadata.labels).toEqual({ team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(s.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    expect(s.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toBeTruthy();
    expect(s.addressType).toBe('IPv4');
    expect(s.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8080 }]);
    expect(s.endpoints).toEqual([
      { addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: ns, name: 'a', uid: a.metadata.uid }, nodeName: 'worker1' },
      { addresses: ['10.244.2.7'], conditions: { ready: false, serving: false, terminating: false }, targetRef: { kind: 'Pod', namespace: ns, name: 'b', uid: b.metadata.uid }, nodeName: 'worker2', zone: 'b' },
    ]);

    // Readiness flips and terminating pods update the same slice in place.
    await setStatus(ns, 'b', '10.244.2.7', true);
    const flipped = await oneSlice(ns, 'web', (x) => !!x.endpoints?.every((e) => e.conditions?.ready));
    expect(flipped.metadata.name).toBe(s.metadata.name);
    expect(flipped.metadata.generation).toBeGreaterThan(s.metadata.generation ?? 0);
    await pods.delete(ns, 'a');
    const term = await oneSlice(ns, 'web', (x) => !!x.endpoints?.some((e) => e.conditions?.terminating));
    expect(term.endpoints?.find((e) => e.targetRef?.name === 'a')?.conditions).toEqual({ ready: false, serving: true, terminating: true });

    // Printed as `kubectl get endpointslices` shows it.
    const t = await c.client.request<Table>('GET', slices.path(ns), { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    expect(t.columnDefinitions.map((d) => d.name)).toEqual(['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
    expect(t.rows[0].cells.slice(0, 4)).toEqual([s.metadata.name, 'IPv4', '8080', '10.244.1.5,10.244.2.7']);
  });

  it('keeps an empty placeholder slice for a Service without endpoints, and fills that one', async () => {
    const ns = await namespace('eps-placeholder');
    await services.create(ns, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    const placeholder = await oneSlice(ns, 'web', () => true);
    expect(placeholder).toMatchObject({ addressType: 'IPv4', endpoints: null, ports: null });
    await createPod(ns, 'p');
    await setStatus(ns, 'p', '10.244.1.9', true);
    const filled = await oneSlice(ns, 'web', (x) => (x.endpoints ?? []).length === 1);
    expect(filled.metadata.name).toBe(placeholder.metadata.name);
    expect(filled.ports).toEqual([{ name: '', protocol: 'TCP', port: 80 }]);
  });

  it('puts a pod without the named target port in a slice of its own, without that port', async () => {
    const ns = await namespace('eps-named');
    await services.create(ns, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'apiserver-http' }] } });
    await createPod(ns, 'named', 'worker1', [{ name: 'apiserver-http', containerPort: 8000 }]);
    await createPod(ns, 'bare');
    await setStatus(ns, 'named', '10.244.1.2', true);
    await setStatus(ns, 'bare', '10.244.1.3', true);
    const all = await waitFor('two slices', async () => {
      const l = await sliceList(ns, 'api');
      return l.length === 2 && l.every((s) => s.endpoints?.length === 1) && l;
    });
    const view = all.map((s) => [s.ports, s.endpoints![0].targetRef!.name]);
    expect(view).toEqual(expect.arrayContaining([[[{ name: 'http', protocol: 'TCP', port: 8000 }], 'named'], [null, 'bare']]));
  });

  it('puts back what someone else changes in a managed slice; the slices go with their Service', async () => {
    const ns = await namespace('eps-owned');
    await services.create(ns, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await createPod(ns, 'p');
    await setStatus(ns, 'p', '10.244.1.11', true);
    const s = await oneSlice(ns, 'web', (x) => (x.endpoints ?? []).length === 1);
    await slices.update(ns, { ...s, endpoints: [{ ...s.endpoints![0], addresses: ['10.244.1.99'] }] });
    await waitFor('the slice restored', async () => (await sliceList(ns, 'web'))[0]?.endpoints?.map((e) => e.addresses[0]).join() === '10.244.1.11', 5000);
    await sleep(100);
    await services.delete(ns, 'web');
    await waitFor('slices garbage-collected', async () => (await sliceList(ns, 'web')).length === 0);
  });
});
