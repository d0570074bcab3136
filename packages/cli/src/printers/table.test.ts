// Tables as the apiserver sends them, printed as kubectl prints them. Expected blocks are the
// verbatim outputs of ../shared/reference/kubectl-outputs.md (O-numbers); the rest were
// checked against kubectl 1.32 run on the same Tables.
import type { Table, TableRow } from '@minik/api';
import { describe, expect, it } from 'vitest';
import { renderTables, TableWatchPrinter, type TableSection } from './index.js';

type ColSpec = string | { name: string; priority?: number; format?: string };

function col(c: ColSpec) {
  const spec = typeof c === 'string' ? { name: c } : c;
  return { name: spec.name, type: 'string', format: spec.format ?? (spec.name === 'Name' ? 'name' : ''), description: '', priority: spec.priority ?? 0 };
}

interface RowSpec {
  cells: unknown[];
  labels?: Record<string, string>;
  namespace?: string;
  object?: TableRow['object'] | null;
}

function table(cols: ColSpec[], rows: (unknown[] | RowSpec)[]): Table {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '1' },
    columnDefinitions: cols.map(col),
    rows: rows.map((r) => {
      const spec = Array.isArray(r) ? { cells: r } : r;
      const object =
        spec.object === null
          ? undefined
          : (spec.object ?? {
              kind: 'PartialObjectMetadata',
              apiVersion: 'meta.k8s.io/v1',
              metadata: { name: String(spec.cells[0]), namespace: spec.namespace ?? 'default', labels: spec.labels },
            });
      return { cells: spec.cells, object };
    }),
  };
}

/** Drops the `$ kubectl ...` line(s) a reference block starts with. */
const block = (text: string) => text.replace(/^(\$ .*\n)+/, '');

const wide = (name: string) => ({ name, priority: 1 });
const POD_COLS: ColSpec[] = ['Name', 'Ready', 'Status', 'Restarts', 'Age', wide('IP'), wide('Node'), wide('Nominated Node'), wide('Readiness Gates')];
const pod = (name: string, ready: string, status: string, restarts: number, age: string, labels?: Record<string, string>, ip = '10.244.1.2', node = 'worker1', namespace = 'default'): RowSpec => ({
  cells: [name, ready, status, restarts, age, ip, node, '<none>', '<none>'],
  labels,
  namespace,
});
const RS = { app: 'simple-replicaset' };

