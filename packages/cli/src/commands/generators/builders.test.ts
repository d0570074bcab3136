// The objects the generators build and how they print. Expected YAML is what kubectl 1.32
// prints for the same command with --dry-run=client -o yaml (the source books' outputs O40,
// O43, O44, O51 and O52, plus the fields a modern kubectl adds: creationTimestamp: null,
// resources: {}, strategy: {}, status).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeObject } from '@minik/api';
import { afterAll, describe, expect, it } from 'vitest';
import { buildConfigMap, buildSecret } from './create-data.js';
import { buildDeployment, containerName } from './create-deployment.js';
import { buildNamespace } from './create-namespace.js';
import { buildService, parseTcp, validateService, type ServiceParams } from './create-service.js';
import { buildExposedService, exposeObject, type ExposeOptions } from './expose.js';
import { ObjectPrinter } from './print.js';
import { buildPod, buildRunService, parseEnvs, parsePairs, type PodParams } from './run.js';
import { withApplyAnnotation } from './submit.js';

const yaml = (obj: KubeObject) => new ObjectPrinter('yaml', 'created', 'client').print(obj);
const fixed = () => 'abcde';

const pod = (over: Partial<PodParams> = {}): PodParams => ({
  name: 'nginx',
  image: 'nginx',
  labels: '',
  annotations: [],
  env: [],
  port: '',
  stdin: false,
  leaveStdinOpen: false,
  tty: false,
  restart: 'Always',
  command: false,
  args: [],
  imagePullPolicy: '',
  privileged: false,
  ...over,
});

describe('create deployment', () => {
  it('prints O44 as kubectl 1.32 does', async () => {
    const d = buildDeployment({ name: 'mydeploy', images: ['nginx'], replicas: 2, port: -1, command: [] });
    expect(await yaml(d)).toBe(`apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: mydeploy
  name: mydeploy
spec:
  replicas: 2
  selector:
    matchLabels:
      app: mydeploy
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: mydeploy
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
`);
  });

  it('names containers after the image, sets the port on the first one and the command on all', () => {
    const d = buildDeployment({ name: 'x', images: ['reg:5000/team/my_app.v2:1.0', 'busybox@sha256:abc'], replicas: 1, port: 8080, command: ['date'], namespace: 'ns' }, fixed) as any;
    expect(d.metadata.namespace).toBe('ns');
    expect(d.spec.template.spec.containers).toEqual([
      { name: 'my-app-v2-abcde', image: 'reg:5000/team/my_app.v2:1.0', command: ['date'], ports: [{ containerPort: 8080 }] },
      { name: 'busybox', image: 'busybox@sha256:abc', command: ['date'] },
    ]);
    expect(containerName('nginx:1.25')).toBe('nginx');
  });
});

