// The Table as JSON (what kube-apiserver sends) and the cells of the remaining kinds.
import { describe, expect, it } from 'vitest';
import type { KubeObject, Table } from '@minik/api';
import { hasPrinter, toTable } from './index.js';

const NOW = Date.parse('2024-07-09T13:30:00Z');
const before = (secs: number) => new Date(NOW - secs * 1000).toISOString();
const def = (group: string, kind: string, resource: string, version = 'v1') => ({ group, version, kind, resource });

function obj(kind: string, name: string, body: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return { kind, metadata: { name, namespace: 'default', creationTimestamp: before(300), ...meta }, ...body };
}
const cells = (t: Table, i = 0) => t.rows[i].cells;
const header = (t: Table) => t.columnDefinitions.map((c) => [c.name, c.type, c.priority]);

describe('Table envelope', () => {
  const pod = obj('Pod', 'web', { apiVersion: 'v1', spec: { containers: [{ name: 'c' }] }, status: { phase: 'Pending' } }, { labels: { app: 'web' }, uid: 'u1', resourceVersion: '42' });
  const PODS = def('', 'Pod', 'pods');

  it('is a meta.k8s.io/v1 Table with the list resourceVersion and continue token', () => {
    const t = toTable(PODS, [pod], { listResourceVersion: '117', continue: 'abc', now: NOW });
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata).toEqual({ resourceVersion: '117', continue: 'abc' });
    expect(toTable(PODS, [], { now: NOW })).toMatchObject({ metadata: {}, rows: [] });
  });

  it('rows carry PartialObjectMetadata by default (includeObject=Metadata)', () => {
    for (const t of [toTable(PODS, [pod], { now: NOW }), toTable(PODS, [pod], { now: NOW, includeObject: 'Metadata' })]) {
      expect(t.rows[0].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata });
    }
  });

  it('includeObject=Object embeds the whole object with apiVersion/kind; None embeds nothing', () => {
    const bare = { ...pod, apiVersion: undefined, kind: undefined };
    expect(toTable(PODS, [bare], { includeObject: 'Object', now: NOW }).rows[0].object).toEqual({ ...pod, apiVersion: 'v1', kind: 'Pod' });
    const rs = obj('ReplicaSet', 'x', { spec: { replicas: 1 } });
    expect(toTable(def('apps', 'ReplicaSet', 'replicasets'), [rs], { includeObject: 'Object', now: NOW }).rows[0].object?.apiVersion).toBe('apps/v1');
    const none = toTable(PODS, [pod], { includeObject: 'None', now: NOW });
    expect('object' in none.rows[0]).toBe(false);
  });

  it('column definitions are serialised in full, as kube-apiserver does', () => {
    const t = toTable(PODS, [pod], { now: NOW });
    expect(t.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ]);
    expect(t.columnDefinitions[0].description).toMatch(/^Name must be unique within a namespace/);
    expect(t.columnDefinitions[4].description).toMatch(/^CreationTimestamp is a timestamp/);
    expect(toTable(PODS, [pod], { noHeaders: true, now: NOW }).columnDefinitions).toEqual([]);
  });

  it('AGE is computed from creationTimestamp at the given time; <unknown> without one', () => {
    expect(cells(toTable(PODS, [pod], { now: NOW }))[4]).toBe('5m');
    expect(cells(toTable(PODS, [pod], { now: NOW + 3 * 3600_000 }))[4]).toBe('3h5m');
    const noTs = { ...pod, metadata: { name: 'x' } };
    expect(cells(toTable(PODS, [noTs], { now: NOW }))[4]).toBe('<unknown>');
  });

  it('kinds without a printer get the default Name / Created At table', () => {
    const CRD = def('apiextensions.k8s.io', 'CustomResourceDefinition', 'customresourcedefinitions');
    expect(hasPrinter(CRD.group, CRD.kind)).toBe(false);
    const t = toTable(CRD, [obj('CustomResourceDefinition', 'widgets.example.com', {}, { creationTimestamp: '2024-07-01T10:00:00.123Z' })], { now: NOW });
    expect(header(t)).toEqual([
      ['Name', 'string', 0],
      ['Created At', 'date', 0],
    ]);
    expect(cells(t)).toEqual(['widgets.example.com', '2024-07-01T10:00:00Z']);
  });
});

