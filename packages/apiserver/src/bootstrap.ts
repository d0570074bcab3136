// What a cluster holds before anyone writes (kube-apiserver's bootstrap controller and kubeadm's
// add-on phase): the system namespaces, the `kubernetes` Service and its Endpoints, and — when
// minik's add-on image is known — cluster DNS (the `coredns` Deployment behind `kube-dns`).
import { ApiError, nthAddress, type KubeObject } from '@minik/api';
import type { Registry } from './registry/index.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** The Secret add-on pods read their API credentials from (mounted at /var/run/minik). */
export const ADDON_SECRET = 'minik-addons';
export const ADDON_MOUNT = '/var/run/minik';

export interface BootstrapOptions {
  /** Where pods reach the API (the cluster network's gateway). */
  advertised?: { ip: string; port: number };
  addonImage?: string;
  token?: string;
  ca?: string;
}

async function ensure(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 409)) throw e;
  }
}

/** Creates the object, or brings an existing one to this desired state (kept for later starts). */
async function upsert(registry: Registry, group: string, resource: string, ns: string, obj: KubeObject, differs: (cur: KubeObject) => boolean): Promise<void> {
  const store = registry.store(group, resource);
  const cur = store.tryGet(ns, obj.metadata!.name!);
  if (!cur) return ensure(() => store.create(ns, obj));
  if (!differs(cur)) return;
  await store.update(ns, obj.metadata!.name!, { ...obj, metadata: { ...cur.metadata, ...obj.metadata, resourceVersion: cur.metadata?.resourceVersion } });
}

/** Environment and volume every add-on container uses to reach the API. */
export function addonApiAccess(apiserver: string) {
  return {
    env: [
      { name: 'MINIK_APISERVER', value: apiserver },
      { name: 'MINIK_TOKEN_FILE', value: `${ADDON_MOUNT}/token` },
      { name: 'MINIK_CA_FILE', value: `${ADDON_MOUNT}/ca.crt` },
    ],
    volumeMounts: [{ name: ADDON_SECRET, mountPath: ADDON_MOUNT, readOnly: true }],
    volumes: [{ name: ADDON_SECRET, secret: { secretName: ADDON_SECRET } }],
  };
}

export async function bootstrap(registry: Registry, apiserverPort: number, opts: BootstrapOptions = {}): Promise<void> {
  const namespaces = registry.store('', 'namespaces');
  for (const ns of SYSTEM_NAMESPACES) {
    if (!namespaces.tryGet('', ns)) {
      await ensure(() => namespaces.create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } } }));
    }
  }
  const cidr = registry.services.ranges.serviceCIDR;
  const port = opts.advertised?.port ?? apiserverPort;
  await upsert(
    registry,
    '',
    'services',
    'default',
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', clusterIP: nthAddress(cidr, 1), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }], sessionAffinity: 'None' },
    },
    (cur) => (cur.spec as { ports?: { targetPort?: number }[] }).ports?.[0]?.targetPort !== port,
  );
  if (opts.advertised) {
    const { ip } = opts.advertised;
    const subsets = [{ addresses: [{ ip }], ports: [{ name: 'https', port, protocol: 'TCP' }] }];
    await upsert(
      registry,
      '',
      'endpoints',
      'default',
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets },
      (cur) => JSON.stringify(cur.subsets) !== JSON.stringify(subsets),
    );
    // kube-apiserver's endpoints reconciler writes the matching slice itself (the mirroring controller skips it).
    const endpoints = [{ addresses: [ip], conditions: { ready: true } }];
    await upsert(
      registry,
      'discovery.k8s.io',
      'endpointslices',
      'default',
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
        addressType: 'IPv4',
        endpoints,
        ports: [{ name: 'https', port, protocol: 'TCP' }],
      },
      (cur) => JSON.stringify(cur.endpoints) !== JSON.stringify(endpoints) || JSON.stringify(cur.ports) !== JSON.stringify([{ name: 'https', port, protocol: 'TCP' }]),
    );
  }
  if (!opts.addonImage || !opts.advertised) return;

  const data = { token: Buffer.from(opts.token ?? '').toString('base64'), 'ca.crt': Buffer.from(opts.ca ?? '').toString('base64') };
  await upsert(
    registry,
    '',
    'secrets',
    'kube-system',
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: ADDON_SECRET, namespace: 'kube-system' }, type: 'Opaque', data },
    (cur) => JSON.stringify(cur.data) !== JSON.stringify(data),
  );
  const labels = { 'k8s-app': 'kube-dns' };
  await upsert(
    registry,
    '',
    'services',
    'kube-system',
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { ...labels, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' } },
      spec: {
        clusterIP: nthAddress(cidr, 10),
        selector: labels,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      },
    },
    () => false,
  );
  const access = addonApiAccess(`https://${opts.advertised.ip}:${opts.advertised.port}`);
  const template = {
    metadata: { labels },
    spec: {
      // DNS answers for the cluster, so it must not depend on itself.
      dnsPolicy: 'Default',
      priorityClassName: undefined,
      tolerations: [
        { key: 'CriticalAddonsOnly', operator: 'Exists' },
        { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
      ],
      containers: [
        {
          name: 'coredns',
          image: opts.addonImage,
          imagePullPolicy: 'IfNotPresent',
          command: ['node', '/minik/dns.mjs'],
          env: access.env,
          ports: [
            { name: 'dns', containerPort: 53, protocol: 'UDP' },
            { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
          ],
          resources: { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } },
          volumeMounts: access.volumeMounts,
        },
      ],
      volumes: access.volumes,
      terminationGracePeriodSeconds: 5,
    },
  };
  delete (template.spec as { priorityClassName?: string }).priorityClassName;
  await upsert(
    registry,
    'apps',
    'deployments',
    'kube-system',
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels },
      spec: { replicas: 2, selector: { matchLabels: labels }, template },
    },
    (cur) => {
      const c = ((cur.spec as { template?: { spec?: { containers?: { image?: string; env?: unknown }[] } } }).template?.spec?.containers ?? [])[0];
      return c?.image !== opts.addonImage || JSON.stringify(c?.env) !== JSON.stringify(access.env);
    },
  );
}