describe('create service', () => {
  const svc = (over: Partial<ServiceParams>): ServiceParams => ({ name: 'mysvc', type: 'ClusterIP', tcp: [], ...over });

  it('prints O51 as kubectl 1.32 does', async () => {
    expect(await yaml(buildService(svc({ tcp: ['8080:7001'] })))).toBe(`apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: mysvc
  name: mysvc
spec:
  ports:
  - name: 8080-7001
    port: 8080
    protocol: TCP
    targetPort: 7001
  selector:
    app: mysvc
  type: ClusterIP
status:
  loadBalancer: {}
`);
  });

  it('parses --tcp like kubectl', () => {
    expect(parseTcp('80')).toEqual({ port: 80, targetPort: 80 });
    expect(parseTcp('443:https')).toEqual({ port: 443, targetPort: 'https' });
    expect(() => parseTcp('80:70000')).toThrow('must be between 1 and 65535, inclusive');
    expect(() => parseTcp('80:abc_d')).toThrow('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
    expect(() => parseTcp('x')).toThrow('strconv.ParseUint: parsing "x": invalid syntax');
  });

  it('validates type-specific flags', () => {
    expect(() => validateService(svc({}))).toThrow('at least one tcp port specifier must be provided');
    expect(() => validateService(svc({ clusterIP: 'None' }))).not.toThrow();
    expect(() => validateService(svc({ type: 'ExternalName', externalName: 'Foo_bar' }))).toThrow('invalid service external name Foo_bar');
  });

  it('sets nodePort on every port, and headless and external names', async () => {
    const np = buildService(svc({ type: 'NodePort', tcp: ['80'], nodePort: 30001 })) as any;
    expect(np.spec.ports).toEqual([{ name: '80', protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30001 }]);
    expect(await yaml(buildService(svc({ clusterIP: 'None' })))).toContain('spec:\n  clusterIP: None\n  selector:\n    app: mysvc\n  type: ClusterIP\n');
    expect(await yaml(buildService(svc({ type: 'ExternalName', externalName: 'example.com' })))).toContain('  externalName: example.com\n');
  });
});

describe('create namespace', () => {
  it('has an empty spec and status', async () => {
    expect(await yaml(buildNamespace('foo'))).toBe('apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: null\n  name: foo\nspec: {}\nstatus: {}\n');
  });
});

describe('create configmap / secret', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minik-gen-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, data: string | Buffer) => {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, data);
    return p;
  };
  const none = { literals: [], files: [], envFiles: [] };

  it('reads literals, files (text or binary), directories and env files', () => {
    const txt = file('a.txt', 'hello\n');
    const bin = file('bin.dat', Buffer.from([0xff, 0xfe, 0, 0x62]));
    file('d/one', '1');
    file('d/two', '2');
    fs.mkdirSync(path.join(dir, 'd/sub'));
    const env = file('env', '\uFEFF# comment\nA=1\n  B=x=y\r\n\n');
    const cm = buildConfigMap('c', { ...none, literals: ['k=v=w'], files: [txt, `key=${bin}`, path.join(dir, 'd')] }) as any;
    expect(cm.data).toEqual({ 'a.txt': 'hello\n', one: '1', two: '2', k: 'v=w' });
    expect(cm.binaryData).toEqual({ key: '//4AYg==' });
    expect((buildConfigMap('c', { ...none, envFiles: [env] }) as any).data).toEqual({ A: '1', B: 'x=y' });
    const s = buildSecret('s', '', { ...none, literals: ['a=b'], files: [txt] }) as any;
    expect(s.data).toEqual({ a: 'Yg==', 'a.txt': 'aGVsbG8K' });
  });

  it('reports kubectl’s errors', () => {
    expect(() => buildConfigMap('x', { ...none, literals: ['a=1', 'a=2'] })).toThrow('cannot add key "a", another key by that name already exists in Data for ConfigMap "x"');
    expect(() => buildConfigMap('x', { ...none, literals: ['a'] })).toThrow('invalid literal source a, expected key=value');
    expect(() => buildConfigMap('x', { ...none, files: ['/nope'] })).toThrow('error reading /nope: no such file or directory');
    expect(() => buildConfigMap('x', { ...none, files: ['=/nope'] })).toThrow('key name for file path /nope missing');
    expect(() => buildConfigMap('x', { ...none, files: [`k=${dir}`] })).toThrow('cannot give a key name for a directory path');
    expect(() => buildSecret('x', '', { ...none, literals: ['a=1', 'a=2'] })).toThrow('cannot add key a, another key by that name already exists');
    expect(() => buildSecret('x', '', { ...none, envFiles: [dir] })).toThrow('env secret file cannot be a directory');
  });

  it('appends the same hash as kubectl', () => {
    expect(buildConfigMap('x', { ...none, literals: ['a=b'] }, undefined, true).metadata?.name).toBe('x-64686gkt6c');
    expect(buildSecret('s', '', { ...none, literals: ['a=b'] }, undefined, true).metadata?.name).toBe('s-7fd2tm89d8');
    expect(buildSecret('s', 'foo', { ...none, literals: ['a=b'] }, undefined, true).metadata?.name).toBe('s-76gkfd766k');
  });

  it('prints a secret as kubectl does, with --save-config', async () => {
    const s = withApplyAnnotation(buildSecret('s', '', { ...none, literals: ['a=b'] }));
    expect(await yaml(s)).toBe(`apiVersion: v1
data:
  a: Yg==
kind: Secret
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"kind":"Secret","apiVersion":"v1","metadata":{"name":"s","creationTimestamp":null},"data":{"a":"Yg=="}}
  creationTimestamp: null
  name: s
`);
  });
});

