// The kubernetes-plugin answers, from an index fed directly with objects (the server tests do the
// same through a real apiserver and the wire).
import { beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@minik/api';
import { ClusterIndex } from './cluster.js';
import { KubeResolver, type Resolution } from './resolver.js';
import { CLASS, RCODE, TYPE } from './wire.js';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const svc = (namespace: string, name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec });
const eps = (namespace: string, name: string, subsets: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { namespace, name }, subsets });

function cluster(): ClusterIndex {
  const c = new ClusterIndex();
  for (const n of ['default', 'kube-system', 'prod']) c.setNamespace(ns(n));
  c.setService(
    svc('kube-system', 'kube-dns', {
      clusterIP: '10.96.0.10',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'metrics', port: 9153, protocol: 'TCP' },
      ],
    }),
  );
  c.setEndpoints(eps('kube-system', 'kube-dns', [{ addresses: [{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }], ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }]));
  c.setService(svc('default', 'backend', { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] }));
  c.setEndpoints(eps('default', 'backend', [{ addresses: [{ ip: '10.244.1.5' }], notReadyAddresses: [{ ip: '10.244.1.6' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]));
  c.setService(svc('default', 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }));
  c.setEndpoints(
    eps('default', 'db', [
      {
        addresses: [
          { ip: '10.244.2.7', hostname: 'db-0' },
          { ip: '10.244.2.8', hostname: 'db-1' },
        ],
        notReadyAddresses: [{ ip: '10.244.2.9', hostname: 'db-2' }],
        ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      },
    ]),
  );
  c.setService(svc('default', 'empty', { clusterIP: 'None' }));
  c.setService(svc('default', 'portless', { clusterIP: 'None' }));
  c.setEndpoints(eps('default', 'portless', [{ addresses: [{ ip: '10.244.3.1' }] }]));
  c.setService(svc('default', 'ext', { type: 'ExternalName', externalName: 'example.com.' }));
  c.setService(svc('default', 'alias', { type: 'ExternalName', externalName: 'backend.default.svc.cluster.local' }));
  c.setService(svc('default', 'ipext', { type: 'ExternalName', externalName: '1.2.3.4' }));
  c.setService(svc('prod', 'backend', { clusterIP: '10.96.5.5', ports: [{ port: 80 }] }));
  c.synced = true;
  return c;
}

let c: ClusterIndex;
let r: KubeResolver;
beforeEach(() => {
  c = cluster();
  r = new KubeResolver(c, { zone: 'cluster.local', ttl: 5, localIPs: () => ['10.244.0.2'] });
});

type Reply = Extract<Resolution, { kind: 'reply' }>;
function ask(name: string, type: number = TYPE.A): Reply {
  const res = r.resolve({ name, type, class: CLASS.IN });
  if (res.kind !== 'reply') throw new Error(`${name}: forwarded`);
  return res;
}
const addresses = (res: Reply) => res.answers.map((a) => ('address' in a ? a.address : undefined));
const nxdomain = (name: string, type: number = TYPE.A) => {
  const res = ask(name, type);
  expect(res.rcode, name).toBe(RCODE.NXDOMAIN);
  expect(res.answers).toEqual([]);
  expect(res.authorities.map((a) => a.type)).toEqual([TYPE.SOA]);
};
const nodata = (name: string, type: number = TYPE.A) => {
  const res = ask(name, type);
  expect(res.rcode, name).toBe(RCODE.NOERROR);
  expect(res.answers).toEqual([]);
  expect(res.authorities.map((a) => a.type)).toEqual([TYPE.SOA]);
};

describe('services', () => {
  it('answers a Service name with its ClusterIP, authoritatively (O13)', () => {
    const res = ask('kube-dns.kube-system.svc.cluster.local');
    expect(res).toMatchObject({ rcode: RCODE.NOERROR, aa: true, authorities: [], additionals: [], chases: [] });
    expect(res.answers).toEqual([{ name: 'kube-dns.kube-system.svc.cluster.local', type: TYPE.A, class: CLASS.IN, ttl: 5, address: '10.96.0.10' }]);
  });

  it('keeps the case of the question in the owner name', () => {
    const res = ask('Backend.Default.SVC.cluster.LOCAL');
    expect(res.answers[0]).toMatchObject({ name: 'Backend.Default.SVC.cluster.LOCAL', address: '10.96.0.20' });
  });

  it('has no AAAA (NODATA with the SOA) for an IPv4 Service, and no MX or TXT', () => {
    nodata('backend.default.svc.cluster.local', TYPE.AAAA);
    nodata('backend.default.svc.cluster.local', TYPE.MX);
    nodata('backend.default.svc.cluster.local', TYPE.TXT);
    nodata('backend.default.svc.cluster.local', TYPE.PTR);
  });

  it('answers a headless Service with its ready endpoints, one A record each', () => {
    expect(addresses(ask('db.default.svc.cluster.local'))).toEqual(['10.244.2.7', '10.244.2.8']);
    expect(addresses(ask('portless.default.svc.cluster.local'))).toEqual(['10.244.3.1']);
    // No ready endpoints: the name does not exist (as CoreDNS has it).
    nxdomain('empty.default.svc.cluster.local');
  });

  it('answers endpoints by hostname, and by address with dashes', () => {
    expect(addresses(ask('db-1.db.default.svc.cluster.local'))).toEqual(['10.244.2.8']);
    expect(addresses(ask('10-244-1-5.backend.default.svc.cluster.local'))).toEqual(['10.244.1.5']);
    nxdomain('db-2.db.default.svc.cluster.local'); // not ready
    nxdomain('10-244-1-6.backend.default.svc.cluster.local');
    nxdomain('db-9.db.default.svc.cluster.local');
  });

  it('makes SRV records for named ports, with the targets’ addresses in the additional section', () => {
    const res = ask('_http._tcp.backend.default.svc.cluster.local', TYPE.SRV);
    expect(res.answers).toEqual([{ name: '_http._tcp.backend.default.svc.cluster.local', type: TYPE.SRV, class: CLASS.IN, ttl: 5, priority: 0, weight: 100, port: 80, target: 'backend.default.svc.cluster.local' }]);
    expect(res.additionals).toEqual([{ name: 'backend.default.svc.cluster.local', type: TYPE.A, class: CLASS.IN, ttl: 5, address: '10.96.0.20' }]);
    const db = ask('_pg._tcp.db.default.svc.cluster.local', TYPE.SRV);
    expect(db.answers.map((a) => ('target' in a && 'weight' in a ? [a.target, a.port, a.weight] : undefined))).toEqual([
      ['db-0.db.default.svc.cluster.local', 5432, 50],
      ['db-1.db.default.svc.cluster.local', 5432, 50],
    ]);
    expect(db.additionals.map((a) => [a.name, 'address' in a && a.address])).toEqual([
      ['db-0.db.default.svc.cluster.local', '10.244.2.7'],
      ['db-1.db.default.svc.cluster.local', '10.244.2.8'],
    ]);
    // Protocols match case-insensitively; without a port, every port (one record per target and
    // port number, as CoreDNS dedups them: dns/UDP and dns-tcp/TCP are both 53), weight 100/3.
    expect(ask('_dns._UDP.kube-dns.kube-system.svc.cluster.local', TYPE.SRV).answers).toHaveLength(1);
    expect(ask('kube-dns.kube-system.svc.cluster.local', TYPE.SRV).answers.map((a) => 'port' in a && [a.port, a.weight])).toEqual([
      [53, 33],
      [9153, 33],
    ]);
    // The A record of an SRV name is the Service's address.
    expect(addresses(ask('_http._tcp.backend.default.svc.cluster.local'))).toEqual(['10.96.0.20']);
    nxdomain('_http._udp.backend.default.svc.cluster.local', TYPE.SRV);
    nxdomain('_nope._tcp.backend.default.svc.cluster.local', TYPE.SRV);
    // No SRV records from a Service without ports, but the name exists.
    nodata('portless.default.svc.cluster.local', TYPE.SRV);
  });

  it('answers an ExternalName Service with a CNAME, chased in the zone or left to upstream', () => {
    const ext = ask('ext.default.svc.cluster.local');
    expect(ext.answers).toEqual([{ name: 'ext.default.svc.cluster.local', type: TYPE.CNAME, class: CLASS.IN, ttl: 5, target: 'example.com' }]);
    expect(ext.chases).toEqual([{ name: 'example.com', type: TYPE.A }]);
    expect(ask('ext.default.svc.cluster.local', TYPE.CNAME).answers).toEqual(ext.answers);
    expect(ask('ext.default.svc.cluster.local', TYPE.AAAA).chases).toEqual([{ name: 'example.com', type: TYPE.AAAA }]);
    const alias = ask('alias.default.svc.cluster.local');
    expect(alias.answers.map((a) => [a.type, 'target' in a ? a.target : 'address' in a && a.address])).toEqual([
      [TYPE.CNAME, 'backend.default.svc.cluster.local'],
      [TYPE.A, '10.96.0.20'],
    ]);
    expect(alias.answers[1].name).toBe('backend.default.svc.cluster.local');
    expect(alias.chases).toEqual([]);
    nodata('ext.default.svc.cluster.local', TYPE.SRV);
    nxdomain('ipext.default.svc.cluster.local');
    nxdomain('x.ext.default.svc.cluster.local');
  });
});

describe('pods', () => {
  it('answers <a-b-c-d>.<ns>.pod.<zone> with the address, in existing namespaces', () => {
    expect(addresses(ask('10-244-1-5.default.pod.cluster.local'))).toEqual(['10.244.1.5']);
    expect(addresses(ask('fd00--5.default.pod.cluster.local', TYPE.AAAA))).toEqual(['fd00::5']);
    nodata('10-244-1-5.default.pod.cluster.local', TYPE.AAAA);
    nxdomain('10-244-1-5.nope.pod.cluster.local');
    nxdomain('backend.default.pod.cluster.local');
    nxdomain('10-244-1-500.default.pod.cluster.local');
    nodata('default.pod.cluster.local');
  });
});

describe('names that do not exist', () => {
  it('answers NXDOMAIN at once for the search-path expansions of a name', () => {
    // What a pod in `default` tries for `backend.default.svc.cluster.local` (ndots:5) before the name itself.
    for (const suffix of ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local']) nxdomain(`backend.default.svc.cluster.local.${suffix}`);
    // ... and for `backend.prod` and for `example.com`.
    nxdomain('backend.prod.default.svc.cluster.local');
    expect(addresses(ask('backend.prod.svc.cluster.local'))).toEqual(['10.96.5.5']);
    nxdomain('example.com.default.svc.cluster.local');
    nxdomain('example.com.svc.cluster.local');
    nxdomain('example.com.cluster.local');
    nxdomain('nope.default.svc.cluster.local');
    nxdomain('backend.nope.svc.cluster.local');
    nxdomain('a.b.c.backend.default.svc.cluster.local');
  });

  it('answers NODATA for names that exist without records: the zone, svc, a namespace', () => {
    nodata('cluster.local');
    nodata('svc.cluster.local');
    nodata('default.svc.cluster.local');
    nodata('default.svc.cluster.local', TYPE.AAAA);
    nxdomain('nope.svc.cluster.local');
  });

  it('answers SERVFAIL instead of NXDOMAIN until the informers have synced', () => {
    c.synced = false;
    expect(ask('nope.default.svc.cluster.local').rcode).toBe(RCODE.SERVFAIL);
    expect(addresses(ask('backend.default.svc.cluster.local'))).toEqual(['10.96.0.20']);
  });

  it('puts the zone’s SOA in the authority section', () => {
    const [soa] = ask('nope.default.svc.cluster.local').authorities;
    expect(soa).toEqual({
      name: 'cluster.local',
      type: TYPE.SOA,
      class: CLASS.IN,
      ttl: 5,
      soa: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: c.modified, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 },
    });
  });
});

describe('the zone itself', () => {
  it('answers SOA and NS at the apex, ns.dns and dns-version', () => {
    expect(ask('cluster.local', TYPE.SOA).answers.map((a) => a.type)).toEqual([TYPE.SOA]);
    nodata('default.svc.cluster.local', TYPE.SOA);
    const ns = ask('cluster.local', TYPE.NS);
    expect(ns.answers).toEqual([{ name: 'cluster.local', type: TYPE.NS, class: CLASS.IN, ttl: 5, target: 'kube-dns.kube-system.svc.cluster.local' }]);
    expect(ns.additionals).toEqual([{ name: 'kube-dns.kube-system.svc.cluster.local', type: TYPE.A, class: CLASS.IN, ttl: 5, address: '10.96.0.10' }]);
    expect(addresses(ask('ns.dns.cluster.local'))).toEqual(['10.96.0.10']);
    expect(ask('dns-version.cluster.local', TYPE.TXT).answers).toEqual([{ name: 'dns-version.cluster.local', type: TYPE.TXT, class: CLASS.IN, ttl: 28800, texts: ['1.1.0'] }]);
    expect(ask('cluster.local', TYPE.AXFR).rcode).toBe(RCODE.REFUSED);
  });

  it('names its own addresses when it is not behind a Service', () => {
    r = new KubeResolver(c, { localIPs: () => ['192.0.2.53'] });
    expect(ask('cluster.local', TYPE.NS).answers.map((a) => 'target' in a && a.target)).toEqual(['ns.dns.cluster.local']);
    expect(addresses(ask('ns.dns.cluster.local'))).toEqual(['192.0.2.53']);
  });

  it('serves another cluster domain', () => {
    r = new KubeResolver(c, { zone: 'corp.internal.' });
    expect(addresses(ask('backend.default.svc.corp.internal'))).toEqual(['10.96.0.20']);
    expect(r.resolve({ name: 'backend.default.svc.cluster.local', type: TYPE.A, class: CLASS.IN }).kind).toBe('forward');
  });
});

describe('reverse lookups', () => {
  it('answers PTR for ClusterIPs and endpoint addresses', () => {
    const ptr = (ip: string) => ask(ip.split('.').reverse().join('.') + '.in-addr.arpa', TYPE.PTR).answers.map((a) => 'target' in a && a.target);
    expect(ptr('10.96.0.20')).toEqual(['backend.default.svc.cluster.local']);
    expect(ptr('10.96.0.10')).toEqual(['kube-dns.kube-system.svc.cluster.local']);
    expect(ptr('10.244.2.7')).toEqual(['db-0.db.default.svc.cluster.local']);
    expect(ptr('10.244.1.5')).toEqual(['10-244-1-5.backend.default.svc.cluster.local']);
    expect(ask('20.0.96.10.in-addr.arpa', TYPE.PTR).aa).toBe(true);
  });

  it('leaves unknown addresses, other types and other names to upstream', () => {
    const fwd = (name: string, type: number = TYPE.A) => expect(r.resolve({ name, type, class: CLASS.IN }).kind).toBe('forward');
    fwd('9.9.244.10.in-addr.arpa', TYPE.PTR);
    fwd('10.244.1.6'.split('.').reverse().join('.') + '.in-addr.arpa', TYPE.PTR); // not ready
    fwd('20.0.96.10.in-addr.arpa', TYPE.A);
    fwd('96.10.in-addr.arpa', TYPE.PTR);
    fwd('example.com');
    fwd('localhost');
    fwd('');
    fwd('cluster.local.example.com');
  });
});

describe('changes', () => {
  it('follows Services and Endpoints as they change', () => {
    c.setEndpoints(eps('default', 'db', [{ addresses: [{ ip: '10.244.2.8', hostname: 'db-1' }], ports: [{ name: 'pg', port: 5432 }] }]));
    expect(addresses(ask('db.default.svc.cluster.local'))).toEqual(['10.244.2.8']);
    expect(r.resolve({ name: '7.2.244.10.in-addr.arpa', type: TYPE.PTR, class: CLASS.IN }).kind).toBe('forward');
    c.deleteService(svc('default', 'backend', {}));
    nxdomain('backend.default.svc.cluster.local');
    expect(r.resolve({ name: '20.0.96.10.in-addr.arpa', type: TYPE.PTR, class: CLASS.IN }).kind).toBe('forward');
    c.deleteNamespace(ns('prod'));
    nxdomain('backend.prod.svc.cluster.local');
  });
});
