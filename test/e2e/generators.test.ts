// Generator verbs against a real cluster: `create namespace|deployment|service|configmap|secret`,
// `run` and `expose`, their messages, errors and the objects they make. Expected dry-run YAML is
// what kubectl 1.32 prints (the source books' O40/O43/O44/O51/O52 with the fields a modern
// kubectl adds); when the installed kubectl is 1.32, minik is also compared with it byte for byte.
import { spawnSync } from 'node:child_process';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Env, type RunResult } from './harness.js';

const env = new Env();

beforeAll(async () => {
  await env.ok(['start', '--port', '0']);
});
afterAll(() => env.cleanup());

const json = async (...args: string[]) => JSON.parse(await env.ok(['get', ...args, '-o', 'json']));

function expectFailure(r: RunResult, stderr: string, stdout = ''): void {
  expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 1, stdout, stderr });
}

describe('create namespace', () => {
  it('creates it, and reports an existing one as kubectl does', async () => {
    expect(await env.ok(['create', 'namespace', 'team-a'])).toBe('namespace/team-a created\n');
    expect((await json('ns', 'team-a')).status.phase).toBe('Active');
    expectFailure(await env.minik(['create', 'ns', 'team-a']), 'Error from server (AlreadyExists): namespaces "team-a" already exists\n');
    expectFailure(await env.minik(['create', 'ns']), "error: exactly one NAME is required, got 0\nSee 'minik create namespace -h' for help and examples\n");
  });
});

describe('create deployment', () => {
  it('prints O44 with --dry-run=client -o yaml and creates nothing', async () => {
    expect(await env.ok(['create', 'deploy', 'mydeploy', '--image=nginx', '--replicas=2', '--dry-run=client', '-o', 'yaml'])).toBe(`apiVersion: apps/v1
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
    expect((await env.minik(['get', 'deploy', 'mydeploy'])).code).toBe(1);
  });

  it('creates the deployment with its selector, template and port', async () => {
    expect(await env.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2', '--port=80'])).toBe('deployment.apps/web created\n');
    const d = await json('deploy', 'web');
    expect(d.metadata.labels).toEqual({ app: 'web' });
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'web' });
    expect(d.spec.template.spec.containers).toMatchObject([{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] }]);
    // The empty `strategy: {}` kubectl sends is defaulted by the server.
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
  });

  it('passes a command after --, and reports kubectl’s errors', async () => {
    const out = await env.ok(['create', 'deployment', 'cmd', '--image=busybox', '--', 'sleep', '3600']);
    expect(out).toBe('deployment.apps/cmd created\n');
    expect((await json('deploy', 'cmd')).spec.template.spec.containers[0].command).toEqual(['sleep', '3600']);
    expectFailure(await env.minik(['create', 'deployment', 'web', '--image=nginx']), 'error: failed to create deployment: deployments.apps "web" already exists\n');
    expectFailure(await env.minik(['create', 'deployment', 'x']), 'error: required flag(s) "image" not set\n');
    expectFailure(await env.minik(['create', 'deployment', 'x', '--image=a', '--image=b', '--', 'date']), 'error: cannot specify multiple --image options and command\n');
    expectFailure(
      await env.minik(['create', 'deployment', 'x', '--image=nginx', '-r', 'abc']),
      `Error: invalid argument "abc" for "-r, --replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax\nSee 'minik create deployment --help' for usage.\n`,
    );
  });

  it('server dry run, -o name and -o json (Go field order)', async () => {
    expect(await env.ok(['create', 'deployment', 'dry', '--image=nginx', '--dry-run=server'])).toBe('deployment.apps/dry created (server dry run)\n');
    expect((await env.minik(['get', 'deploy', 'dry'])).code).toBe(1);
    expect(await env.ok(['create', 'deployment', 'named', '--image=nginx', '-o', 'name'])).toBe('deployment.apps/named\n');
    const out = await env.ok(['create', 'deployment', 'js', '--image=nginx', '-o', 'json']);
    expect(out.startsWith('{\n    "kind": "Deployment",\n    "apiVersion": "apps/v1",\n    "metadata": {\n        "name": "js",\n        "namespace": "default",\n')).toBe(true);
  });
});