describe('Node', () => {
  const NODES = def('', 'Node', 'nodes');
  const node = (conditions: unknown[], extra: Record<string, unknown> = {}, labels: Record<string, string> = {}) =>
    obj('Node', 'n', { spec: extra, status: { conditions } }, { namespace: undefined, labels });

  it('STATUS: Ready, Ready,SchedulingDisabled, NotReady (False or Unknown), Unknown (no Ready condition)', () => {
    const st = (n: KubeObject) => cells(toTable(NODES, [n], { now: NOW }))[1];
    expect(st(node([{ type: 'Ready', status: 'True' }]))).toBe('Ready');
    expect(st(node([{ type: 'Ready', status: 'True' }], { unschedulable: true }))).toBe('Ready,SchedulingDisabled');
    expect(st(node([{ type: 'Ready', status: 'False' }]))).toBe('NotReady');
    expect(st(node([{ type: 'Ready', status: 'Unknown' }]))).toBe('NotReady');
    expect(st(node([]))).toBe('Unknown');
    expect(st(node([], { unschedulable: true }))).toBe('Unknown,SchedulingDisabled');
  });

  it('ROLES from node-role.kubernetes.io/<role> and kubernetes.io/role, sorted; <none> otherwise', () => {
    const roles = (labels: Record<string, string>) => cells(toTable(NODES, [node([], {}, labels)], { now: NOW }))[2];
    expect(roles({ 'node-role.kubernetes.io/master': '', 'node-role.kubernetes.io/control-plane': '' })).toBe('control-plane,master');
    expect(roles({ 'kubernetes.io/role': 'worker' })).toBe('worker');
    expect(roles({ 'node-role.kubernetes.io/': '' })).toBe('<none>');
    expect(roles({})).toBe('<none>');
  });

  it('wide: INTERNAL-IP, EXTERNAL-IP, OS-IMAGE, KERNEL-VERSION, CONTAINER-RUNTIME', () => {
    const n = obj('Node', 'worker1', {
      status: {
        addresses: [{ type: 'Hostname', address: 'worker1' }, { type: 'InternalIP', address: '172.18.0.3' }],
        nodeInfo: { kubeletVersion: 'v1.30.2', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-21-amd64', containerRuntimeVersion: 'docker://20.10.24' },
      },
    });
    const t = toTable(NODES, [n], { now: NOW });
    expect(header(t).slice(5)).toEqual([
      ['Internal-IP', 'string', 1],
      ['External-IP', 'string', 1],
      ['OS-Image', 'string', 1],
      ['Kernel-Version', 'string', 1],
      ['Container-Runtime', 'string', 1],
    ]);
    expect(cells(t).slice(4)).toEqual(['v1.30.2', '172.18.0.3', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-21-amd64', 'docker://20.10.24']);
    expect(cells(toTable(NODES, [obj('Node', 'bare')], { now: NOW })).slice(4)).toEqual(['', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });
});

describe('Service', () => {
  const SVC = def('', 'Service', 'services');
  const row = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) => cells(toTable(SVC, [obj('Service', 's', { spec, status })], { now: NOW }));

  it('NodePort ports, headless None, no selector', () => {
    expect(row({ type: 'NodePort', clusterIPs: ['10.96.12.7'], ports: [{ port: 8000, nodePort: 30001, protocol: 'TCP' }], selector: { app: 'web' } })).toEqual([
      's',
      'NodePort',
      '10.96.12.7',
      '<none>',
      '8000:30001/TCP',
      '5m',
      'app=web',
    ]);
    expect(row({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80 }] })).toEqual(['s', 'ClusterIP', 'None', '<none>', '80/TCP', '5m', '<none>']);
    expect(row({ type: 'ClusterIP', clusterIP: '10.96.0.5' }).slice(2, 5)).toEqual(['10.96.0.5', '<none>', '<none>']);
  });

  it('EXTERNAL-IP: externalIPs, <pending> load balancer, load-balancer ingress, ExternalName', () => {
    expect(row({ type: 'ClusterIP', clusterIPs: ['10.96.0.9'], externalIPs: ['1.2.3.4', '5.6.7.8'] })[3]).toBe('1.2.3.4,5.6.7.8');
    expect(row({ type: 'LoadBalancer', clusterIPs: ['10.96.0.9'] })[3]).toBe('<pending>');
    expect(row({ type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '172.18.255.201' }, { hostname: 'lb.example.com' }, { ip: '172.18.255.200' }] } })[3]).toBe(
      '172.18.255.200,172.18.255.201,lb.example.com',
    );
    expect(row({ type: 'LoadBalancer', externalIPs: ['9.9.9.9'] }, { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } })[3]).toBe('172.18.255.200,9.9.9.9');
    expect(row({ type: 'ExternalName', externalName: 'db.example.com' }).slice(1, 4)).toEqual(['ExternalName', '<none>', 'db.example.com']);
  });
});

