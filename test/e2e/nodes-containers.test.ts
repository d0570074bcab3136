// Nodes and real containers: `minik start --nodes 3`, node agents running pods as Docker
// containers (sandbox + init + app containers), restart policy and back-off, image errors,
// stop/start restoring pods, node add/rm, and delete leaving nothing behind.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Env } from './harness.js';

const env = new Env();
const cluster = `e2e${process.pid}`;
const on = (args: string[]) => [...args, '--name', cluster];

function docker(args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' });
}

/** The cluster's unique id and Docker network, from its state (kept after delete for the checks). */
let ids: { id: string; network: string } | undefined;
function clusterIds(): { id: string; network: string } {
  ids ??= JSON.parse(readFileSync(env.path('minik', cluster, 'cluster.json'), 'utf8'));
  return ids!;
}

function clusterContainers(): string[] {
  return docker(['ps', '-a', '--filter', `label=io.minik.cluster=${clusterIds().id}`, '--format', '{{.Names}} {{.State}}']).split('\n').filter(Boolean);
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const pod = (name: string, node: string, spec: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: ${node}
${spec}`;

async function podJson(name: string) {
  return JSON.parse(await env.ok(['get', 'pod', name, '-o', 'json']));
}

beforeAll(async () => {
  docker(['image', 'inspect', 'local/busybox:1.35']);
  const r = await env.minik(on(['start', '--port', '0', '--nodes', '3']));
  expect(r.code, r.stderr).toBe(0);
  clusterIds();
  // `--name` clusters get a `minik-<name>` context.
  expect(r.stderr).toContain(`kubectl context set to "minik-${cluster}"`);
}, 120_000);
afterAll(async () => {
  await env.minik(on(['delete']));
  await env.cleanup();
});

describe('nodes', () => {
  it('registers master (control-plane, tainted) and two workers, Ready, as the book shows', async () => {
    const out = await env.ok(['get', 'nodes']);
    const rows = out.trim().split('\n').map((l) => l.split(/\s{2,}/));
    expect(rows[0]).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2]])).toEqual([
      ['master', 'Ready', 'control-plane'],
      ['worker1', 'Ready', '<none>'],
      ['worker2', 'Ready', '<none>'],
    ]);
    const master = JSON.parse(await env.ok(['get', 'node', 'master', '-o', 'json']));
    expect(master.spec.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    const cidrs = await env.ok(['get', 'nodes', '-o', 'jsonpath={.items[*].spec.podCIDR}']);
    expect(cidrs.split(' ')).toHaveLength(3);
    expect(new Set(cidrs.split(' ')).size).toBe(3);
    const info = master.status.nodeInfo;
    expect(info.containerRuntimeVersion).toMatch(/^docker:\/\/\d+\./);
    expect(master.status.capacity.pods).toBe('110');
    const leases = await env.ok(['get', 'leases', '-n', 'kube-node-lease', '-o', 'name']);
    expect(leases).toBe('lease.coordination.k8s.io/master\nlease.coordination.k8s.io/worker1\nlease.coordination.k8s.io/worker2\n');
  });

  it('rejects --nodes 0 and a duplicate node name', async () => {
    const zero = await env.minik(['start', '--name', 'zero-nodes', '--nodes', '0']);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toBe('error: --nodes must be at least 1 (got 0)\n');
    const dup = await env.minik(on(['node', 'add', 'worker1']));
    expect(dup.code).toBe(1);
    expect(dup.stderr).toBe(`error: node "worker1" already exists in cluster "${cluster}"\n`);
  });
});

describe('pods become containers', () => {
  it('runs init containers, shares volumes and the pod IP, injects env', async () => {
    env.write('web.yaml', `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  greeting: hello
---
${pod('web', 'worker1', `  initContainers:
  - name: init
    image: local/busybox:1.35
    command: ["sh", "-c", "echo \\"$GREETING from $POD_NAME on $NODE\\" > /work/index.html"]
    env:
    - name: GREETING
      valueFrom:
        configMapKeyRef: {name: settings, key: greeting}
    - name: POD_NAME
      valueFrom:
        fieldRef: {fieldPath: metadata.name}
    - name: NODE
      valueFrom:
        fieldRef: {fieldPath: spec.nodeName}
    volumeMounts:
    - {name: work, mountPath: /work}
  containers:
  - name: web
    image: local/busybox:1.35
    command: ["httpd", "-f", "-p", "8080", "-h", "/work"]
    volumeMounts:
    - {name: work, mountPath: /work}
  volumes:
  - name: work
    emptyDir: {}`)}`);
    await env.ok(['apply', '-f', 'web.yaml']);
    const p = await waitFor('web Running', async () => {
      const j = await podJson('web');
      return j.status.phase === 'Running' && j.status.containerStatuses?.[0]?.ready ? j : undefined;
    });
    expect(p.status.podIP).toMatch(/^10\.\d+\.1\.\d+$/);
    expect(p.status.hostIP).toMatch(/^10\.\d+\.1\.1$/);
    expect(p.status.initContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(p.status.containerStatuses[0].containerID).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
    const row = (await env.ok(['get', 'pod', 'web', '-o', 'wide'])).split('\n')[1];
    expect(row).toMatch(new RegExp(`^web\\s+1/1\\s+Running\\s+0\\s+\\d+s\\s+${p.status.podIP.replace(/\./g, '\\.')}\\s+worker1\\s+<none>\\s+<none>$`));
    const net = clusterIds().network;
    const page = docker(['run', '--rm', '--network', net, 'local/busybox:1.35', 'wget', '-qO-', `http://${p.status.podIP}:8080/`]);
    expect(page).toBe('hello from web on worker1\n');
    const names = clusterContainers().map((c) => c.split(' ')[0]);
    expect(names.filter((n) => n.includes('_web_')).length).toBeGreaterThan(0);
    // web has an init container, so it has a sandbox holding the pod IP.
    expect(names.some((n) => n.includes('_POD_web_'))).toBe(true);
    const events = await env.ok(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.reason}{" "}{end}']);
    for (const r of ['Pulled', 'Created', 'Started']) expect(events).toContain(r);
  });

  it('a container that exits at once goes into CrashLoopBackOff with growing back-off', async () => {
    env.write('crash.yaml', pod('crash', 'worker2', `  containers:
  - name: c
    image: local/busybox:1.35
    command: ["sh", "-c", "exit 3"]`));
    await env.ok(['apply', '-f', 'crash.yaml']);
    const p = await waitFor('CrashLoopBackOff', async () => {
      const j = await podJson('crash');
      const st = j.status.containerStatuses?.[0];
      return st?.state?.waiting?.reason === 'CrashLoopBackOff' ? j : undefined;
    });
    const st = p.status.containerStatuses[0];
    expect(st.restartCount).toBeGreaterThanOrEqual(1);
    expect(st.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(st.state.waiting.message).toMatch(/^back-off 10s restarting failed container=c pod=crash_default\(/);
    expect((await env.ok(['get', 'pod', 'crash'])).split('\n')[1]).toMatch(/^crash\s+0\/1\s+CrashLoopBackOff\s+\d+ \(\d+s ago\)/);
  });

  it('an unknown image gives ErrImagePull then ImagePullBackOff, in status and events', async () => {
    env.write('noimg.yaml', pod('noimg', 'worker1', `  containers:
  - name: c
    image: minik-test/does-not-exist:1.0`));
    await env.ok(['apply', '-f', 'noimg.yaml']);
    const reason = await waitFor('image pull failure', async () => {
      const r = (await podJson('noimg')).status.containerStatuses?.[0]?.state?.waiting?.reason;
      return r === 'ErrImagePull' || r === 'ImagePullBackOff' ? r : undefined;
    });
    expect(['ErrImagePull', 'ImagePullBackOff']).toContain(reason);
    const events = await env.ok(['get', 'events', '--field-selector', 'involvedObject.name=noimg', '-o', 'jsonpath={range .items[*]}{.reason}:{.message}{"\\n"}{end}']);
    expect(events).toMatch(/^Failed:Failed to pull image "minik-test\/does-not-exist:1.0": /m);
  });

  it('restartPolicy Never and OnFailure end as Completed / Error', async () => {
    env.write('jobs.yaml', `${pod('done', 'worker1', `  restartPolicy: Never
  containers:
  - name: c
    image: local/busybox:1.35
    command: ["sh", "-c", "echo done"]`)}
---
${pod('fails', 'worker2', `  restartPolicy: Never
  containers:
  - name: c
    image: local/busybox:1.35
    command: ["sh", "-c", "exit 1"]`)}`);
    await env.ok(['apply', '-f', 'jobs.yaml']);
    await waitFor('phases', async () => {
      const out = await env.ok(['get', 'pods', 'done', 'fails', '-o', 'jsonpath={.items[*].status.phase}']);
      return out === 'Succeeded Failed' ? out : undefined;
    });
    const table = await env.ok(['get', 'pods', 'done', 'fails']);
    expect(table).toMatch(/^done\s+0\/1\s+Completed\s+0\s/m);
    expect(table).toMatch(/^fails\s+0\/1\s+Error\s+0\s/m);
  });

  it('deleting a pod stops its containers and removes them', async () => {
    const r = await env.minik(['delete', 'pod', 'crash', 'noimg', 'done', 'fails']);
    expect(r.code).toBe(0);
    expect(clusterContainers().filter((c) => /_(crash|noimg|done|fails)_/.test(c))).toEqual([]);
  });
});