describe('kubectl get pods', () => {
  it('O03: --show-labels with no labels prints <none>', () => {
    const t = table(POD_COLS, [pod('simple-pod', '1/1', 'Running', 0, '25m')]);
    expect(renderTables(t, { showLabels: true })).toBe(
      block('$ kubectl get pods --show-labels\nNAME         READY   STATUS    RESTARTS   AGE   LABELS\nsimple-pod   1/1     Running   0          25m   <none>\n'),
    );
  });

  it('O07: AGE widens for 2m42s', () => {
    const t = table(POD_COLS, [pod('simple-pod', '1/1', 'Running', 0, '2m42s', { app: 'simple-pod' })]);
    expect(renderTables(t, { showLabels: true })).toBe(
      'NAME         READY   STATUS    RESTARTS   AGE     LABELS\nsimple-pod   1/1     Running   0          2m42s   app=simple-pod\n',
    );
  });

  it('O23, O24: ReplicaSet pods, then an unlabelled pod', () => {
    const rows = ['bzgpf', 'hj9th', 'xm2nm'].map((s) => pod(`simple-replicaset-${s}`, '1/1', 'Running', 0, '7m47s', RS));
    expect(renderTables(table(POD_COLS, rows), { showLabels: true })).toBe(
      block(
        '$ kubectl get pods --show-labels\nNAME                      READY   STATUS    RESTARTS   AGE     LABELS\nsimple-replicaset-bzgpf   1/1     Running   0          7m47s   app=simple-replicaset\nsimple-replicaset-hj9th   1/1     Running   0          7m47s   app=simple-replicaset\nsimple-replicaset-xm2nm   1/1     Running   0          7m47s   app=simple-replicaset\n',
      ),
    );
    const rows24 = [pod('simple-pod', '1/1', 'Running', 0, '3s'), ...['bzgpf', 'hj9th', 'xm2nm'].map((s) => pod(`simple-replicaset-${s}`, '1/1', 'Running', 0, '8m58s', RS))];
    expect(renderTables(table(POD_COLS, rows24), { showLabels: true })).toBe(
      block(
        '$ kubectl get pods --show-labels\nNAME                      READY   STATUS    RESTARTS   AGE     LABELS\nsimple-pod                1/1     Running   0          3s      <none>\nsimple-replicaset-bzgpf   1/1     Running   0          8m58s   app=simple-replicaset\nsimple-replicaset-hj9th   1/1     Running   0          8m58s   app=simple-replicaset\nsimple-replicaset-xm2nm   1/1     Running   0          8m58s   app=simple-replicaset\n',
      ),
    );
  });

  it('O26: STATUS widens for Terminating', () => {
    const rows = [pod('simple-pod', '1/1', 'Terminating', 0, '36s', RS), ...['bzgpf', 'hj9th', 'xm2nm'].map((s) => pod(`simple-replicaset-${s}`, '1/1', 'Running', 0, '9m31s', RS))];
    expect(renderTables(table(POD_COLS, rows), { showLabels: true })).toBe(
      block(
        '$ kubectl get pods --show-labels\nNAME                      READY   STATUS        RESTARTS   AGE     LABELS\nsimple-pod                1/1     Terminating   0          36s     app=simple-replicaset\nsimple-replicaset-bzgpf   1/1     Running       0          9m31s   app=simple-replicaset\nsimple-replicaset-hj9th   1/1     Running       0          9m31s   app=simple-replicaset\nsimple-replicaset-xm2nm   1/1     Running       0          9m31s   app=simple-replicaset\n',
      ),
    );
  });

  it('O27: rows keep the server order; ContainerCreating widens STATUS', () => {
    const rows = [
      pod('simple-replicaset-bzgpf', '1/1', 'Running', 0, '14m'),
      pod('simple-replicaset-brbmr', '0/1', 'ContainerCreating', 0, '2s', RS),
      pod('simple-replicaset-hj9th', '1/1', 'Running', 0, '14m', RS),
      pod('simple-replicaset-xm2nm', '1/1', 'Running', 0, '14m', RS),
    ];
    expect(renderTables(table(POD_COLS, rows), { showLabels: true })).toBe(
      block(
        '$ kubectl get pods --show-labels\nNAME                      READY   STATUS              RESTARTS   AGE   LABELS\nsimple-replicaset-bzgpf   1/1     Running             0          14m   <none>\nsimple-replicaset-brbmr   0/1     ContainerCreating   0          2s    app=simple-replicaset\nsimple-replicaset-hj9th   1/1     Running             0          14m   app=simple-replicaset\nsimple-replicaset-xm2nm   1/1     Running             0          14m   app=simple-replicaset\n',
      ),
    );
  });

  it('O11: -o wide shows priority columns, LABELS last', () => {
    const labels = { 'k8s-app': 'kube-dns', 'pod-template-hash': '7db6d8ff4d' };
    const rows = [
      pod('coredns-7db6d8ff4d-792wd', '1/1', 'Running', 0, '157m', labels, '192.168.219.65', 'master', 'kube-system'),
      pod('coredns-7db6d8ff4d-nvxsf', '1/1', 'Running', 0, '157m', labels, '192.168.219.68', 'master', 'kube-system'),
    ];
    expect(renderTables(table(POD_COLS, rows), { wide: true, showLabels: true })).toBe(
      block(
        '$ kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide\nNAME                       READY   STATUS    RESTARTS   AGE    IP               NODE     NOMINATED NODE   READINESS GATES   LABELS\ncoredns-7db6d8ff4d-792wd   1/1     Running   0          157m   192.168.219.65   master   <none>           <none>            k8s-app=kube-dns,pod-template-hash=7db6d8ff4d\ncoredns-7db6d8ff4d-nvxsf   1/1     Running   0          157m   192.168.219.68   master   <none>           <none>            k8s-app=kube-dns,pod-template-hash=7db6d8ff4d\n',
      ),
    );
  });

  it('-A puts NAMESPACE first; --no-headers keeps tabwriter widths (min 6)', () => {
    const t = table(POD_COLS, [pod('web-1', '1/1', 'Running', 0, '5s', {}, 'x', 'y', 'default'), pod('dns', '0/1', 'Pending', 12, '3h', {}, 'x', 'y', 'kube-system')]);
    expect(renderTables(t, { withNamespace: true })).toBe(
      'NAMESPACE     NAME    READY   STATUS    RESTARTS   AGE\ndefault       web-1   1/1     Running   0          5s\nkube-system   dns     0/1     Pending   12         3h\n',
    );
    expect(renderTables(t, { noHeaders: true })).toBe('web-1   1/1   Running   0     5s\ndns     0/1   Pending   12    3h\n');
  });

  it('-L adds a column per key, headed by the last path segment; missing labels are empty', () => {
    const t = table(POD_COLS, [pod('a', '1/1', 'Running', 0, '1s', { 'app.kubernetes.io/name': 'web', tier: 'fe' }), pod('b', '1/1', 'Running', 0, '1s', { tier: 'be' })]);
    expect(renderTables(t, { labelColumns: ['app.kubernetes.io/name', 'tier'] })).toBe(
      'NAME   READY   STATUS    RESTARTS   AGE   NAME   TIER\na      1/1     Running   0          1s    web    fe\nb      1/1     Running   0          1s           be\n',
    );
    // An empty last cell still pads the cell before it: kubectl prints these trailing blanks.
    expect(renderTables(t, { labelColumns: ['app.kubernetes.io/name'] })).toBe(
      'NAME   READY   STATUS    RESTARTS   AGE   NAME\na      1/1     Running   0          1s    web\nb      1/1     Running   0          1s    \n',
    );
  });

  it('rows without an object get blank namespace and label cells', () => {
    const t = table(POD_COLS, [{ cells: ['a', '1/1', 'Running', 0, '1s', null, null, '<none>', '<none>'], object: null }]);
    expect(renderTables(t, { withNamespace: true, showLabels: true })).toBe(
      'NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE   LABELS\n            a      1/1     Running   0          1s    \n',
    );
  });

  it('prints nothing for a table without rows', () => {
    expect(renderTables(table(POD_COLS, []))).toBe('');
  });

  it('cells print like Go: numbers, floats, null, and text cut at a line break', () => {
    const t = table(['Name', 'A', 'B', 'C'], [['x', 1.5, null, 'two\nlines'], ['y', 1e21, true, 'esc\x1b']]);
    expect(renderTables(t)).toBe('NAME   A       B      C\nx      1.5            two...\ny      1e+21   true   esc^[\n');
  });
});

