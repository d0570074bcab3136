// The EndpointSlice reconciler's plans: slice contents, grouping by resolved ports, the
// placeholder slice, in-place updates, and the port order Kubernetes writes.
import { describe, expect, it } from 'vitest';
import { CONTROLLER_NAME, endpointPorts, portMapKey, reconcile, type EndpointSlice, type NodeView, type ReconcileInput } from './endpointslice-reconciler.js';
import type { Service, ServicePort } from './endpoints-util.js';
import type { Pod } from './workload-types.js';

function svc(ports: ServicePort[], extra: Partial<NonNullable<Service['spec']>> = {}, labels?: Record<string, string>): Service {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'svc-uid', creationTimestamp: '2024-07-04T04:00:00Z', ...(labels ? { labels } : {}) },
    spec: { selector: { app: 'web' }, clusterIP: '10.96.0.20', ipFamilies: ['IPv4'], ports, ...extra },
  };
}

function pod(name: string, ip: string, o: { ready?: boolean; deleting?: boolean; ports?: { name: string; containerPort: number }[]; node?: string } = {}): Pod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2024-07-04T05:00:00Z' } : {}) },
    spec: { nodeName: o.node ?? 'worker1', containers: [{ name: 'app', ports: o.ports ?? [] }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: '2024-07-04T04:10:00Z' }] },
  };
}

const nodes: Record<string, NodeView> = {
  worker1: { metadata: { name: 'worker1' } },
  worker2: { metadata: { name: 'worker2', labels: { 'topology.kubernetes.io/zone': 'zone-b' } } },
};
const input = (service: Service, pods: Pod[], existing: EndpointSlice[] = [], extra: Partial<ReconcileInput> = {}): ReconcileInput => ({
  service,
  pods,
  existing,
  node: (n) => nodes[n],
  ...extra,
});

/** What the apiserver would hand back: a name, a uid, the normalised empty lists. */
function stored(s: EndpointSlice, name: string): EndpointSlice {
  const out = structuredClone(s);
  out.metadata.name = name;
  out.metadata.uid = `uid-${name}`;
  out.metadata.resourceVersion = '10';
  if (!out.endpoints?.length) out.endpoints = null;
  if (!out.ports?.length) out.ports = null;
  return out;
}