describe('more of the pod spec', () => {
  it('containers of a pod share localhost; limits become cgroup limits; configMap and secret volumes', async () => {
    env.write('multi.yaml', `apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  password: s3cret
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: files
data:
  app.conf: "mode=test"
---
${pod('multi', 'worker2', `  containers:
  - name: server
    image: local/busybox:1.35
    command: ["httpd", "-f", "-p", "9090", "-h", "/etc/files"]
    resources:
      limits: {memory: 64Mi, cpu: 500m}
      requests: {cpu: 250m}
    volumeMounts:
    - {name: files, mountPath: /etc/files}
  - name: client
    image: local/busybox:1.35
    command: ["sh", "-c", "cat /etc/creds/password; echo; while true; do sleep 3600; done"]
    volumeMounts:
    - {name: creds, mountPath: /etc/creds, readOnly: true}
  volumes:
  - name: files
    configMap: {name: files}
  - name: creds
    secret: {secretName: creds}`)}`);
    await env.ok(['apply', '-f', 'multi.yaml']);
    await waitFor('multi ready', async () => {
      const j = await podJson('multi');
      return j.status.containerStatuses?.every((c: { ready: boolean }) => c.ready) ? j : undefined;
    });
    const ids = clusterContainers().filter((c) => c.includes('_multi_') && c.endsWith('running')).map((c) => c.split(' ')[0]);
    const client = ids.find((n) => n.includes('_client_'))!;
    expect(docker(['exec', client, 'wget', '-qO-', 'http://127.0.0.1:9090/app.conf'])).toBe('mode=test');
    expect(docker(['logs', client]).trim()).toBe('s3cret');
    const server = ids.find((n) => n.includes('_server_'))!;
    const host = JSON.parse(docker(['inspect', server]))[0].HostConfig;
    expect(host.Memory).toBe(64 * 1024 * 1024);
    expect(host.NanoCpus).toBe(500_000_000);
    expect(host.CpuShares).toBe(256);
    await env.ok(['delete', '-f', 'multi.yaml']);
  });

  it('an agent killed with SIGKILL and restarted adopts its containers, and cleans up pods deleted meanwhile', async () => {
    env.write('adopt.yaml', `${pod('keep', 'worker1', `  containers:
  - name: c
    image: local/busybox:1.35
    command: ["sleep", "3600"]`)}
---
${pod('drop', 'worker1', `  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: local/busybox:1.35
    command: ["sleep", "3600"]`)}`);
    await env.ok(['apply', '-f', 'adopt.yaml']);
    await waitFor('both running', async () => {
      const out = await env.ok(['get', 'pods', 'keep', 'drop', '-o', 'jsonpath={.items[*].status.phase}']);
      return out === 'Running Running' ? out : undefined;
    });
    const before = (await podJson('keep')).status.containerStatuses[0].containerID;
    const pidFile = env.path('minik', cluster, 'run', 'node-worker1.pid');
    const { pid } = JSON.parse(readFileSync(pidFile, 'utf8'));
    process.kill(pid, 'SIGKILL');
    // While the agent is down, the pod can only be marked for deletion.
    await env.ok(['delete', 'pod', 'drop', '--wait=false']);
    await env.ok(on(['start']));
    await waitFor('drop finalized', async () => ((await env.minik(['get', 'pod', 'drop'])).code === 1 ? true : undefined));
    const after = await podJson('keep');
    expect(after.status.containerStatuses[0].containerID).toBe(before);
    expect(after.status.containerStatuses[0].restartCount).toBe(0);
    const keepContainers = clusterContainers().filter((c) => c.includes('_keep_'));
    expect(keepContainers).toHaveLength(1); // one container (it holds the pod's network), no duplicate
    expect(clusterContainers().filter((c) => c.includes('_drop_'))).toEqual([]);
    await env.ok(['delete', 'pod', 'keep', '--grace-period=0']);
  });
});