describe('kubectl get, other kinds', () => {
  it('O01: nodes', () => {
    const t = table(['Name', 'Status', 'Roles', 'Age', 'Version'], [
      ['master', 'Ready', 'control-plane', '4h3m', 'v1.30.2'],
      ['worker1', 'Ready', '<none>', '3h53m', 'v1.30.2'],
      ['worker2', 'Ready', '<none>', '3h52m', 'v1.30.2'],
    ]);
    expect(renderTables({ table: t, kind: 'Node', clusterScoped: true }, { withNamespace: true })).toBe(
      block(
        '$ kubectl get nodes\nNAME      STATUS   ROLES           AGE     VERSION\nmaster    Ready    control-plane   4h3m    v1.30.2\nworker1   Ready    <none>          3h53m   v1.30.2\nworker2   Ready    <none>          3h52m   v1.30.2\n',
      ),
    );
  });

  it('O34: endpoints', () => {
    const t = table(['Name', 'Endpoints', 'Age'], [['backend-service', '192.168.189.66:8000,192.168.189.67:8000,192.168.235.130:8000', '38m']]);
    expect(renderTables(t)).toBe(
      block(
        '$ kubectl get endpoints backend-service\nNAME              ENDPOINTS                                                      AGE\nbackend-service   192.168.189.66:8000,192.168.189.67:8000,192.168.235.130:8000   38m\n',
      ),
    );
  });

  it('O41: namespaces', () => {
    const rows = [['default', '63d'], ['istio-system', '59d'], ['kube-node-lease', '63d'], ['kube-public', '63d'], ['kube-system', '63d']].map(([n, a]) => [n, 'Active', a]);
    expect(renderTables(table(['Name', 'Status', 'Age'], rows))).toBe(
      block(
        '$ kubectl get ns\nNAME              STATUS   AGE\ndefault           Active   63d\nistio-system      Active   59d\nkube-node-lease   Active   63d\nkube-public       Active   63d\nkube-system       Active   63d\n',
      ),
    );
  });

  it('O49: persistent volumes with an empty REASON column', () => {
    const cols = ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'Reason', 'Age'];
    const pv = (id: string, claim: string, age: string) => [`pvc-${id}`, '1Gi', 'RWO', 'Delete', 'Bound', `default/${claim}`, 'standard', '', age];
    const t = table(cols, [
      pv('33f94fdb-9e17-4ee6-a2e7-0b10d88699e3', 'www-web-2', '91m'),
      pv('bb53c1eb-de59-477f-b82e-606cdfe234ba', 'www-web-0', '92m'),
      pv('e8ea7850-58da-460f-9fb2-315627708cc3', 'www-web-1', '91m'),
    ]);
    expect(renderTables({ table: t, kind: 'PersistentVolume', clusterScoped: true })).toBe(
      'NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM               STORAGECLASS   REASON   AGE\n' +
        'pvc-33f94fdb-9e17-4ee6-a2e7-0b10d88699e3   1Gi        RWO            Delete           Bound    default/www-web-2   standard                91m\n' +
        'pvc-bb53c1eb-de59-477f-b82e-606cdfe234ba   1Gi        RWO            Delete           Bound    default/www-web-0   standard                92m\n' +
        'pvc-e8ea7850-58da-460f-9fb2-315627708cc3   1Gi        RWO            Delete           Bound    default/www-web-1   standard                91m\n',
    );
  });
});

