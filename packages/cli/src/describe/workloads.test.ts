// Service endpoints, node resources and deployment ReplicaSet selection: the logic behind the
// fixture tests, on small hand-built objects.
import { describe, expect, it } from 'vitest';
import { equalIgnoreHash, splitReplicaSets } from './apps.js';
import { nodeRoles, podRequestsAndLimits } from './node.js';
import { formatEndpointSlices, formatEndpoints } from './service.js';

describe('service endpoints', () => {
  const slice = (ports: object[], ips: [string, boolean?][]) => ({
    ports,
    endpoints: ips.map(([ip, ready]) => ({ addresses: [ip], conditions: ready === undefined ? {} : { ready } })),
  });

  it('lists ready endpoints per port, three at most', () => {
    const s = slice([{ name: 'http', port: 8080 }], [['10.0.0.1'], ['10.0.0.2', false], ['10.0.0.3', true], ['10.0.0.4'], ['10.0.0.5']]);
    expect(formatEndpointSlices([s], 'http')).toBe('10.0.0.1:8080,10.0.0.3:8080,10.0.0.4:8080 + 1 more...');
    expect(formatEndpointSlices([s], 'other')).toBe('');
    expect(formatEndpointSlices([slice([], [['fd00::1']])], '')).toBe('fd00::1');
    expect(formatEndpointSlices([], '')).toBe('<none>');
  });

  it('falls back to the Endpoints object', () => {
    const ep = { subsets: [{ addresses: [{ ip: '10.244.1.5' }, { ip: 'fd00::5' }], ports: [{ port: 80 }] }] };
    expect(formatEndpoints(ep, '')).toBe('10.244.1.5:80,[fd00::5]:80');
    expect(formatEndpoints(undefined, '')).toBe('<none>');
  });
});

describe('node resources', () => {
  it('adds container requests, takes the max of init containers, counts sidecars and overhead', () => {
    const pod = {
      spec: {
        containers: [{ resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } } }, { resources: { requests: { cpu: '200m' } } }],
        initContainers: [{ resources: { requests: { cpu: '1', memory: '32Mi' } } }, { restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } }],
        overhead: { cpu: '10m', memory: '1Mi' },
      },
    };
    const { requests, limits } = podRequestsAndLimits(pod);
    expect(requests.get('cpu')?.toString()).toBe('1010m'); // max(300m + 50m sidecar, 1 init) + 10m overhead
    expect(requests.get('memory')?.toString()).toBe('65Mi');
    expect(limits.get('memory')?.toString()).toBe('129Mi');
    expect(limits.has('cpu')).toBe(false);
  });

  it('finds roles from node-role labels', () => {
    expect(nodeRoles({ metadata: { labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'master', 'node-role.kubernetes.io/': 'x' } } })).toEqual(['control-plane', 'master']);
  });
});

describe('deployment replica sets', () => {
  const template = (image: string, hash: string) => ({ metadata: { labels: { app: 'web', 'pod-template-hash': hash } }, spec: { containers: [{ name: 'c', image }] } });
  const rs = (name: string, created: string, image: string) => ({ metadata: { name, creationTimestamp: created }, spec: { replicas: 1, template: template(image, name) } });

  it('picks the oldest ReplicaSet whose template matches, ignoring the hash label', () => {
    const d = { spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v2' }] } } } };
    expect(equalIgnoreHash(template('v2', 'abc'), d.spec.template)).toBe(true);
    const list = [rs('web-c', '2026-01-03T00:00:00Z', 'v2'), rs('web-a', '2026-01-01T00:00:00Z', 'v1'), rs('web-b', '2026-01-02T00:00:00Z', 'v2')];
    const { newRS, oldRSs } = splitReplicaSets(d, list);
    expect(newRS?.metadata.name).toBe('web-b');
    expect(oldRSs.map((r) => r.metadata.name)).toEqual(['web-a', 'web-c']);
  });
});