describe('run', () => {
  it('prints O40 (with the namespace of -n) and O43 as kubectl 1.32 does', async () => {
    const p = buildPod(pod({ name: 'myapp' }));
    p.metadata = { ...p.metadata, namespace: 'mynamespace' };
    expect(await yaml(p)).toBe(`apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: myapp
  name: myapp
  namespace: mynamespace
spec:
  containers:
  - image: nginx
    name: myapp
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
`);
    expect(await new ObjectPrinter('json', 'created', 'client').print(buildPod(pod()))).toBe(`{
    "kind": "Pod",
    "apiVersion": "v1",
    "metadata": {
        "name": "nginx",
        "creationTimestamp": null,
        "labels": {
            "run": "nginx"
        }
    },
    "spec": {
        "containers": [
            {
                "name": "nginx",
                "image": "nginx",
                "resources": {}
            }
        ],
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst"
    },
    "status": {}
}
`);
  });

  it('maps flags onto the container', () => {
    const p = buildPod(pod({ labels: 'app=web', annotations: ['a=b'], env: ['A=1'], port: '80', stdin: true, tty: true, command: true, args: ['sh'], imagePullPolicy: 'Never', privileged: true })) as any;
    expect(p.metadata).toEqual({ name: 'nginx', labels: { app: 'web' }, annotations: { a: 'b' } });
    expect(p.spec.containers[0]).toEqual({
      name: 'nginx',
      image: 'nginx',
      stdin: true,
      stdinOnce: true,
      tty: true,
      securityContext: { privileged: true },
      command: ['sh'],
      env: [{ name: 'A', value: '1' }],
      imagePullPolicy: 'Never',
      ports: [{ containerPort: 80 }],
    });
    expect(buildPod(pod({ args: ['x'] })).spec).toMatchObject({ containers: [{ args: ['x'] }] });
  });

  it('rejects bad env, annotations and labels with kubectl’s messages', () => {
    expect(() => parseEnvs(['1A=b'])).toThrow('invalid env: 1A=b');
    expect(() => parseEnvs(['A'])).toThrow('invalid env: A');
    expect(() => parsePairs(['foo', '=x'], 'annotations')).toThrow('invalid annotations format: foo, =x');
    expect(() => buildPod(pod({ labels: 'a' }))).toThrow('unexpected label spec: a');
  });

  it('builds the --expose service for the pod labels', () => {
    expect(buildRunService('x', '80', '')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'x' },
      spec: { ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }], selector: { run: 'x' } },
    });
    expect(buildRunService('x', '80', 'app=a').metadata).toEqual({ name: 'x', labels: { app: 'a' } });
  });
});

