// The pure parts of the Endpoints controller: targetPort resolution, which pods count, and
// RepackSubsets' grouping and Kubernetes' ordering (by IP, and by go-spew MD5 for ports/subsets).
import { describe, expect, it } from 'vitest';
import { desiredSubsets, repackSubsets, sortSubsets, spewEndpointPort, spewEndpointSubset, subsetsEqual, truncateSubsets, type EndpointSubset } from './endpoints-subsets.js';
import { findPort, type Service, type ServicePort } from './endpoints-util.js';
import type { Pod } from './workload-types.js';

interface PodOpts {
  ip?: string;
  ready?: boolean;
  node?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  labels?: Record<string, string>;
  phase?: string;
  deleting?: boolean;
  hostname?: string;
  subdomain?: string;
}

function pod(name: string, o: PodOpts = {}): Pod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: o.labels ?? { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2024-07-04T04:00:00Z' } : {}) },
    spec: {
      nodeName: o.node ?? 'worker1',
      containers: [{ name: 'app', image: 'x', ports: o.ports ?? [] }],
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.ip === '' ? {} : { podIP: o.ip ?? '10.244.1.5', podIPs: [{ ip: o.ip ?? '10.244.1.5' }] }),
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}

function service(ports: ServicePort[], extra: Partial<NonNullable<Service['spec']>> = {}): Service {
  return { metadata: { name: 'web', namespace: 'default', uid: 'svc-uid' }, spec: { selector: { app: 'web' }, clusterIP: '10.96.0.20', ipFamilies: ['IPv4'], ports, ...extra } };
}