const http: ServicePort = { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' };

describe('EndpointSlice reconciler', () => {
  it('creates one slice per Service: generateName, labels, owner, endpoints with conditions, ports', () => {
    const plan = reconcile(input(svc([http], {}, { team: 'a' }), [pod('b', '10.244.2.7', { ready: false, node: 'worker2' }), pod('a', '10.244.1.5')], [], { triggerTime: Date.parse('2024-07-04T04:10:00Z') }));
    expect(plan.update).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.create).toEqual([
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          generateName: 'web-',
          namespace: 'default',
          labels: { team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': CONTROLLER_NAME },
          ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }],
          annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2024-07-04T04:10:00Z' },
        },
        addressType: 'IPv4',
        endpoints: [
          { addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' }, nodeName: 'worker1' },
          { addresses: ['10.244.2.7'], conditions: { ready: false, serving: false, terminating: false }, targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' }, nodeName: 'worker2', zone: 'zone-b' },
        ],
        ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
      },
    ]);
  });

  it('keeps terminating pods: serving as their readiness says, never ready', () => {
    const [slice] = reconcile(input(svc([http]), [pod('a', '10.244.1.5', { deleting: true })])).create;
    expect(slice.endpoints![0].conditions).toEqual({ ready: false, serving: true, terminating: true });
  });

  it("writes a multi-port slice's ports in Kubernetes' order (kube-dns: 9153,53,53)", () => {
    const dns = svc([
      { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, targetPort: 9153, protocol: 'TCP' },
    ]);
    expect(endpointPorts(dns, pod('c', '10.244.0.2')).map((p) => p.name)).toEqual(['metrics', 'dns', 'dns-tcp']);
  });

  it('groups pods by the ports they resolve: a pod without the named port gets a slice without it', () => {
    const named: ServicePort = { name: 'http', port: 80, targetPort: 'apiserver-http', protocol: 'TCP' };
    const plan = reconcile(input(svc([named]), [pod('a', '10.244.1.5', { ports: [{ name: 'apiserver-http', containerPort: 8000 }] }), pod('bare', '10.244.1.6')]));
    const view = plan.create.map((s) => [s.ports, s.endpoints!.map((e) => e.targetRef!.name)]);
    expect(view).toEqual(
      expect.arrayContaining([
        [[{ name: 'http', protocol: 'TCP', port: 8000 }], ['a']],
        [[], ['bare']],
      ]),
    );
    expect(portMapKey([])).toBe(portMapKey(null));
  });

  it('a Service without endpoints gets one placeholder slice, kept as long as it stays empty', () => {
    const service = svc([http]);
    const plan = reconcile(input(service, []));
    expect(plan.create).toHaveLength(1);
    expect(plan.create[0]).toMatchObject({ addressType: 'IPv4', endpoints: [], ports: [] });
    const placeholder = stored(plan.create[0], 'web-abcde');
    expect(reconcile(input(service, [], [placeholder]))).toEqual({ create: [], update: [], delete: [], errors: [] });
  });

  it('fills the placeholder in place when endpoints appear (an update, not delete + create)', () => {
    const service = svc([http]);
    const placeholder = stored(reconcile(input(service, [])).create[0], 'web-abcde');
    const plan = reconcile(input(service, [pod('a', '10.244.1.5')], [placeholder]));
    expect(plan.create).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.update).toHaveLength(1);
    expect(plan.update[0].metadata.name).toBe('web-abcde');
    expect(plan.update[0].endpoints!.map((e) => e.addresses[0])).toEqual(['10.244.1.5']);
    // ... and back to a placeholder when they go.
    const full = stored(plan.update[0], 'web-abcde');
    const back = reconcile(input(service, [], [full]));
    expect([back.create.length, back.delete.length, back.update.length]).toEqual([0, 0, 1]);
    expect(back.update[0]).toMatchObject({ metadata: { name: 'web-abcde' }, endpoints: [], ports: [] });
  });

  it('updates a slice in place when a readiness flips, and writes nothing when nothing changed', () => {
    const service = svc([http]);
    const slice = stored(reconcile(input(service, [pod('a', '10.244.1.5'), pod('b', '10.244.1.6')])).create[0], 'web-xyz12');
    expect(reconcile(input(service, [pod('a', '10.244.1.5'), pod('b', '10.244.1.6')], [slice]))).toEqual({ create: [], update: [], delete: [], errors: [] });
    const plan = reconcile(input(service, [pod('a', '10.244.1.5'), pod('b', '10.244.1.6', { ready: false })], [slice]));
    expect(plan.update.map((s) => [s.metadata.name, s.metadata.resourceVersion, s.endpoints!.map((e) => e.conditions!.ready)])).toEqual([['web-xyz12', '10', [true, false]]]);
  });

  it('follows the Service labels, keeping its own', () => {
    const slice = stored(reconcile(input(svc([http]), [pod('a', '10.244.1.5')])).create[0], 'web-xyz12');
    const plan = reconcile(input(svc([http], {}, { env: 'prod' }), [pod('a', '10.244.1.5')], [slice]));
    expect(plan.update[0].metadata.labels).toEqual({ env: 'prod', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': CONTROLLER_NAME });
  });

  it('splits at 100 endpoints per slice', () => {
    const pods = Array.from({ length: 230 }, (_, i) => pod(`p${i}`, `10.244.${Math.floor(i / 200)}.${i % 200}`));
    const plan = reconcile(input(svc([http]), pods));
    expect(plan.create.map((s) => s.endpoints!.length)).toEqual([100, 100, 30]);
  });

  it('leaves out (and reports) pods on nodes it does not know, unless not-ready addresses are published', () => {
    const plan = reconcile(input(svc([http]), [pod('a', '10.244.1.5', { node: 'ghost' }), pod('b', '10.244.1.6')]));
    expect(plan.create[0].endpoints!.map((e) => e.targetRef!.name)).toEqual(['b']);
    expect(plan.errors).toEqual(['skipping Pod a for Service default/web: Node ghost Not Found']);
    const publish = reconcile(input(svc([http], { publishNotReadyAddresses: true }), [pod('a', '10.244.1.5', { node: 'ghost', ready: false })]));
    expect(publish.create[0].endpoints![0]).toMatchObject({ conditions: { ready: true, serving: false, terminating: false }, nodeName: 'ghost' });
    expect(publish.errors).toEqual([]);
  });

  it('deletes slices of another owner (an older Service of the same name) and of a dropped address type', () => {
    const service = svc([http]);
    const mine = stored(reconcile(input(service, [pod('a', '10.244.1.5')])).create[0], 'web-mine1');
    const old = { ...structuredClone(mine), metadata: { ...structuredClone(mine.metadata), name: 'web-old01', uid: 'old', ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'previous' }] } };
    const v6 = { ...structuredClone(mine), addressType: 'IPv6', metadata: { ...structuredClone(mine.metadata), name: 'web-six01', uid: 'six' } };
    const plan = reconcile(input(service, [pod('a', '10.244.1.5')], [mine, old, v6]));
    expect(plan.delete.map((s) => s.metadata.name).sort()).toEqual(['web-old01', 'web-six01']);
    expect([plan.create, plan.update]).toEqual([[], []]);
  });
});