describe('expose', () => {
  const opts = (over: Partial<ExposeOptions> = {}): ExposeOptions => ({
    name: '',
    defaultName: '',
    selector: '',
    port: '',
    ports: '',
    protocol: '',
    protocols: '',
    labels: '',
    targetPort: '',
    externalIP: '',
    loadBalancerIP: '',
    type: '',
    sessionAffinity: '',
    clusterIP: '',
    ...over,
  });
  const deploy = (ports: object[], extra: object = {}): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'webapp', labels: { app: 'webapp' } },
    spec: { selector: { matchLabels: { app: 'webapp' }, ...extra }, template: { spec: { containers: [{ name: 'c', image: 'nginx', ports }] } } },
  });

  it('prints O52 as kubectl 1.32 does', async () => {
    const svc = exposeObject(deploy([]), opts({ type: 'ClusterIP', name: 'mysvc', port: '8080' }));
    expect(await yaml(svc)).toBe(`apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: webapp
  name: mysvc
spec:
  ports:
  - port: 8080
    protocol: TCP
    targetPort: 8080
  selector:
    app: webapp
  type: ClusterIP
status:
  loadBalancer: {}
`);
  });

  it('takes every container port, one service port per protocol', () => {
    const svc = exposeObject(deploy([{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }, { containerPort: 53, protocol: 'TCP' }]), opts()) as any;
    expect(svc.spec.ports).toEqual([
      { name: 'port-1', port: 80, protocol: 'TCP', targetPort: 80 },
      { name: 'port-2-udp', port: 53, protocol: 'UDP', targetPort: 53 },
      { name: 'port-2-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
    ]);
  });

  it('fails as kubectl does when it cannot find a selector or a port', () => {
    expect(() => exposeObject(deploy([]), opts())).toThrow("couldn't find port via --port flag or introspection");
    expect(() => exposeObject(deploy([{ containerPort: 80 }], { matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] }), opts())).toThrow(
      `couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions - "[{Key:app Operator:In Values:[a b]}]" to map-based selector format`,
    );
    const bare: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } };
    expect(() => exposeObject(bare, opts())).toThrow("couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed");
    expect(() => exposeObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, opts())).toThrow('cannot expose a ConfigMap');
    expect(() => exposeObject({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' } }, opts())).toThrow('cannot expose a StatefulSet.apps');
  });

  it('applies the remaining flags', () => {
    const svc = buildExposedService(
      opts({ defaultName: 'web', selector: 'app=web', port: '80', protocol: 'UDP', targetPort: 'http', externalIP: '1.2.3.4', type: 'LoadBalancer', sessionAffinity: 'ClientIP', clusterIP: 'None', labels: 'x=y' }),
    );
    expect(svc).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', labels: { x: 'y' } },
      spec: {
        selector: { app: 'web' },
        ports: [{ name: '', port: 80, protocol: 'UDP', targetPort: 'http' }],
        externalIPs: ['1.2.3.4'],
        type: 'LoadBalancer',
        loadBalancerIP: '',
        sessionAffinity: 'ClientIP',
        clusterIP: 'None',
      },
    });
    expect(() => buildExposedService(opts({ defaultName: 'w', selector: 'a=b', sessionAffinity: 'foo' }))).toThrow('unknown session affinity: foo');
  });
});

describe('printing', () => {
  const d = buildDeployment({ name: 'x', images: ['nginx'], replicas: 1, port: -1, command: [] });

  it('prints kubectl’s messages and names', async () => {
    expect(await new ObjectPrinter(undefined, 'created', 'client').print(d)).toBe('deployment.apps/x created (dry run)\n');
    expect(await new ObjectPrinter(undefined, 'exposed', 'server').print(d)).toBe('deployment.apps/x exposed (server dry run)\n');
    expect(await new ObjectPrinter('name', 'created', 'none').print(d)).toBe('deployment.apps/x\n');
    expect(await new ObjectPrinter('jsonpath={.spec.template.metadata}', 'created', 'client').print(d)).toBe('{"creationTimestamp":null,"labels":{"app":"x"}}');
  });

  it('separates YAML documents and rejects table formats', async () => {
    const p = new ObjectPrinter('yaml', 'created', 'client');
    await p.print(d);
    expect(await p.print(d)).toMatch(/^---\napiVersion: apps\/v1\n/);
    expect(() => new ObjectPrinter('wide', 'created', 'client')).toThrow(
      'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml',
    );
  });
});