const ref = (name: string) => ({ kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` });
const addr = (ip: string, name: string, node = 'worker1') => ({ ip, nodeName: node, targetRef: ref(name) });

describe('findPort (targetPort per pod)', () => {
  const p = pod('a', {
    ports: [
      { name: 'http', containerPort: 8080 },
      { name: 'dns', containerPort: 5353, protocol: 'UDP' },
    ],
  });

  it('takes a number as it is, whatever the pod declares', () => {
    expect(findPort(p, { port: 80, targetPort: 9376, protocol: 'TCP' })).toBe(9376);
    expect(findPort(p, { port: 80, protocol: 'TCP' })).toBe(80);
  });

  it("looks a name up among the containers' ports of the same protocol", () => {
    expect(findPort(p, { port: 80, targetPort: 'http', protocol: 'TCP' })).toBe(8080);
    expect(findPort(p, { port: 53, targetPort: 'dns', protocol: 'UDP' })).toBe(5353);
    expect(findPort(p, { port: 53, targetPort: 'dns', protocol: 'TCP' })).toBeUndefined();
    expect(findPort(p, { port: 80, targetPort: 'apiserver-http', protocol: 'TCP' })).toBeUndefined();
  });

  it('also finds ports of sidecars (init containers that always restart), not of other init containers', () => {
    const withInit = (restartPolicy?: string): Pod => ({
      ...p,
      spec: { ...p.spec, initContainers: [{ name: 'side', ...(restartPolicy ? { restartPolicy } : {}), ports: [{ name: 'metrics', containerPort: 9090 }] }] },
    });
    expect(findPort(withInit('Always'), { port: 9090, targetPort: 'metrics', protocol: 'TCP' })).toBe(9090);
    expect(findPort(withInit(), { port: 9090, targetPort: 'metrics', protocol: 'TCP' })).toBeUndefined();
  });
});

describe('desiredSubsets (syncService)', () => {
  it('lists ready pods under addresses in byte order of their IPs (O34), with node and target', () => {
    const svc = service([{ port: 8000, targetPort: 8000, protocol: 'TCP' }]);
    const pods = [pod('c', { ip: '192.168.235.130', node: 'worker1' }), pod('a', { ip: '192.168.189.66', node: 'worker2' }), pod('b', { ip: '192.168.189.67', node: 'worker2' })];
    expect(desiredSubsets(svc, pods).subsets).toEqual([
      {
        addresses: [addr('192.168.189.66', 'a', 'worker2'), addr('192.168.189.67', 'b', 'worker2'), addr('192.168.235.130', 'c')],
        ports: [{ port: 8000, protocol: 'TCP' }],
      },
    ]);
    // Byte order, not numeric: .10 sorts before .9.
    const order = desiredSubsets(svc, [pod('x', { ip: '10.244.1.9' }), pod('y', { ip: '10.244.1.10' })]).subsets[0].addresses!.map((a) => a.ip);
    expect(order).toEqual(['10.244.1.10', '10.244.1.9']);
  });

  it('puts pods that are not ready under notReadyAddresses, in the same subset when they serve the same ports', () => {
    const svc = service([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]);
    const r = desiredSubsets(svc, [pod('a', { ip: '10.244.1.2' }), pod('b', { ip: '10.244.1.3', ready: false }), pod('c', { ip: '10.244.2.2' })]);
    expect(r.subsets).toEqual([
      {
        addresses: [addr('10.244.1.2', 'a'), addr('10.244.2.2', 'c')],
        notReadyAddresses: [addr('10.244.1.3', 'b')],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect([r.ready, r.notReady]).toEqual([2, 1]);
  });

  it('publishNotReadyAddresses lists every pod as ready, terminating ones included', () => {
    const svc = service([{ port: 80, targetPort: 8080, protocol: 'TCP' }], { publishNotReadyAddresses: true });
    const r = desiredSubsets(svc, [pod('a', { ip: '10.244.1.2', ready: false }), pod('b', { ip: '10.244.1.3', deleting: true })]);
    expect(r.subsets.map((s) => [s.addresses?.map((a) => a.ip), s.notReadyAddresses])).toEqual([[['10.244.1.2', '10.244.1.3'], undefined]]);
  });

  it('leaves out pods without an IP, finished pods and terminating pods', () => {
    const svc = service([{ port: 80, targetPort: 8080, protocol: 'TCP' }]);
    const r = desiredSubsets(svc, [pod('noip', { ip: '' }), pod('done', { ip: '10.244.1.4', phase: 'Succeeded' }), pod('bye', { ip: '10.244.1.5', deleting: true }), pod('ok', { ip: '10.244.1.6' })]);
    expect(r.subsets.map((s) => s.addresses?.map((a) => a.targetRef?.name))).toEqual([['ok']]);
    expect(desiredSubsets(svc, [pod('noip', { ip: '' })]).subsets).toEqual([]);
  });

  it('resolves a named targetPort per pod and leaves a pod without that port out for that port only', () => {
    const svc = service([
      { name: 'http', port: 80, targetPort: 'apiserver-http', protocol: 'TCP' },
      { name: 'admin', port: 9000, targetPort: 9000, protocol: 'TCP' },
    ]);
    const named = pod('named', { ip: '10.244.1.2', ports: [{ name: 'apiserver-http', containerPort: 8000 }] });
    const other = pod('other', { ip: '10.244.1.3', ports: [{ name: 'apiserver-http', containerPort: 8001 }] });
    const bare = pod('bare', { ip: '10.244.1.4' });
    const { subsets } = desiredSubsets(svc, [named, other, bare]);
    // One subset per distinct (addresses, ports) grouping; which comes first is the hash order.
    const view = (ss: EndpointSubset) => [ss.addresses?.map((a) => a.ip), ss.ports?.map((p) => `${p.name}:${p.port}`)];
    expect(subsets.map(view)).toEqual(
      expect.arrayContaining([
        [['10.244.1.2', '10.244.1.3', '10.244.1.4'], ['admin:9000']],
        [['10.244.1.2'], ['http:8000']],
        [['10.244.1.3'], ['http:8001']],
      ]),
    );
    expect(subsets).toHaveLength(3);
    expect(subsets).toEqual(sortSubsets(subsets));
    // The same pods in another order give the very same subsets.
    expect(desiredSubsets(svc, [bare, other, named]).subsets).toEqual(subsets);
  });

  it('sets hostname when the pod names this Service as its subdomain', () => {
    const svc = service([{ port: 80, targetPort: 80, protocol: 'TCP' }]);
    const [a, b] = desiredSubsets(svc, [pod('a', { ip: '10.244.1.2', hostname: 'web-0', subdomain: 'web' }), pod('b', { ip: '10.244.1.3', hostname: 'web-1', subdomain: 'other' })]).subsets[0].addresses!;
    expect(a).toEqual({ ip: '10.244.1.2', hostname: 'web-0', nodeName: 'worker1', targetRef: ref('a') });
    expect(b.hostname).toBeUndefined();
  });

  it('a headless Service without ports lists addresses alone; a ClusterIP one without ports nothing', () => {
    const headless = service([], { clusterIP: 'None' });
    expect(desiredSubsets(headless, [pod('a', { ip: '10.244.1.2' }), pod('b', { ip: '10.244.1.3', ready: false })]).subsets).toEqual([
      { addresses: [addr('10.244.1.2', 'a')], notReadyAddresses: [addr('10.244.1.3', 'b')] },
    ]);
    expect(desiredSubsets(service([]), [pod('a', { ip: '10.244.1.2' })]).subsets).toEqual([]);
  });

  it('picks the pod address of the Service IP family', () => {
    const dual = pod('a', { ip: '10.244.1.2' });
    dual.status!.podIPs = [{ ip: '10.244.1.2' }, { ip: 'fd00::2' }];
    const v6 = service([{ port: 80, targetPort: 80, protocol: 'TCP' }], { ipFamilies: ['IPv6'], clusterIP: 'fd00:96::20' });
    expect(desiredSubsets(v6, [dual]).subsets[0].addresses![0].ip).toBe('fd00::2');
  });
});

describe('RepackSubsets', () => {
  it("orders a multi-port subset's ports as Kubernetes does (kube-dns: dns-tcp, dns, metrics)", () => {
    const ports = [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ];
    const subsets = repackSubsets(ports.map((p) => ({ addresses: [addr('10.244.0.2', 'coredns')], ports: [p] })));
    expect(subsets).toHaveLength(1);
    expect(subsets[0].ports!.map((p) => p.name)).toEqual(['dns-tcp', 'dns', 'metrics']);
  });

  it('not ready wins over ready for the same address and port, and duplicates collapse', () => {
    const p = [{ port: 80, protocol: 'TCP' }];
    expect(
      repackSubsets([
        { addresses: [addr('10.0.0.1', 'a')], ports: p },
        { notReadyAddresses: [addr('10.0.0.1', 'a')], ports: p },
        { addresses: [addr('10.0.0.1', 'a'), addr('10.0.0.2', 'b')], ports: p },
      ]),
    ).toEqual([{ addresses: [addr('10.0.0.2', 'b')], notReadyAddresses: [addr('10.0.0.1', 'a')], ports: p }]);
  });

  it('keeps the same IP of two different pods apart (IP + UID)', () => {
    const p = [{ port: 80, protocol: 'TCP' }];
    const out = repackSubsets([{ addresses: [addr('10.0.0.1', 'b'), addr('10.0.0.1', 'a')], ports: p }]);
    expect(out[0].addresses!.map((a) => a.targetRef!.name)).toEqual(['a', 'b']);
  });
});

describe('go-spew renderings behind the hash order', () => {
  it('%#v of v1.EndpointPort', () => {
    expect(spewEndpointPort({ name: 'http', port: 8080, protocol: 'TCP' })).toBe('(v1.EndpointPort){Name:(string)http Port:(int32)8080 Protocol:(v1.Protocol)TCP AppProtocol:(*string)<nil>}');
    expect(spewEndpointPort({ port: 80, protocol: 'TCP', appProtocol: 'http' })).toBe('(v1.EndpointPort){Name:(string) Port:(int32)80 Protocol:(v1.Protocol)TCP AppProtocol:(*string)http}');
  });

  it('%#v of v1.EndpointSubset: nil slices, elements without their type, pointers followed', () => {
    expect(spewEndpointSubset({ addresses: [{ ip: '10.0.0.1', nodeName: 'w1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'u1' } }], ports: [{ port: 80, protocol: 'TCP' }] })).toBe(
      '(v1.EndpointSubset){Addresses:([]v1.EndpointAddress)[{IP:(string)10.0.0.1 Hostname:(string) NodeName:(*string)w1 TargetRef:(*v1.ObjectReference){Kind:(string)Pod Namespace:(string)default Name:(string)a UID:(types.UID)u1 APIVersion:(string) ResourceVersion:(string) FieldPath:(string)}}] ' +
        'NotReadyAddresses:([]v1.EndpointAddress)<nil> Ports:([]v1.EndpointPort)[{Name:(string) Port:(int32)80 Protocol:(v1.Protocol)TCP AppProtocol:(*string)<nil>}]}',
    );
  });
});

describe('truncation and comparison', () => {
  const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => addr(`10.1.${prefix}.${i}`, `${prefix}-${i}`));

  it('cuts not-ready addresses first, past 1000 in all', () => {
    const ss: EndpointSubset[] = [{ addresses: many(900, '1'), notReadyAddresses: many(200, '2'), ports: [{ port: 80, protocol: 'TCP' }] }];
    expect(truncateSubsets(ss)).toBe(true);
    expect([ss[0].addresses!.length, ss[0].notReadyAddresses!.length]).toEqual([900, 100]);
    const small: EndpointSubset[] = [{ addresses: many(3, '1') }];
    expect(truncateSubsets(small)).toBe(false);
  });

  it('then ready ones, in proportion, dropping all not-ready', () => {
    const ss: EndpointSubset[] = [
      { addresses: many(1200, '1'), notReadyAddresses: many(5, '3'), ports: [{ port: 80, protocol: 'TCP' }] },
      { addresses: many(300, '2'), ports: [{ port: 81, protocol: 'TCP' }] },
    ];
    truncateSubsets(ss);
    expect(ss.map((s) => [s.addresses!.length, s.notReadyAddresses?.length ?? 0])).toEqual([
      [800, 0],
      [200, 0],
    ]);
  });

  it("ignores targets' resourceVersions and absent-vs-empty lists", () => {
    const a: EndpointSubset[] = [{ addresses: [{ ...addr('10.0.0.1', 'a'), targetRef: { ...ref('a'), resourceVersion: '12' } }], ports: [{ port: 80, protocol: 'TCP' }] }];
    const b: EndpointSubset[] = [{ addresses: [addr('10.0.0.1', 'a')], notReadyAddresses: [], ports: [{ port: 80, protocol: 'TCP' }] }];
    expect(subsetsEqual(a, b)).toBe(true);
    expect(subsetsEqual(undefined, [])).toBe(true);
    expect(subsetsEqual(a, [{ ...b[0], ports: [{ port: 81, protocol: 'TCP' }] }])).toBe(false);
  });
});