describe('kubectl get all', () => {
  const ksPod = (name: string, ip: string, node: string, age: string) => pod(name, '1/1', 'Running', 0, age, {}, ip, node, 'kube-system');
  const sections = (): TableSection[] => [
    {
      kind: 'Pod',
      table: table(POD_COLS, [
        ksPod('coredns-7db6d8ff4d-792wd', '192.168.219.65', 'master', '20m'),
        ksPod('coredns-7db6d8ff4d-nvxsf', '192.168.219.68', 'master', '20m'),
        ksPod('etcd-master', '192.168.1.1', 'master', '20m'),
        ksPod('kube-apiserver-master', '192.168.1.1', 'master', '20m'),
        ksPod('kube-controller-manager-master', '192.168.1.1', 'master', '20m'),
        ksPod('kube-proxy-9l64r', '192.168.1.1', 'master', '20m'),
        ksPod('kube-proxy-svnvd', '***.***.***.**', 'worker2', '17m'),
        ksPod('kube-proxy-zfvgt', '***.***.***.**', 'worker1', '19m'),
        ksPod('kube-scheduler-master', '192.168.1.1', 'master', '20m'),
      ]),
    },
    {
      kind: 'Service',
      table: table(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', wide('Selector')], [
        ['kube-dns', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP,9153/TCP', '20m', 'k8s-app=kube-dns'],
      ]),
    },
    {
      kind: { kind: 'DaemonSet', group: 'apps' },
      table: table(['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', wide('Containers'), wide('Images'), wide('Selector')], [
        ['kube-proxy', 3, 3, 3, 3, 3, 'kubernetes.io/os=linux', '20m', 'kube-proxy', 'registry.k8s.io/kube-proxy:v1.30.2', 'k8s-app=kube-proxy'],
      ]),
    },
    {
      kind: { kind: 'Deployment', group: 'apps' },
      table: table(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', wide('Containers'), wide('Images'), wide('Selector')], [
        ['coredns', '2/2', 2, 2, '20m', 'coredns', 'registry.k8s.io/coredns/coredns:v1.11.1', 'k8s-app=kube-dns'],
      ]),
    },
    {
      kind: 'ReplicaSet.apps',
      table: table(['Name', 'Desired', 'Current', 'Ready', 'Age', wide('Containers'), wide('Images'), wide('Selector')], [
        ['coredns-7db6d8ff4d', 2, 2, 2, '20m', 'coredns', 'registry.k8s.io/coredns/coredns:v1.11.1', 'k8s-app=kube-dns,pod-template-hash=7db6d8ff4d'],
      ]),
    },
    { kind: { kind: 'StatefulSet', group: 'apps' }, table: table(['Name', 'Ready', 'Age'], []) },
  ];

  it('O08: one block per kind, prefixed names, blank lines between non-empty blocks', () => {
    expect(renderTables(sections(), { wide: true })).toBe(
      block(
        '$ kubectl get all -n kube-system -o wide\nNAME                                 READY   STATUS    RESTARTS   AGE   IP               NODE      NOMINATED NODE   READINESS GATES\npod/coredns-7db6d8ff4d-792wd         1/1     Running   0          20m   192.168.219.65   master    <none>           <none>\npod/coredns-7db6d8ff4d-nvxsf         1/1     Running   0          20m   192.168.219.68   master    <none>           <none>\npod/etcd-master                      1/1     Running   0          20m   192.168.1.1      master    <none>           <none>\npod/kube-apiserver-master            1/1     Running   0          20m   192.168.1.1      master    <none>           <none>\npod/kube-controller-manager-master   1/1     Running   0          20m   192.168.1.1      master    <none>           <none>\npod/kube-proxy-9l64r                 1/1     Running   0          20m   192.168.1.1      master    <none>           <none>\npod/kube-proxy-svnvd                 1/1     Running   0          17m   ***.***.***.**   worker2   <none>           <none>\npod/kube-proxy-zfvgt                 1/1     Running   0          19m   ***.***.***.**   worker1   <none>           <none>\npod/kube-scheduler-master            1/1     Running   0          20m   192.168.1.1      master    <none>           <none>\n\nNAME               TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE   SELECTOR\nservice/kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   20m   k8s-app=kube-dns\n\nNAME                        DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE   CONTAINERS   IMAGES                               SELECTOR\ndaemonset.apps/kube-proxy   3         3         3       3            3           kubernetes.io/os=linux   20m   kube-proxy   registry.k8s.io/kube-proxy:v1.30.2   k8s-app=kube-proxy\n\nNAME                      READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES                                    SELECTOR\ndeployment.apps/coredns   2/2     2            2           20m   coredns      registry.k8s.io/coredns/coredns:v1.11.1   k8s-app=kube-dns\n\nNAME                                 DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES                                    SELECTOR\nreplicaset.apps/coredns-7db6d8ff4d   2         2         2       20m   coredns      registry.k8s.io/coredns/coredns:v1.11.1   k8s-app=kube-dns,pod-template-hash=7db6d8ff4d\n',
      ),
    );
  });

  it('--no-headers drops the blank lines too', () => {
    const out = renderTables(sections().slice(1, 3), { noHeaders: true });
    expect(out).toBe(
      'service/kube-dns   ClusterIP   10.96.0.10   <none>   53/UDP,53/TCP,9153/TCP   20m\ndaemonset.apps/kube-proxy   3     3     3     3     3     kubernetes.io/os=linux   20m\n',
    );
  });

  it('one kind keeps plain names; the same resource twice shares one header (get pod a b)', () => {
    const a = table(POD_COLS, [pod('a', '1/1', 'Running', 0, '1s')]);
    const b = table(POD_COLS, [pod('much-longer-name', '0/1', 'Pending', 0, '2s')]);
    expect(renderTables([{ table: a, kind: 'Pod' }, { table: b, kind: 'Pod' }])).toBe(
      'NAME               READY   STATUS    RESTARTS   AGE\na                  1/1     Running   0          1s\nmuch-longer-name   0/1     Pending   0          2s\n',
    );
  });

  it('only a column with format "name" gets the kind prefix', () => {
    const t = table([{ name: 'Name', format: '' }, 'Age'], [['x', '1s']]);
    expect(renderTables([{ table: t, kind: 'Pod' }, { table: t, kind: 'Service' }])).toBe('NAME   AGE\nx      1s\n\nNAME   AGE\nx      1s\n');
  });

  it('-A adds NAMESPACE to namespaced kinds only', () => {
    const ns = table(['Name', 'Age'], [{ cells: ['web', '1m'], namespace: 'prod' }]);
    const nodes = table(['Name', 'Age'], [{ cells: ['worker1', '1h'], namespace: '' }]);
    expect(renderTables([{ table: ns, kind: 'Pod' }, { table: nodes, kind: 'Node', clusterScoped: true }], { withNamespace: true })).toBe(
      'NAMESPACE   NAME      AGE\nprod        pod/web   1m\n\nNAME           AGE\nnode/worker1   1h\n',
    );
  });
});

