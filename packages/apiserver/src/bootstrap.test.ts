import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStorage } from './storage/lmdb.js';
import { Registry } from './registry/index.js';
import { loadSchemas } from './registry/validation/schema.js';
import { bootstrap } from './bootstrap.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function registry(): Registry {
  loadSchemas();
  const d = mkdtempSync(join(tmpdir(), 'minik-bootstrap-'));
  dirs.push(d);
  return new Registry(new LmdbStorage({ path: join(d, 'store') }));
}

describe('bootstrap', () => {
  it('writes the kubernetes Service, Endpoints and EndpointSlice at the advertised address', async () => {
    const r = registry();
    await bootstrap(r, 6443, { advertised: { ip: '10.127.255.254', port: 6443 } });
    expect(r.store('', 'services').get('default', 'kubernetes').spec).toMatchObject({ clusterIP: '10.96.0.1', ports: [{ port: 443, targetPort: 6443 }] });
    expect(r.store('', 'endpoints').get('default', 'kubernetes').subsets).toEqual([
      { addresses: [{ ip: '10.127.255.254' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
    ]);
    const slice = r.store('discovery.k8s.io', 'endpointslices').get('default', 'kubernetes');
    expect(slice.metadata!.labels).toEqual({ 'kubernetes.io/service-name': 'kubernetes' });
    expect(slice).toMatchObject({ addressType: 'IPv4', endpoints: [{ addresses: ['10.127.255.254'], conditions: { ready: true } }], ports: [{ name: 'https', port: 6443 }] });
  });

  it('a later start on another port rewrites them; an unchanged start writes nothing', async () => {
    const r = registry();
    await bootstrap(r, 6443, { advertised: { ip: '10.127.255.254', port: 6443 } });
    const slices = r.store('discovery.k8s.io', 'endpointslices');
    const rv = slices.get('default', 'kubernetes').metadata!.resourceVersion;
    await bootstrap(r, 6443, { advertised: { ip: '10.127.255.254', port: 6443 } });
    expect(slices.get('default', 'kubernetes').metadata!.resourceVersion).toBe(rv);
    await bootstrap(r, 7000, { advertised: { ip: '10.127.255.254', port: 7000 } });
    expect(slices.get('default', 'kubernetes').ports).toEqual([{ name: 'https', port: 7000, protocol: 'TCP' }]);
    expect(r.store('', 'services').get('default', 'kubernetes').spec).toMatchObject({ ports: [{ targetPort: 7000 }] });
  });
});
