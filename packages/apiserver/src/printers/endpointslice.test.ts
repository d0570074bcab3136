// `kubectl get endpointslices`: NAME, ADDRESSTYPE, PORTS, ENDPOINTS, AGE as kube-apiserver prints them.
import { describe, expect, it } from 'vitest';
import { hasPrinter, toTable } from './index.js';

const NOW = Date.parse('2024-07-09T13:30:00Z');
const DEF = { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', resource: 'endpointslices' };
const slice = (body: Record<string, unknown>) => ({ kind: 'EndpointSlice', metadata: { name: 'kube-dns-sfk96', namespace: 'kube-system', creationTimestamp: new Date(NOW - 139_000).toISOString() }, addressType: 'IPv4', ...body });
const row = (body: Record<string, unknown>) => toTable(DEF, [slice(body)], { now: NOW }).rows[0].cells;

describe('EndpointSlice printer', () => {
  it('has the columns kubectl shows', () => {
    expect(hasPrinter('discovery.k8s.io', 'EndpointSlice')).toBe(true);
    expect(toTable(DEF, [], { now: NOW }).columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['AddressType', 'string', '', 0],
      ['Ports', 'string', '', 0],
      ['Endpoints', 'string', '', 0],
      ['Age', 'string', '', 0],
    ]);
  });

  it('ports by number, every address (ready or not), as in the hackmd sample', () => {
    const ports = [{ name: 'metrics', port: 9153, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }];
    const endpoints = [{ addresses: ['10.10.0.2'], conditions: { ready: true } }, { addresses: ['10.10.0.3'], conditions: { ready: false } }];
    expect(row({ ports, endpoints })).toEqual(['kube-dns-sfk96', 'IPv4', '9153,53,53', '10.10.0.2,10.10.0.3', '2m19s']);
  });

  it('<unset> for nothing, `*` or the name for a port without a number, "+ N more..." past 3', () => {
    expect(row({ ports: null, endpoints: null }).slice(2, 4)).toEqual(['<unset>', '<unset>']);
    expect(row({ ports: [{ name: 'all' }, {}], endpoints: [] })[2]).toBe('all,*');
    const endpoints = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'].map((a) => ({ addresses: [a] }));
    const ports = [1, 2, 3, 4].map((port) => ({ port }));
    expect(row({ ports, endpoints }).slice(2, 4)).toEqual(['1,2,3 + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...']);
  });
});
