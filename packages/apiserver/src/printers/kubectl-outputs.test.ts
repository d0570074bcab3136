// The Tables rendered the way kubectl renders them, compared byte for byte with the outputs
// recorded in shared/reference/kubectl-outputs.md (section ids O01... below).
import { describe, expect, it } from 'vitest';
import { formatLabels } from '@minik/api';
import type { KubeObject, Table } from '@minik/api';
import { toTable } from './index.js';

const NOW = Date.parse('2024-07-09T13:30:00Z');

/** A creationTimestamp `ago` before NOW: `ago('4h3m')`, `ago('2m42s')`, `ago('63d')`. */
function ago(d: string): string {
  const unit: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };
  let secs = 0;
  for (const [, n, u] of d.matchAll(/(\d+)([dhms])/g)) secs += Number(n) * unit[u];
  return new Date(NOW - secs * 1000).toISOString();
}

function meta(name: string, age: string, extra: Record<string, unknown> = {}) {
  return { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: ago(age), ...extra };
}

const def = (group: string, kind: string, resource: string) => ({ group, version: 'v1', kind, resource });
const PODS = def('', 'Pod', 'pods');
const NODES = def('', 'Node', 'nodes');
const SERVICES = def('', 'Service', 'services');
const ENDPOINTS = def('', 'Endpoints', 'endpoints');
const NAMESPACES = def('', 'Namespace', 'namespaces');
const PVS = def('', 'PersistentVolume', 'persistentvolumes');
const PVCS = def('', 'PersistentVolumeClaim', 'persistentvolumeclaims');
const DEPLOYMENTS = def('apps', 'Deployment', 'deployments');
const REPLICASETS = def('apps', 'ReplicaSet', 'replicasets');
const DAEMONSETS = def('apps', 'DaemonSet', 'daemonsets');
const STATEFULSETS = def('apps', 'StatefulSet', 'statefulsets');

/**
 * kubectl's human-readable printer, reduced to what the samples use: upper-cased headers,
 * priority-1 columns only with -o wide, `kind/` before the name column (`get all`), a LABELS
 * column from rows[].object (--show-labels), and tabwriter(minwidth 6, padding 3).
 */
function render(table: Table, o: { wide?: boolean; prefix?: string; showLabels?: boolean; omit?: string[] } = {}): string {
  const keep = table.columnDefinitions.map((c, i) => ({ c, i })).filter(({ c }) => (o.wide || !c.priority) && !o.omit?.includes(c.name));
  const lines: string[][] = [keep.map(({ c }) => c.name.toUpperCase())];
  if (o.showLabels) lines[0].push('LABELS');
  for (const row of table.rows) {
    const cells = keep.map(({ c, i }) => (c.format === 'name' && o.prefix ? o.prefix : '') + String(row.cells[i]));
    if (o.showLabels) cells.push(formatLabels(row.object?.metadata?.labels));
    lines.push(cells);
  }
  const widths = lines[0].map((_, col) => Math.max(6, ...lines.map((l) => l[col].length + 3)));
  return lines.map((l) => l.map((cell, col) => (col === l.length - 1 ? cell : cell.padEnd(widths[col]))).join('')).join('\n');
}

const text = (s: string) => s.replace(/^\n/, '').replace(/\n\s*$/, '');

// ---- fixtures ------------------------------------------------------------------------------

interface PodOpts {
  age: string;
  ns?: string;
  labels?: Record<string, string>;
  ip?: string;
  node?: string;
  deleting?: boolean;
}
function runningPod(name: string, o: PodOpts): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, o.age, { namespace: o.ns ?? 'default', labels: o.labels, ...(o.deleting ? { deletionTimestamp: new Date(NOW).toISOString() } : {}) }),
    spec: { containers: [{ name: 'app', image: 'app:1' }], nodeName: o.node ?? 'worker1' },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      podIP: o.ip ?? '10.244.1.5',
      podIPs: [{ ip: o.ip ?? '10.244.1.5' }],
      containerStatuses: [{ name: 'app', ready: true, started: true, restartCount: 0, state: { running: { startedAt: ago(o.age) } } }],
    },
  };
}
function creatingPod(name: string, o: PodOpts): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, o.age, { labels: o.labels }),
    spec: { containers: [{ name: 'app', image: 'app:2' }], nodeName: 'worker1' },
    status: {
      phase: 'Pending',
      containerStatuses: [{ name: 'app', ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }],
    },
  };
}