describe('Endpoints', () => {
  const EP = def('', 'Endpoints', 'endpoints');
  const ep = (subsets?: unknown[]) => cells(toTable(EP, [obj('Endpoints', 'e', subsets ? { subsets } : {})], { now: NOW }))[1];

  it('<none> without subsets; the first 3 then "+ N more..."', () => {
    expect(ep()).toBe('<none>');
    expect(ep([])).toBe('<none>');
    const addresses = ['10.244.1.2', '10.244.1.3', '10.244.2.2', '10.244.2.3', '10.244.3.2'].map((ip) => ({ ip }));
    expect(ep([{ addresses, ports: [{ port: 80 }] }])).toBe('10.244.1.2:80,10.244.1.3:80,10.244.2.2:80 + 2 more...');
    expect(ep([{ addresses: addresses.slice(0, 2), ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] }])).toBe('10.244.1.2:80,10.244.1.3:80,10.244.1.2:443 + 1 more...');
  });

  it('headless without ports lists bare IPs; IPv6 is bracketed', () => {
    expect(ep([{ addresses: [{ ip: '10.244.1.2' }] }])).toBe('10.244.1.2');
    expect(ep([{ addresses: [{ ip: 'fd00::5' }], ports: [{ port: 53 }] }])).toBe('[fd00::5]:53');
  });
});