describe('create service', () => {
  it('prints O51 with --dry-run=client -o yaml', async () => {
    expect(await env.ok(['create', 'svc', 'clusterip', 'mysvc', '--tcp=8080:7001', '--dry-run=client', '-o', 'yaml'])).toBe(`apiVersion: v1
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

  it('creates clusterip, headless, nodeport, loadbalancer and externalname services', async () => {
    expect(await env.ok(['create', 'service', 'clusterip', 'backend', '--tcp=80:8080'])).toBe('service/backend created\n');
    const cip = await json('svc', 'backend');
    expect(cip.spec).toMatchObject({ type: 'ClusterIP', selector: { app: 'backend' }, ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }] });
    expect(cip.spec.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await env.ok(['create', 'svc', 'clusterip', 'headless', '--clusterip=None'])).toBe('service/headless created\n');
    expect((await json('svc', 'headless')).spec.clusterIP).toBe('None');
    expect(await env.ok(['create', 'svc', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30123'])).toBe('service/np created\n');
    expect((await json('svc', 'np')).spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080, nodePort: 30123 });
    expect(await env.ok(['create', 'svc', 'loadbalancer', 'lb', '--tcp=443'])).toBe('service/lb created\n');
    expect((await json('svc', 'lb')).spec.type).toBe('LoadBalancer');
    expect(await env.ok(['create', 'svc', 'externalname', 'ext', '--external-name=example.com'])).toBe('service/ext created\n');
    expect((await json('svc', 'ext')).spec).toMatchObject({ type: 'ExternalName', externalName: 'example.com' });
  });

  it('reports kubectl’s errors', async () => {
    expectFailure(await env.minik(['create', 'svc', 'nodeport', 'np', '--tcp=80']), 'error: failed to create NodePort service: services "np" already exists\n');
    expectFailure(await env.minik(['create', 'svc', 'clusterip', 'x']), 'error: at least one tcp port specifier must be provided\n');
    expectFailure(await env.minik(['create', 'svc', 'clusterip', 'x', '--tcp=80:70000']), 'error: must be between 1 and 65535, inclusive\n');
    expectFailure(await env.minik(['create', 'svc', 'externalname', 'x', '--external-name=Foo_bar']), 'error: invalid service external name Foo_bar\n');
    expectFailure(await env.minik(['create', 'svc', 'foo', 'x']), `error: unknown command "foo x"\nSee 'minik create service -h' for help and examples\n`);
  });
});

describe('create configmap and secret', () => {
  it('builds data from literals, files and env files', async () => {
    env.write('cfg/app.properties', 'color=blue\n');
    env.write('cfg/app.env', '# settings\nMODE=prod\nLEVEL=3\n');
    const cwd = env.path('cfg');
    expect(await env.ok(['create', 'configmap', 'app', '--from-literal=greeting=hello world', '--from-file=app.properties', '--from-file=conf=app.properties'], { cwd })).toBe(
      'configmap/app created\n',
    );
    expect((await json('cm', 'app')).data).toEqual({ greeting: 'hello world', 'app.properties': 'color=blue\n', conf: 'color=blue\n' });
    expect(await env.ok(['create', 'cm', 'envcm', '--from-env-file=app.env'], { cwd })).toBe('configmap/envcm created\n');
    expect((await json('cm', 'envcm')).data).toEqual({ MODE: 'prod', LEVEL: '3' });
    expectFailure(await env.minik(['create', 'cm', 'bad', '--from-literal=a']), 'error: invalid literal source a, expected key=value\n');
    expectFailure(await env.minik(['create', 'cm', 'app', '--from-literal=a=b']), 'error: failed to create configmap: configmaps "app" already exists\n');
  });

  it('stores secret values base64-encoded, Opaque by default', async () => {
    expect(await env.ok(['create', 'secret', 'generic', 'db', '--from-literal=user=admin', '--from-literal=password=s3cr=t'])).toBe('secret/db created\n');
    const s = await json('secret', 'db');
    expect(s.type).toBe('Opaque');
    expect(s.data).toEqual({ user: 'YWRtaW4=', password: Buffer.from('s3cr=t').toString('base64') });
    expect(await env.ok(['create', 'secret', 'generic', 'typed', '--from-literal=a=b', '--type=example.com/custom'])).toBe('secret/typed created\n');
    expect((await json('secret', 'typed')).type).toBe('example.com/custom');
    expectFailure(await env.minik(['create', 'secret', 'generic', 'db', '--from-literal=a=b']), 'error: failed to create secret secrets "db" already exists\n');
  });

  it('--append-hash and --save-config', async () => {
    expect(await env.ok(['create', 'cm', 'x', '--from-literal=a=b', '--append-hash'])).toBe('configmap/x-64686gkt6c created\n');
    await env.ok(['create', 'cm', 'saved', '--from-literal=a=b', '--save-config']);
    const cm = await json('cm', 'saved');
    expect(cm.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe(
      '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"saved","creationTimestamp":null},"data":{"a":"b"}}\n',
    );
    // The annotation makes a later apply a three-way merge, as with kubectl.
    env.write('saved.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: saved\ndata:\n  a: c\n');
    expect(await env.ok(['apply', '-f', 'saved.yaml'])).toBe('configmap/saved configured\n');
  });
});

describe('run', () => {
  it('prints O40 and O43 with --dry-run=client -o yaml', async () => {
    const pod = (name: string, ns = '') => `apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: ${name}
  name: ${name}
${ns}spec:
  containers:
  - image: nginx
    name: ${name}
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
`;
    expect(await env.ok(['run', '-n', 'mynamespace', 'myapp', '--image', 'nginx', '--dry-run=client', '-o', 'yaml'])).toBe(pod('myapp', '  namespace: mynamespace\n'));
    expect(await env.ok(['run', 'nginx', '--image=nginx', '--dry-run=client', '-o', 'yaml'])).toBe(pod('nginx'));
  });

  it('creates a bare pod labelled run=NAME that stays Pending without nodes', async () => {
    expect(await env.ok(['run', 'nginx', '--image=nginx'])).toBe('pod/nginx created\n');
    const p = await json('pod', 'nginx');
    expect(p.metadata.labels).toEqual({ run: 'nginx' });
    expect(p.metadata.ownerReferences).toBeUndefined();
    expect(p.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', containers: [{ name: 'nginx', image: 'nginx' }] });
    expect(p.status.phase).toBe('Pending');
    expectFailure(await env.minik(['run', 'nginx', '--image=nginx']), 'Error from server (AlreadyExists): pods "nginx" already exists\n');
  });

  it('maps env, labels, restart policy, command and args', async () => {
    const args = ['run', 'tool', '--image=busybox', '--env=A=1', '--labels=app=tool,tier=x', '--restart=Never', '--port=8080', '--command', '--', 'sh', '-c', 'echo hi'];
    expect(await env.ok(args)).toBe('pod/tool created\n');
    const p = await json('pod', 'tool');
    expect(p.metadata.labels).toEqual({ app: 'tool', tier: 'x' });
    expect(p.spec.restartPolicy).toBe('Never');
    expect(p.spec.containers[0]).toMatchObject({ command: ['sh', '-c', 'echo hi'], env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 8080 }] });
    await env.ok(['run', 'argsonly', '--image=busybox', '--', 'sleep', '10']);
    expect((await json('pod', 'argsonly')).spec.containers[0].args).toEqual(['sleep', '10']);
  });

  it('--expose creates a service for the pod and prints both', async () => {
    expect(await env.ok(['run', 'exp', '--image=nginx', '--port=80', '--expose'])).toBe('service/exp created\npod/exp created\n');
    expect((await json('svc', 'exp')).spec).toMatchObject({ selector: { run: 'exp' }, ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }], type: 'ClusterIP' });
  });

  it('-it --rm: the pod never runs (no nodes), so it times out and is deleted', async () => {
    const r = await env.minik(['run', '-i', '--tty', '--rm', 'debug', '--image=alpine', '--pod-running-timeout=2s', '--', 'sh']);
    expectFailure(r, 'error: timed out waiting for the condition\n', 'pod "debug" deleted\n');
    const gone = await env.minik(['get', 'pod', 'debug']);
    // Deleted at once, or Terminating for its grace period.
    if (gone.code === 0) expect((await json('pod', 'debug')).metadata.deletionTimestamp).toBeTruthy();
    else expect(gone.stderr).toBe('Error from server (NotFound): pods "debug" not found\n');
  });

  it('--attach without --rm leaves the pod', async () => {
    const r = await env.minik(['run', 'att', '--image=alpine', '--attach', '--pod-running-timeout=1s']);
    expectFailure(r, 'error: timed out waiting for the condition\n');
    expect((await json('pod', 'att')).status.phase).toBe('Pending');
  });

  it('reports kubectl’s usage errors', async () => {
    const usage = (msg: string) => `error: ${msg}\nSee 'minik run -h' for help and examples\n`;
    expectFailure(await env.minik(['run', '--image=nginx']), usage('NAME is required for run'));
    expectFailure(await env.minik(['run', 'x', '--image=nginx', '-t']), usage('-i/--stdin is required for containers with -t/--tty=true'));
    expectFailure(await env.minik(['run', 'x', '--image=nginx', '--rm']), usage('--rm should only be used for attached containers'));
    expectFailure(await env.minik(['run', 'x', '--image=nginx', '-i', '--dry-run=client']), usage("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)"));
    expectFailure(await env.minik(['run', 'x', '--image=nginx', '--restart=Sometimes']), usage('invalid restart policy: Sometimes'));
    expectFailure(await env.minik(['run', 'x', '--image=Nginx']), 'error: Invalid image name "Nginx": invalid reference format\n');
    expectFailure(await env.minik(['run', 'x', '--image=nginx', '--env=A']), 'error: invalid env: A\n');
  });
});

describe('expose', () => {
  beforeAll(async () => {
    env.write(
      'webapp.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: webapp
  labels:
    app: webapp
spec:
  selector:
    matchLabels:
      app: webapp
  template:
    metadata:
      labels:
        app: webapp
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 8080
          name: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: noports
spec:
  selector:
    matchLabels:
      app: noports
  template:
    metadata:
      labels:
        app: noports
    spec:
      containers:
      - name: c
        image: nginx
`,
    );
    await env.ok(['apply', '-f', 'webapp.yaml']);
  });

  it('prints O52 with --dry-run=client -o yaml', async () => {
    expect(await env.ok(['expose', 'deploy', 'webapp', '--type', 'ClusterIP', '--name', 'mysvc', '--port', '8080', '--dry-run=client', '-o', 'yaml'])).toBe(`apiVersion: v1
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

  it('exposes a deployment with the ports of its containers', async () => {
    expect(await env.ok(['expose', 'deployment', 'webapp'])).toBe('service/webapp exposed\n');
    const svc = await json('svc', 'webapp');
    expect(svc.metadata.labels).toEqual({ app: 'webapp' });
    expect(svc.spec).toMatchObject({ selector: { app: 'webapp' }, ports: [{ port: 8080, targetPort: 8080, protocol: 'TCP' }], type: 'ClusterIP' });
  });

  it('exposes as NodePort with a named target port, and a pod by its labels', async () => {
    expect(await env.ok(['expose', 'deployment', 'webapp', '--name=webnp', '--port=80', '--target-port=http', '--type=NodePort'])).toBe('service/webnp exposed\n');
    const np = await json('svc', 'webnp');
    expect(np.spec.ports[0]).toMatchObject({ port: 80, targetPort: 'http' });
    expect(np.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    await env.ok(['run', 'hello-pod', '--image=nginx', '--port=8080', '--labels=app=hello']);
    expect(await env.ok(['expose', 'pod', 'hello-pod', '--name=hello-svc', '--target-port=8080', '--type=NodePort'])).toBe('service/hello-svc exposed\n');
    expect((await json('svc', 'hello-svc')).spec).toMatchObject({ selector: { app: 'hello' }, ports: [{ port: 8080, targetPort: 8080 }] });
  });

  it('reports kubectl’s errors', async () => {
    expectFailure(await env.minik(['expose', 'deploy', 'noports']), "error: couldn't find port via --port flag or introspection\n");
    expectFailure(await env.minik(['expose', 'deploy', 'nope']), 'Error from server (NotFound): deployments.apps "nope" not found\n');
    expectFailure(await env.minik(['expose', 'cm', 'app']), 'error: cannot expose a ConfigMap\n');
    expectFailure(await env.minik(['expose', 'deploy', 'webapp']), 'Error from server (AlreadyExists): services "webapp" already exists\n');
    expectFailure(await env.minik(['expose', 'deploy']), 'error: resource(s) were provided, but no name was specified\n');
  });
});

// The installed kubectl, when it is the version the expectations come from, must agree byte for byte.
const kubectlVersion = (() => {
  const r = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  try {
    return JSON.parse(r.stdout).clientVersion.gitVersion as string;
  } catch {
    return undefined;
  }
})();

const COMPARED = [
  ['create', 'deployment', 'x', '--image=busybox:1.36', '--image=nginx', '--port=8080', '-r', '3', '--dry-run=client', '-o', 'json'],
  ['create', 'deployment', 'x', '--image=nginx', '--save-config', '-n', 'team-a', '--dry-run=client', '-o', 'yaml'],
  ['create', 'ns', 'foo', '--dry-run=client', '-o', 'json'],
  ['create', 'svc', 'nodeport', 'x', '--tcp=80,443:https', '--node-port=30001', '--dry-run=client', '-o', 'yaml'],
  ['create', 'svc', 'externalname', 'x', '--external-name=example.com', '--dry-run=client', '-o', 'json'],
  ['create', 'configmap', 'x', '--from-literal=a=<b>&', '--save-config', '--dry-run=client', '-o', 'json'],
  ['create', 'secret', 'generic', 's', '--from-literal=a=b', '--append-hash', '--dry-run=client', '-o', 'yaml'],
  ['run', 'x', '--image=nginx', '--port=80', '--expose', '--labels=app=x', '--dry-run=client', '-o', 'yaml'],
  ['run', 'x', '--image=nginx', '--env=A=1', '--annotations=a=b', '--privileged', '--dry-run=client', '-o', 'json', '--', 'a', 'b'],
  ['run', 'x', '--image=nginx', '--overrides={"spec":{"nodeName":"n1"}}', '--dry-run=client', '-o', 'yaml'],
  ['run', 'x', '--image=nginx', '--dry-run=client', '-o', 'wide'],
  ['expose', 'deploy', 'webapp', '--port=80', '--protocol=UDP', '--external-ip=1.2.3.4', '--labels=x=y', '--dry-run=client', '-o', 'json'],
  ['expose', 'deploy', 'webapp', '--cluster-ip=None', '--session-affinity=ClientIP', '--dry-run=client', '-o', 'yaml'],
  ['expose', 'deploy', 'noports'],
  ['expose', 'pod', 'hello-pod', '--dry-run=client', '-o', 'name'],
];

describe.skipIf(!kubectlVersion?.startsWith('v1.32.'))('same output as kubectl 1.32', () => {
  it.each(COMPARED.map((args) => [args.join(' '), args] as const))('%s', async (_name, args) => {
    const [mine, theirs] = [await env.minik(args), await env.kubectl(args)];
    expect({ code: mine.code, stdout: mine.stdout, stderr: mine.stderr }).toEqual({ code: theirs.code, stdout: theirs.stdout, stderr: theirs.stderr });
  });
});