function node(name: string, age: string, roles: string[] = []): KubeObject {
  const labels: Record<string, string> = { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' };
  for (const r of roles) labels[`node-role.kubernetes.io/${r}`] = '';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, creationTimestamp: ago(age), labels },
    spec: {},
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
      addresses: [{ type: 'InternalIP', address: '192.168.1.1' }, { type: 'Hostname', address: name }],
      nodeInfo: { kubeletVersion: 'v1.30.2', osImage: 'Ubuntu 22.04.4 LTS', kernelVersion: '5.15.0-113-generic', containerRuntimeVersion: 'containerd://1.7.18' },
    },
  };
}

const COREDNS_TEMPLATE = { spec: { containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.1' }] } };

// ---- tests -------------------------------------------------------------------------------

describe('kubectl outputs reproduced from server-side Tables', () => {
  it('O01 kubectl get nodes', () => {
    const t = toTable(NODES, [node('master', '4h3m', ['control-plane']), node('worker1', '3h53m'), node('worker2', '3h52m')], { now: NOW });
    expect(render(t)).toBe(
      text(`
NAME      STATUS   ROLES           AGE     VERSION
master    Ready    control-plane   4h3m    v1.30.2
worker1   Ready    <none>          3h53m   v1.30.2
worker2   Ready    <none>          3h52m   v1.30.2
`),
    );
  });

  describe('O08 kubectl get all -n kube-system -o wide', () => {
    const ks = { ns: 'kube-system', age: '20m' };
    it('pods', () => {
      const pods = [
        runningPod('coredns-7db6d8ff4d-792wd', { ...ks, ip: '192.168.219.65', node: 'master' }),
        runningPod('coredns-7db6d8ff4d-nvxsf', { ...ks, ip: '192.168.219.68', node: 'master' }),
        runningPod('etcd-master', { ...ks, ip: '192.168.1.1', node: 'master' }),
        runningPod('kube-apiserver-master', { ...ks, ip: '192.168.1.1', node: 'master' }),
        runningPod('kube-controller-manager-master', { ...ks, ip: '192.168.1.1', node: 'master' }),
        runningPod('kube-proxy-9l64r', { ...ks, ip: '192.168.1.1', node: 'master' }),
        runningPod('kube-proxy-svnvd', { ...ks, age: '17m', ip: '***.***.***.**', node: 'worker2' }),
        runningPod('kube-proxy-zfvgt', { ...ks, age: '19m', ip: '***.***.***.**', node: 'worker1' }),
        runningPod('kube-scheduler-master', { ...ks, ip: '192.168.1.1', node: 'master' }),
      ];
      expect(render(toTable(PODS, pods, { now: NOW }), { wide: true, prefix: 'pod/' })).toBe(
        text(`
NAME                                 READY   STATUS    RESTARTS   AGE   IP               NODE      NOMINATED NODE   READINESS GATES
pod/coredns-7db6d8ff4d-792wd         1/1     Running   0          20m   192.168.219.65   master    <none>           <none>
pod/coredns-7db6d8ff4d-nvxsf         1/1     Running   0          20m   192.168.219.68   master    <none>           <none>
pod/etcd-master                      1/1     Running   0          20m   192.168.1.1      master    <none>           <none>
pod/kube-apiserver-master            1/1     Running   0          20m   192.168.1.1      master    <none>           <none>
pod/kube-controller-manager-master   1/1     Running   0          20m   192.168.1.1      master    <none>           <none>
pod/kube-proxy-9l64r                 1/1     Running   0          20m   192.168.1.1      master    <none>           <none>
pod/kube-proxy-svnvd                 1/1     Running   0          17m   ***.***.***.**   worker2   <none>           <none>
pod/kube-proxy-zfvgt                 1/1     Running   0          19m   ***.***.***.**   worker1   <none>           <none>
pod/kube-scheduler-master            1/1     Running   0          20m   192.168.1.1      master    <none>           <none>
`),
      );
    });

    it('services', () => {
      const svc = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta('kube-dns', '20m', { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }),
        spec: {
          type: 'ClusterIP',
          clusterIP: '10.96.0.10',
          clusterIPs: ['10.96.0.10'],
          selector: { 'k8s-app': 'kube-dns' },
          ports: [
            { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
            { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
            { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
          ],
        },
      };
      expect(render(toTable(SERVICES, [svc], { now: NOW }), { wide: true, prefix: 'service/' })).toBe(
        text(`
NAME               TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE   SELECTOR
service/kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   20m   k8s-app=kube-dns
`),
      );
    });

    it('daemonsets', () => {
      const ds = {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: meta('kube-proxy', '20m', { namespace: 'kube-system' }),
        spec: {
          selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
          template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.30.2' }] } },
        },
        status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 3, numberAvailable: 3 },
      };
      expect(render(toTable(DAEMONSETS, [ds], { now: NOW }), { wide: true, prefix: 'daemonset.apps/' })).toBe(
        text(`
NAME                        DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE   CONTAINERS   IMAGES                               SELECTOR
daemonset.apps/kube-proxy   3         3         3       3            3           kubernetes.io/os=linux   20m   kube-proxy   registry.k8s.io/kube-proxy:v1.30.2   k8s-app=kube-proxy
`),
      );
    });

    it('deployments', () => {
      const d = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta('coredns', '20m', { namespace: 'kube-system' }),
        spec: { replicas: 2, selector: { matchLabels: { 'k8s-app': 'kube-dns' } }, template: COREDNS_TEMPLATE },
        status: { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
      };
      expect(render(toTable(DEPLOYMENTS, [d], { now: NOW }), { wide: true, prefix: 'deployment.apps/' })).toBe(
        text(`
NAME                      READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES                                    SELECTOR
deployment.apps/coredns   2/2     2            2           20m   coredns      registry.k8s.io/coredns/coredns:v1.11.1   k8s-app=kube-dns
`),
      );
    });

    it('replicasets', () => {
      const rs = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: meta('coredns-7db6d8ff4d', '20m', { namespace: 'kube-system' }),
        spec: { replicas: 2, selector: { matchLabels: { 'pod-template-hash': '7db6d8ff4d', 'k8s-app': 'kube-dns' } }, template: COREDNS_TEMPLATE },
        status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 },
      };
      expect(render(toTable(REPLICASETS, [rs], { now: NOW }), { wide: true, prefix: 'replicaset.apps/' })).toBe(
        text(`
NAME                                 DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES                                    SELECTOR
replicaset.apps/coredns-7db6d8ff4d   2         2         2       20m   coredns      registry.k8s.io/coredns/coredns:v1.11.1   k8s-app=kube-dns,pod-template-hash=7db6d8ff4d
`),
      );
    });
  });

  it('O11/O19 pods -o wide with LABELS', () => {
    const lbl = { 'k8s-app': 'kube-dns', 'pod-template-hash': '7db6d8ff4d' };
    const t = toTable(
      PODS,
      [
        runningPod('coredns-7db6d8ff4d-792wd', { ns: 'kube-system', age: '157m', ip: '192.168.219.65', node: 'master', labels: lbl }),
        runningPod('coredns-7db6d8ff4d-nvxsf', { ns: 'kube-system', age: '157m', ip: '192.168.219.68', node: 'master', labels: lbl }),
      ],
      { now: NOW },
    );
    expect(render(t, { wide: true, showLabels: true })).toBe(
      text(`
NAME                       READY   STATUS    RESTARTS   AGE    IP               NODE     NOMINATED NODE   READINESS GATES   LABELS
coredns-7db6d8ff4d-792wd   1/1     Running   0          157m   192.168.219.65   master   <none>           <none>            k8s-app=kube-dns,pod-template-hash=7db6d8ff4d
coredns-7db6d8ff4d-nvxsf   1/1     Running   0          157m   192.168.219.68   master   <none>           <none>            k8s-app=kube-dns,pod-template-hash=7db6d8ff4d
`),
    );
    const proxy = { 'controller-revision-hash': '669fc44fbc', 'k8s-app': 'kube-proxy', 'pod-template-generation': '1' };
    const t2 = toTable(
      PODS,
      [
        runningPod('kube-proxy-7trr5', { ns: 'kube-system', age: '3h51m', ip: '***.***.***.***', node: 'worker1', labels: proxy }),
        runningPod('kube-proxy-8w9sn', { ns: 'kube-system', age: '3h49m', ip: '***.***.***.***', node: 'worker2', labels: proxy }),
        runningPod('kube-proxy-zp79v', { ns: 'kube-system', age: '3h52m', ip: '192.168.1.1', node: 'master', labels: proxy }),
      ],
      { now: NOW },
    );
    expect(render(t2, { wide: true, showLabels: true })).toBe(
      text(`
NAME               READY   STATUS    RESTARTS   AGE     IP                NODE      NOMINATED NODE   READINESS GATES   LABELS
kube-proxy-7trr5   1/1     Running   0          3h51m   ***.***.***.***   worker1   <none>           <none>            controller-revision-hash=669fc44fbc,k8s-app=kube-proxy,pod-template-generation=1
kube-proxy-8w9sn   1/1     Running   0          3h49m   ***.***.***.***   worker2   <none>           <none>            controller-revision-hash=669fc44fbc,k8s-app=kube-proxy,pod-template-generation=1
kube-proxy-zp79v   1/1     Running   0          3h52m   192.168.1.1       master    <none>           <none>            controller-revision-hash=669fc44fbc,k8s-app=kube-proxy,pod-template-generation=1
`),
    );
  });

  it('O07 AGE widens for 2m42s; O03 <none> labels', () => {
    expect(render(toTable(PODS, [runningPod('simple-pod', { age: '2m42s', labels: { app: 'simple-pod' } })], { now: NOW }), { showLabels: true })).toBe(
      text(`
NAME         READY   STATUS    RESTARTS   AGE     LABELS
simple-pod   1/1     Running   0          2m42s   app=simple-pod
`),
    );
    expect(render(toTable(PODS, [runningPod('simple-pod', { age: '25m' })], { now: NOW }), { showLabels: true })).toBe(
      text(`
NAME         READY   STATUS    RESTARTS   AGE   LABELS
simple-pod   1/1     Running   0          25m   <none>
`),
    );
  });

  it('O22 kubectl get replicaset', () => {
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta('simple-replicaset', '6m54s'),
      spec: { replicas: 3, selector: { matchLabels: { app: 'simple-replicaset' } }, template: { spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
      status: { replicas: 3, readyReplicas: 3 },
    };
    expect(render(toTable(REPLICASETS, [rs], { now: NOW }))).toBe(
      text(`
NAME                DESIRED   CURRENT   READY   AGE
simple-replicaset   3         3         3       6m54s
`),
    );
  });

  it('O26 a pod being deleted shows Terminating', () => {
    const app = { app: 'simple-replicaset' };
    const pods = [
      runningPod('simple-pod', { age: '36s', labels: app, deleting: true }),
      runningPod('simple-replicaset-bzgpf', { age: '9m31s', labels: app }),
      runningPod('simple-replicaset-hj9th', { age: '9m31s', labels: app }),
      runningPod('simple-replicaset-xm2nm', { age: '9m31s', labels: app }),
    ];
    expect(render(toTable(PODS, pods, { now: NOW }), { showLabels: true })).toBe(
      text(`
NAME                      READY   STATUS        RESTARTS   AGE     LABELS
simple-pod                1/1     Terminating   0          36s     app=simple-replicaset
simple-replicaset-bzgpf   1/1     Running       0          9m31s   app=simple-replicaset
simple-replicaset-hj9th   1/1     Running       0          9m31s   app=simple-replicaset
simple-replicaset-xm2nm   1/1     Running       0          9m31s   app=simple-replicaset
`),
    );
  });

  it('O27 a new pod shows 0/1 ContainerCreating', () => {
    const app = { app: 'simple-replicaset' };
    const pods = [
      runningPod('simple-replicaset-bzgpf', { age: '14m' }),
      creatingPod('simple-replicaset-brbmr', { age: '2s', labels: app }),
      runningPod('simple-replicaset-hj9th', { age: '14m', labels: app }),
      runningPod('simple-replicaset-xm2nm', { age: '14m', labels: app }),
    ];
    expect(render(toTable(PODS, pods, { now: NOW }), { showLabels: true })).toBe(
      text(`
NAME                      READY   STATUS              RESTARTS   AGE   LABELS
simple-replicaset-bzgpf   1/1     Running             0          14m   <none>
simple-replicaset-brbmr   0/1     ContainerCreating   0          2s    app=simple-replicaset
simple-replicaset-hj9th   1/1     Running             0          14m   app=simple-replicaset
simple-replicaset-xm2nm   1/1     Running             0          14m   app=simple-replicaset
`),
    );
  });

  it('O28/O29 deployment and its ReplicaSet', () => {
    const lbl = { app: 'simple-deployment', 'pod-template-hash': '794f78c89' };
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('simple-deployment', '17s'),
      spec: { replicas: 3, selector: { matchLabels: { app: 'simple-deployment' } }, template: { spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
      status: { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 },
    };
    expect(render(toTable(DEPLOYMENTS, [d], { now: NOW }))).toBe(
      text(`
NAME                READY   UP-TO-DATE   AVAILABLE   AGE
simple-deployment   3/3     3            3           17s
`),
    );
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta('simple-deployment-794f78c89', '76s', { labels: lbl }),
      spec: { replicas: 3, selector: { matchLabels: lbl }, template: { metadata: { labels: lbl }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
      status: { replicas: 3, readyReplicas: 3 },
    };
    expect(render(toTable(REPLICASETS, [rs], { now: NOW }), { showLabels: true })).toBe(
      text(`
NAME                          DESIRED   CURRENT   READY   AGE   LABELS
simple-deployment-794f78c89   3         3         3       76s   app=simple-deployment,pod-template-hash=794f78c89
`),
    );
  });

  it('O31 rolling update: Terminating next to ContainerCreating', () => {
    const old = { app: 'simple-deployment', 'pod-template-hash': '794f78c89' };
    const neu = { app: 'simple-deployment', 'pod-template-hash': '98d7d96b' };
    const pods = [
      runningPod('simple-deployment-794f78c89-4tl2w', { age: '13m', labels: old }),
      runningPod('simple-deployment-794f78c89-rkc27', { age: '13m', labels: old, deleting: true }),
      runningPod('simple-deployment-794f78c89-szjfg', { age: '13m', labels: old }),
      creatingPod('simple-deployment-98d7d96b-dxc25', { age: '2s', labels: neu }),
      creatingPod('simple-deployment-98d7d96b-w46tx', { age: '2s', labels: neu }),
    ];
    expect(render(toTable(PODS, pods, { now: NOW }), { showLabels: true })).toBe(
      text(`
NAME                                READY   STATUS              RESTARTS   AGE   LABELS
simple-deployment-794f78c89-4tl2w   1/1     Running             0          13m   app=simple-deployment,pod-template-hash=794f78c89
simple-deployment-794f78c89-rkc27   1/1     Terminating         0          13m   app=simple-deployment,pod-template-hash=794f78c89
simple-deployment-794f78c89-szjfg   1/1     Running             0          13m   app=simple-deployment,pod-template-hash=794f78c89
simple-deployment-98d7d96b-dxc25    0/1     ContainerCreating   0          2s    app=simple-deployment,pod-template-hash=98d7d96b
simple-deployment-98d7d96b-w46tx    0/1     ContainerCreating   0          2s    app=simple-deployment,pod-template-hash=98d7d96b
`),
    );
  });

  it('O32 kubectl get services', () => {
    const svc = (name: string, age: string, ip: string, port: number) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(name, age),
      spec: { type: 'ClusterIP', clusterIP: ip, clusterIPs: [ip], ports: [{ port, protocol: 'TCP', targetPort: port }] },
    });
    const t = toTable(SERVICES, [svc('backend-service', '11m', '10.98.60.140', 8000), svc('kubernetes', '20m', '10.96.0.1', 443)], { now: NOW });
    expect(render(t)).toBe(
      text(`
NAME              TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)    AGE
backend-service   ClusterIP   10.98.60.140   <none>        8000/TCP   11m
kubernetes        ClusterIP   10.96.0.1      <none>        443/TCP    20m
`),
    );
  });

  it('O34 kubectl get endpoints', () => {
    const ep = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: meta('backend-service', '38m'),
      subsets: [
        {
          addresses: [{ ip: '192.168.189.66' }, { ip: '192.168.189.67' }, { ip: '192.168.235.130' }],
          ports: [{ port: 8000, protocol: 'TCP' }],
        },
      ],
    };
    expect(render(toTable(ENDPOINTS, [ep], { now: NOW }))).toBe(
      text(`
NAME              ENDPOINTS                                                      AGE
backend-service   192.168.189.66:8000,192.168.189.67:8000,192.168.235.130:8000   38m
`),
    );
  });

  it('O36 kubectl get pods -o wide (7m4s)', () => {
    const pods = [
      runningPod('simple-deployment-794f78c89-cpwdd', { age: '7m4s', ip: '192.168.189.66', node: 'worker2' }),
      runningPod('simple-deployment-794f78c89-gq7ts', { age: '7m4s', ip: '192.168.235.130', node: 'worker1' }),
      runningPod('simple-deployment-794f78c89-nfzzk', { age: '7m4s', ip: '192.168.219.71', node: 'master' }),
    ];
    expect(render(toTable(PODS, pods, { now: NOW }), { wide: true })).toBe(
      text(`
NAME                                READY   STATUS    RESTARTS   AGE    IP                NODE      NOMINATED NODE   READINESS GATES
simple-deployment-794f78c89-cpwdd   1/1     Running   0          7m4s   192.168.189.66    worker2   <none>           <none>
simple-deployment-794f78c89-gq7ts   1/1     Running   0          7m4s   192.168.235.130   worker1   <none>           <none>
simple-deployment-794f78c89-nfzzk   1/1     Running   0          7m4s   192.168.219.71    master    <none>           <none>
`),
    );
  });

  it('O41 kubectl get ns', () => {
    const ns = (name: string, age: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, creationTimestamp: ago(age) }, status: { phase: 'Active' } });
    const t = toTable(NAMESPACES, [ns('default', '63d'), ns('istio-system', '59d'), ns('kube-node-lease', '63d'), ns('kube-public', '63d'), ns('kube-system', '63d')], { now: NOW });
    expect(render(t)).toBe(
      text(`
NAME              STATUS   AGE
default           Active   63d
istio-system      Active   59d
kube-node-lease   Active   63d
kube-public       Active   63d
kube-system       Active   63d
`),
    );
  });

  it('O45/O46 statefulset and its ordinal pods', () => {
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('web', '80s'),
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.8' }] } } },
      status: { replicas: 3, readyReplicas: 3 },
    };
    expect(render(toTable(STATEFULSETS, [sts], { now: NOW }))).toBe(
      text(`
NAME   READY   AGE
web    3/3     80s
`),
    );
    const pods = [runningPod('web-0', { age: '2m53s' }), runningPod('web-1', { age: '2m33s' }), runningPod('web-2', { age: '2m13s' })];
    expect(render(toTable(PODS, pods, { now: NOW }))).toBe(
      text(`
NAME    READY   STATUS    RESTARTS   AGE
web-0   1/1     Running   0          2m53s
web-1   1/1     Running   0          2m33s
web-2   1/1     Running   0          2m13s
`),
    );
  });

  it('O49 pvc and pv (VolumeAttributesClass column aside)', () => {
    const vols = [
      ['www-web-0', 'pvc-bb53c1eb-de59-477f-b82e-606cdfe234ba', '92m'],
      ['www-web-1', 'pvc-e8ea7850-58da-460f-9fb2-315627708cc3', '91m'],
      ['www-web-2', 'pvc-33f94fdb-9e17-4ee6-a2e7-0b10d88699e3', '91m'],
    ];
    const pvcs = vols.map(([claim, vol]) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta(claim, '91m'),
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } }, storageClassName: 'standard', volumeName: vol, volumeMode: 'Filesystem' },
      status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Mi' } },
    }));
    // The book's cluster predates the VOLUMEATTRIBUTESCLASS column that current Kubernetes
    // prints (`<unset>` here); everything else is as recorded.
    expect(render(toTable(PVCS, pvcs, { now: NOW }), { omit: ['VolumeAttributesClass'] })).toBe(
      text(`
NAME        STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   AGE
www-web-0   Bound    pvc-bb53c1eb-de59-477f-b82e-606cdfe234ba   1Mi        RWO            standard       91m
www-web-1   Bound    pvc-e8ea7850-58da-460f-9fb2-315627708cc3   1Mi        RWO            standard       91m
www-web-2   Bound    pvc-33f94fdb-9e17-4ee6-a2e7-0b10d88699e3   1Mi        RWO            standard       91m
`),
    );
    const pvs = [vols[2], vols[0], vols[1]].map(([claim, vol, age]) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: vol, creationTimestamp: ago(age) },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Delete',
        claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: claim },
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Bound' },
    }));
    const pvTable = toTable(PVS, pvs, { now: NOW });
    expect(render(pvTable, { omit: ['VolumeAttributesClass'] })).toBe(
      text(`
NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM               STORAGECLASS   REASON   AGE
pvc-33f94fdb-9e17-4ee6-a2e7-0b10d88699e3   1Gi        RWO            Delete           Bound    default/www-web-2   standard                91m
pvc-bb53c1eb-de59-477f-b82e-606cdfe234ba   1Gi        RWO            Delete           Bound    default/www-web-0   standard                92m
pvc-e8ea7850-58da-460f-9fb2-315627708cc3   1Gi        RWO            Delete           Bound    default/www-web-1   standard                91m
`),
    );
    expect(pvTable.rows[0].cells[7]).toBe('<unset>');
  });
});