describe('Event', () => {
  const EV = def('', 'Event', 'events');
  const ev = obj('Event', 'web-7d4-abcde.17e0c2', {
    involvedObject: { kind: 'Pod', name: 'web-7d4-abcde', namespace: 'default', fieldPath: 'spec.containers{web}' },
    reason: 'Pulled',
    message: 'Container image "nginx:1.25" already present on machine\n',
    type: 'Normal',
    source: { component: 'kubelet', host: 'worker1' },
    firstTimestamp: before(400),
    lastTimestamp: before(90),
    count: 3,
  });

  it('columns in printers.go order, wide ones marked priority 1', () => {
    expect(header(toTable(EV, [], { now: NOW }))).toEqual([
      ['Last Seen', 'string', 0],
      ['Type', 'string', 0],
      ['Reason', 'string', 0],
      ['Object', 'string', 0],
      ['Subobject', 'string', 1],
      ['Source', 'string', 1],
      ['Message', 'string', 0],
      ['First Seen', 'string', 1],
      ['Count', 'string', 1],
      ['Name', 'string', 1],
    ]);
  });

  it('cells: kind/name object, trimmed message, count, source', () => {
    expect(cells(toTable(EV, [ev], { now: NOW }))).toEqual([
      '90s',
      'Normal',
      'Pulled',
      'pod/web-7d4-abcde',
      'spec.containers{web}',
      'kubelet, worker1',
      'Container image "nginx:1.25" already present on machine',
      '6m40s',
      3,
      'web-7d4-abcde.17e0c2',
    ]);
  });

  it('new-style events: eventTime, series, reportingComponent, count defaults to 1', () => {
    const e = obj('Event', 'x', { involvedObject: { kind: 'Deployment', name: 'web' }, reason: 'ScalingReplicaSet', type: 'Normal', eventTime: before(30), reportingComponent: 'deployment-controller', message: 'Scaled up' });
    expect(cells(toTable(EV, [e], { now: NOW }))).toEqual(['30s', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up', '30s', 1, 'x']);
    const s = obj('Event', 'y', { involvedObject: { kind: 'Node' }, eventTime: before(600), series: { count: 7, lastObservedTime: before(5) } });
    expect(cells(toTable(EV, [s], { now: NOW }))).toEqual(['5s', '', '', 'node', '', '', '', '10m', 7, 'y']);
  });

  it('events.k8s.io/v1 Events print the same cells', () => {
    const e = obj('Event', 'z', { regarding: { kind: 'Pod', name: 'p' }, note: 'hi', reason: 'Started', type: 'Normal', reportingController: 'kubelet', reportingInstance: 'worker2', deprecatedFirstTimestamp: before(70), deprecatedLastTimestamp: before(20), deprecatedCount: 2 });
    expect(cells(toTable(def('events.k8s.io', 'Event', 'events'), [e], { now: NOW }))).toEqual(['20s', 'Normal', 'Started', 'pod/p', '', 'kubelet, worker2', 'hi', '70s', 2, 'z']);
  });
});

describe('config kinds', () => {
  it('Namespace, ConfigMap, Secret, ServiceAccount, Lease', () => {
    expect(cells(toTable(def('', 'Namespace', 'namespaces'), [obj('Namespace', 'dev', { status: { phase: 'Terminating' } })], { now: NOW }))).toEqual(['dev', 'Terminating', '5m']);
    const cm = obj('ConfigMap', 'kube-root-ca.crt', { data: { 'ca.crt': 'x', b: 'y' }, binaryData: { c: 'AA==' } });
    expect(cells(toTable(def('', 'ConfigMap', 'configmaps'), [cm], { now: NOW }))).toEqual(['kube-root-ca.crt', 3, '5m']);
    const secret = obj('Secret', 'tls', { type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } });
    const secrets = toTable(def('', 'Secret', 'secrets'), [secret, obj('Secret', 'plain', { stringData: { a: '1' } })], { now: NOW });
    expect(header(secrets)).toEqual([
      ['Name', 'string', 0],
      ['Type', 'string', 0],
      ['Data', 'string', 0],
      ['Age', 'string', 0],
    ]);
    expect(cells(secrets, 0)).toEqual(['tls', 'kubernetes.io/tls', 2, '5m']);
    expect(cells(secrets, 1)).toEqual(['plain', 'Opaque', 1, '5m']);
    expect(cells(toTable(def('', 'ServiceAccount', 'serviceaccounts'), [obj('ServiceAccount', 'default')], { now: NOW }))).toEqual(['default', 0, '5m']);
    const lease = obj('Lease', 'worker1', { spec: { holderIdentity: 'worker1', leaseDurationSeconds: 40 } }, { namespace: 'kube-node-lease' });
    expect(cells(toTable(def('coordination.k8s.io', 'Lease', 'leases'), [lease, obj('Lease', 'free', { spec: {} })], { now: NOW }), 0)).toEqual(['worker1', 'worker1', '5m']);
    expect(cells(toTable(def('coordination.k8s.io', 'Lease', 'leases'), [obj('Lease', 'free', { spec: {} })], { now: NOW }))).toEqual(['free', '', '5m']);
  });
});

describe('workloads', () => {
  it('Deployment cells are ready/desired then integers; selector with expressions', () => {
    const d = obj('Deployment', 'web', {
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }] },
        template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25' }, { name: 'log', image: 'busybox' }] } },
      },
      status: { updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 },
    });
    expect(cells(toTable(def('apps', 'Deployment', 'deployments'), [d], { now: NOW }))).toEqual(['web', '2/3', 1, 2, '5m', 'web,log', 'nginx:1.25,busybox', 'app=web,tier in (edge,front)']);
    const fresh = obj('Deployment', 'new', { spec: { selector: { matchLabels: { app: 'new' } }, template: { spec: { containers: [] } } } });
    expect(cells(toTable(def('apps', 'Deployment', 'deployments'), [fresh], { now: NOW })).slice(1, 4)).toEqual(['0/1', 0, 0]);
  });

  it('StatefulSet wide columns and DaemonSet without node selector', () => {
    const sts = obj('StatefulSet', 'web', { spec: { replicas: 3, template: { spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } }, status: { readyReplicas: 1 } });
    const t = toTable(def('apps', 'StatefulSet', 'statefulsets'), [sts], { now: NOW });
    expect(header(t)).toEqual([
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Age', 'string', 0],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
    ]);
    expect(cells(t)).toEqual(['web', '1/3', '5m', 'nginx', 'nginx']);
    const ds = obj('DaemonSet', 'agent', { spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { containers: [{ name: 'a', image: 'a:1' }] } } } });
    expect(cells(toTable(def('apps', 'DaemonSet', 'daemonsets'), [ds], { now: NOW }))).toEqual(['agent', 0, 0, 0, 0, 0, '<none>', '5m', 'a', 'a:1', 'app=agent']);
  });
});