describe('--sort-by', () => {
  const full = (name: string, phase: string, restarts: number, cpu?: string) => ({
    cells: [name, '1/1', phase, restarts, '1m', '', '', '<none>', '<none>'],
    object: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: { containers: [{ name: 'c', resources: cpu ? { requests: { cpu } } : {} }] },
      status: { phase, containerStatuses: [{ restartCount: restarts }] },
    },
  });
  const names = (out: string) => out.trim().split('\n').slice(1).map((l) => l.split(' ')[0]);

  it('sorts strings, numbers and quantities; rows missing the field come first', () => {
    const t = table(POD_COLS, [full('c', 'Running', 10, '1'), full('a', 'Pending', 2, '500m'), full('b', 'Failed', 3), full('d', 'Running', 1, '2')]);
    expect(names(renderTables(t, { sortBy: '.metadata.name' }))).toEqual(['a', 'b', 'c', 'd']);
    expect(names(renderTables(t, { sortBy: '{.status.containerStatuses[0].restartCount}' }))).toEqual(['d', 'a', 'b', 'c']);
    expect(names(renderTables(t, { sortBy: 'spec.containers[0].resources.requests.cpu' }))).toEqual(['b', 'a', 'c', 'd']);
  });

  it('ties come out in the order of Go’s sort.Sort, checked against kubectl', () => {
    const images = Array.from({ length: 18 }, (_, i) => ({
      cells: [`pod-${i}`, '1/1', 'Running', 0, '1m', '', '', '<none>', '<none>'],
      object: { metadata: { name: `pod-${i}` }, spec: { containers: [{ image: `nginx:1.${i % 4}` }] } },
    }));
    const out = renderTables(table(POD_COLS, images), { sortBy: '.spec.containers[*].image' });
    expect(names(out)).toEqual(
      [8, 12, 0, 16, 4, 13, 17, 5, 1, 9, 6, 2, 14, 10, 7, 3, 11, 15].map((i) => `pod-${i}`),
    );
  });

  it('a field no row has prints nothing, as kubectl (which then says "No resources found")', () => {
    const t = table(POD_COLS, [full('a', 'Running', 1), full('b', 'Running', 2)]);
    expect(renderTables(t, { sortBy: '.nope' })).toBe('');
  });
});