describe('cluster lifecycle with containers', () => {
  it('stop stops the containers; start brings the pods back', async () => {
    await env.ok(on(['stop']));
    expect(clusterContainers().filter((c) => c.endsWith(' running'))).toEqual([]);
    await env.ok(on(['start']));
    const p = await waitFor('web Running again', async () => {
      const j = await podJson('web');
      return j.status.phase === 'Running' && j.status.containerStatuses?.[0]?.ready && j.status.containerStatuses[0].restartCount >= 1 ? j : undefined;
    });
    const page = docker(['run', '--rm', '--network', clusterIds().network, 'local/busybox:1.35', 'wget', '-qO-', `http://${p.status.podIP}:8080/`]);
    expect(page).toBe('hello from web on worker1\n');
  });

  it('node add and node rm', async () => {
    await env.ok(on(['node', 'add']));
    expect((await env.ok(['get', 'node', 'worker3', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']))).toBe('True');
    await env.ok(on(['node', 'rm', 'worker3']));
    expect((await env.minik(['get', 'node', 'worker3'])).code).toBe(1);
    expect(await env.ok(on(['node', 'list']))).toMatch(/^NAME\s+ROLE\s+AGENT\s+POD CIDR\nmaster\s+control-plane\s+Running\s+10\.\d+\.0\.0\/24\nworker1\s+worker\s+Running/);
  });

  it('delete leaves no container, network or state', async () => {
    const { network } = clusterIds();
    await env.ok(on(['delete']));
    expect(clusterContainers()).toEqual([]);
    expect(docker(['network', 'ls', '--filter', `name=${network}`, '--format', '{{.Name}}']).trim()).toBe('');
  });

  it('fails fast with a clear message when Docker is not running', async () => {
    const t0 = Date.now();
    const r = await env.minik(['start', '--name', 'nodocker'], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(r.code).toBe(1);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.stderr).toMatch(/^error: Cannot connect to the Docker daemon at unix:\/\/\/nonexistent\/docker\.sock\. Is the docker daemon running\?/);
  });
});