describe('batch', () => {
  const JOBS = def('batch', 'Job', 'jobs');
  const job = (spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}) =>
    cells(toTable(JOBS, [obj('Job', 'pi', { spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }] } }, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } }, ...spec }, status }, meta)], { now: NOW }));

  it('Job: STATUS, COMPLETIONS, DURATION', () => {
    expect(job({ completions: 1 }, { succeeded: 1, startTime: before(290), completionTime: before(250), conditions: [{ type: 'Complete', status: 'True' }] })).toEqual([
      'pi',
      'Complete',
      '1/1',
      '40s',
      '5m',
      'pi',
      'perl:5.34',
      'batch.kubernetes.io/controller-uid=u',
    ]);
    expect(job({ completions: 5 }, { succeeded: 2, startTime: before(200) }).slice(1, 4)).toEqual(['Running', '2/5', '3m20s']);
    expect(job({ parallelism: 3, completions: null }, { succeeded: 0 }).slice(1, 4)).toEqual(['Running', '0/1 of 3', '']);
    expect(job({}, { conditions: [{ type: 'Failed', status: 'True' }] })[1]).toBe('Failed');
    expect(job({}, { conditions: [{ type: 'Suspended', status: 'True' }] })[1]).toBe('Suspended');
    expect(job({}, { conditions: [{ type: 'FailureTarget', status: 'True' }] })[1]).toBe('FailureTarget');
    expect(job({}, {}, { deletionTimestamp: before(1) })[1]).toBe('Terminating');
  });

  it('CronJob: SCHEDULE, TIMEZONE, SUSPEND (boolean), ACTIVE, LAST SCHEDULE', () => {
    const cj = obj('CronJob', 'hello', {
      spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox:1.28' }] } } } } },
      status: { active: [{ name: 'hello-28678950' }], lastScheduleTime: before(42) },
    });
    const t = toTable(def('batch', 'CronJob', 'cronjobs'), [cj, obj('CronJob', 'never', { spec: { schedule: '@daily', timeZone: 'Etc/UTC', suspend: true } })], { now: NOW });
    expect(header(t).slice(0, 7)).toEqual([
      ['Name', 'string', 0],
      ['Schedule', 'string', 0],
      ['Timezone', 'string', 0],
      ['Suspend', 'boolean', 0],
      ['Active', 'integer', 0],
      ['Last Schedule', 'string', 0],
      ['Age', 'string', 0],
    ]);
    expect(cells(t, 0)).toEqual(['hello', '*/1 * * * *', '<none>', false, 1, '42s', '5m', 'hello', 'busybox:1.28', '<none>']);
    expect(cells(t, 1).slice(0, 6)).toEqual(['never', '@daily', 'Etc/UTC', true, 0, '<none>']);
  });
});

describe('Ingress and storage', () => {
  it('Ingress: CLASS, HOSTS (+ N more...), ADDRESS, PORTS', () => {
    const ING = def('networking.k8s.io', 'Ingress', 'ingresses');
    const ing = obj('Ingress', 'myingress', {
      spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }, {}, { host: 'c.example.com' }, { host: 'd.example.com' }], tls: [{ hosts: ['a.example.com'] }] },
      status: { loadBalancer: { ingress: [{ ip: '172.18.0.2' }] } },
    });
    expect(cells(toTable(ING, [ing], { now: NOW }))).toEqual(['myingress', 'nginx', 'a.example.com,b.example.com,c.example.com + 2 more...', '172.18.0.2', '80, 443', '5m']);
    expect(cells(toTable(ING, [obj('Ingress', 'any', { spec: { rules: [{}] } })], { now: NOW }))).toEqual(['any', '<none>', '*', '', '80', '5m']);
  });

  it('PVC while Pending and PV being deleted', () => {
    const pvc = obj('PersistentVolumeClaim', 'data', { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Pending' } });
    expect(cells(toTable(def('', 'PersistentVolumeClaim', 'persistentvolumeclaims'), [pvc], { now: NOW }))).toEqual(['data', 'Pending', '', '', '', '', '<unset>', '5m', '<unset>']);
    const pv = obj(
      'PersistentVolume',
      'pv1',
      { spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'fast' }, status: { phase: 'Released' } },
      { namespace: undefined, deletionTimestamp: before(1), annotations: { 'volume.beta.kubernetes.io/storage-class': 'legacy' } },
    );
    expect(cells(toTable(def('', 'PersistentVolume', 'persistentvolumes'), [pv], { now: NOW }))).toEqual(['pv1', '5Gi', 'RWO,RWX', 'Retain', 'Terminating', '', 'legacy', '<unset>', '', '5m', '<unset>']);
  });
});
