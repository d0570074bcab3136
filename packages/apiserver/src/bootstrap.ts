// What a new cluster holds before anyone writes: the system namespaces and the `kubernetes`
// Service (kube-apiserver's bootstrap controller creates the same).
import { ApiError } from '@minik/api';
import type { Registry } from './registry/index.js';
import { nthIP } from './registry/service-allocator.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

async function ensure(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 409)) throw e;
  }
}

export async function bootstrap(registry: Registry, apiserverPort: number): Promise<void> {
  const namespaces = registry.store('', 'namespaces');
  for (const ns of SYSTEM_NAMESPACES) {
    if (!namespaces.tryGet('', ns)) {
      await ensure(() => namespaces.create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } } }));
    }
  }
  const services = registry.store('', 'services');
  if (!services.tryGet('default', 'kubernetes')) {
    await ensure(() =>
      services.create('default', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: {
          type: 'ClusterIP',
          clusterIP: nthIP(registry.services.ranges.serviceCIDR, 1),
          ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: apiserverPort }],
          sessionAffinity: 'None',
        },
      }),
    );
  }
}