describe('kubectl get -w', () => {
  const podTable = (...rows: RowSpec[]) => table(['Name', 'Ready', 'Status', 'Restarts', 'Age'], rows);
  const row = (name: string, ready: string, status: string, age: string): RowSpec => ({ cells: [name, ready, status, 0, age] });

  it('3.12: event rows keep the first widths and widen when they must', () => {
    const w = new TableWatchPrinter();
    let out = w.printList(podTable(row('pod-x', '1/1', 'Running', '1s')));
    out += w.printEvent('ADDED', podTable(row('web-z55bgtcwf8-hvhwg', '0/1', 'ContainerCreating', '0s')));
    out += w.printEvent('MODIFIED', { ...podTable(row('web-z55bgtcwf8-hvhwg', '1/1', 'Running', '1s')), columnDefinitions: [] });
    expect(out).toBe(
      'NAME    READY   STATUS    RESTARTS   AGE\npod-x   1/1     Running   0          1s\nweb-z55bgtcwf8-hvhwg   0/1     ContainerCreating   0          0s\nweb-z55bgtcwf8-hvhwg   1/1     Running             0          1s\n',
    );
  });

  it('an empty first list prints no header; the first event does', () => {
    const w = new TableWatchPrinter();
    expect(w.printList(podTable())).toBe('');
    expect(w.printEvent('ADDED', podTable(row('a', '0/1', 'Pending', '0s')))).toBe('NAME   READY   STATUS    RESTARTS   AGE\na      0/1     Pending   0          0s\n');
    expect(w.printEvent('DELETED', podTable(row('a', '0/1', 'Pending', '3s')))).toBe('a      0/1     Pending   0          3s\n');
  });

  it('--output-watch-events adds the EVENT column', () => {
    const w = new TableWatchPrinter({ outputWatchEvents: true });
    const out = w.printList(podTable(row('a', '1/1', 'Running', '1s'))) + w.printEvent('DELETED', podTable(row('a', '1/1', 'Running', '2s')));
    // "DELETED " and "ADDED   " are eight characters wide, as kubectl formats them.
    expect(out).toBe('EVENT      NAME   READY   STATUS    RESTARTS   AGE\nADDED      a      1/1     Running   0          1s\nDELETED    a      1/1     Running   0          2s\n');
  });

  it('an ERROR event’s Status gets its own small table', () => {
    const w = new TableWatchPrinter();
    const status = { kind: 'Status' as const, apiVersion: 'v1' as const, metadata: {}, status: 'Failure' as const, reason: 'Expired', message: 'too old resource version', code: 410 };
    expect(w.printStatus(status)).toBe('STATUS    REASON    MESSAGE\nFailure   Expired   too old resource version\n');
  });
});
