// The Service proxy controller against a real in-process apiserver (no kubelet: pods are only
// written, which is all this controller does).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type KubeObject, type ResourceClient } from '@minik/api';
import { startApiserver, type RunningApiserver } from '../apiserver.js';
import { startControllers, type RunningControllers } from './index.js';
import { waitFor } from './test-cluster.js';

let dir: string;
let server: RunningApiserver;
let client: ApiClient;
let controllers: RunningControllers;
let pods: ResourceClient<KubeObject>;
let services: ResourceClient<KubeObject>;
let nodes: ResourceClient<KubeObject>;
const IMAGE = 'minik/addons:test';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minik-svcproxy-'));
  server = await startApiserver({ dataDir: dir, port: 0, token: 'tok', controllers: false, log: () => undefined });
  client = new ApiClient({ server: server.url, token: 'tok' });
  controllers = startControllers(client, () => undefined, { addons: { image: IMAGE, apiserver: 'https://10.127.255.254:6443' } });
  await controllers.synced;
  pods = client.resource({ group: '', version: 'v1', resource: 'pods' });
  services = client.resource({ group: '', version: 'v1', resource: 'services' });
  nodes = client.resource({ group: '', version: 'v1', resource: 'nodes' });
  for (const [name, ip] of [['n1', '10.112.1.1'], ['n2', '10.112.2.1']]) {
    const n = await nodes.create('', { apiVersion: 'v1', kind: 'Node', metadata: { name } });
    await nodes.updateStatus('', { ...n, status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }] } });
  }
});

afterAll(async () => {
  controllers?.stop();
  await client?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function proxyPods(): Promise<KubeObject[]> {
  return (await pods.list('kube-system', { labelSelector: 'k8s-app=kube-proxy' })).items;
}
const live = (ps: KubeObject[]) => ps.filter((p) => !p.metadata?.deletionTimestamp);
const forService = (name: string) => (p: KubeObject) => p.metadata?.labels?.['minik.io/service-name'] === name;
const nodeProxies = (ps: KubeObject[]) => live(ps).filter((p) => p.metadata?.labels?.['minik.io/proxy-node']);

describe('service proxy controller', () => {
  it('a pod per Service at its ClusterIP; per-node proxies at the nodes\' addresses only while a nodePort exists', async () => {
    const web = await services.create('default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
    const clusterIP = (web.spec as { clusterIP: string }).clusterIP;
    const [proxy] = await waitFor('the web proxy', async () => live(await proxyPods()).filter(forService('web')).length === 1 && live(await proxyPods()).filter(forService('web')));
    expect(proxy.metadata!.annotations!['minik.io/pod-ip']).toBe(clusterIP);
    expect(proxy.metadata!.generateName).toBe('kube-proxy-web-');
    const c = (proxy.spec as { containers: { image: string; env: { name: string; value: string }[]; ports: unknown[] }[] }).containers[0];
    expect(c.image).toBe(IMAGE);
    expect(c.env).toContainEqual({ name: 'SERVICE_NAME', value: 'web' });
    expect(c.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    // No nodePort anywhere: no node proxies.
    expect(nodeProxies(await proxyPods())).toEqual([]);

    // A NodePort Service: its own proxy publishes the nodePort, and each node gets a proxy.
    const np = await services.create('default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30555 }] } });
    expect((np.spec as { ports: { nodePort: number }[] }).ports[0].nodePort).toBe(30555);
    const byNode = await waitFor('two node proxies', async () => {
      const ps = nodeProxies(await proxyPods());
      return ps.length === 2 && ps;
    });
    expect(byNode.map((p) => [p.spec!.nodeName, p.metadata!.annotations!['minik.io/pod-ip']]).sort()).toEqual([
      ['n1', '10.112.1.1'],
      ['n2', '10.112.2.1'],
    ]);
    expect((byNode[0].spec as { containers: { env: { name: string }[] }[] }).containers[0].env.map((e) => e.name)).toContain('NODE_NAME');
    const [npProxy] = await waitFor('the np proxy', async () => live(await proxyPods()).filter(forService('np')).length === 1 && live(await proxyPods()).filter(forService('np')));
    expect((npProxy.spec as { containers: { ports: unknown[] }[] }).containers[0].ports).toEqual([
      { containerPort: 80, protocol: 'TCP' },
      { containerPort: 30555, hostPort: 30555, protocol: 'TCP' },
    ]);

    // A node deleted: its proxy goes at once (nothing would finish a graceful deletion there).
    await nodes.delete('', 'n2');
    await waitFor('n2 proxy gone', async () => !(await proxyPods()).some((p) => p.spec!.nodeName === 'n2'));
    expect(nodeProxies(await proxyPods()).map((p) => p.spec!.nodeName)).toEqual(['n1']);

    // The last nodePort gone: the node proxies are deleted.
    await services.delete('default', 'np');
    await waitFor('node proxies deleted', async () => nodeProxies(await proxyPods()).length === 0);
    await waitFor('np proxy deleted', async () => live(await proxyPods()).filter(forService('np')).length === 0);
    expect(live(await proxyPods()).filter(forService('web'))).toHaveLength(1);
  });

  it('a LoadBalancer gets 127.0.0.1 when its port is free on the host; <pending> and an event while taken, then retried', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen({ port: 0, host: '127.0.0.1' }, r));
    const port = (blocker.address() as AddressInfo).port;
    await services.create('default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port, targetPort: 8080 }] } });
    const events = client.resource({ group: '', version: 'v1', resource: 'events' });
    const failed = await waitFor('SyncLoadBalancerFailed', async () => (await events.list('default')).items.find((e) => e.reason === 'SyncLoadBalancerFailed' && (e.involvedObject as { name: string }).name === 'lb'));
    expect(failed.type).toBe('Warning');
    expect(failed.message).toBe(`Error syncing load balancer: failed to ensure load balancer: port(s) ${port} on 127.0.0.1 already in use`);
    const [pending] = live(await proxyPods()).filter(forService('lb'));
    expect((pending.spec as { containers: { ports: { hostPort?: number }[] }[] }).containers[0].ports[0].hostPort).toBeUndefined();
    expect((await services.get('default', 'lb')).status).toEqual({ loadBalancer: {} });

    // The port freed: the next retry publishes it, and once the proxy runs the Service shows the address.
    await new Promise((r) => blocker.close(r));
    const [published] = await waitFor('a proxy publishing the port', async () => {
      const ps = live(await proxyPods()).filter(forService('lb'));
      return ps.length === 1 && (ps[0].spec as { containers: { ports: { hostPort?: number }[] }[] }).containers[0].ports[0].hostPort === port && ps;
    }, 10_000);
    // A merge patch, not an update: the scheduler may bind the pod meanwhile (a 409 otherwise).
    await pods.patch('kube-system', published.metadata!.name!, { status: { phase: 'Running' } }, 'merge', { subresource: 'status' });
    await waitFor('EXTERNAL-IP', async () => JSON.stringify((await services.get('default', 'lb')).status) === JSON.stringify({ loadBalancer: { ingress: [{ ip: '127.0.0.1', ipMode: 'VIP' }] } }));
    await services.delete('default', 'lb');
  });
});
