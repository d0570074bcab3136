// Rollouts end to end on a real cluster: the 002 sequence of walkthroughs.md §5 (self-healing,
// scaling by re-applying, a rolling update with minReadySeconds 5 / maxUnavailable 0 / maxSurge 1,
// `rollout undo --to-revision=1`), the rollout verbs against the real kubectl's output, and
// their bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Env, ROOT, until } from './harness.js';

const env = new Env('minik-e2e-rollout-');
const ex = (...p: string[]) => join(ROOT, 'examples', ...p);


interface RsJson {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
  status: { readyReplicas?: number };
}

async function replicaSets(selector: string): Promise<RsJson[]> {
  return (JSON.parse(await env.ok(['get', 'rs', '-l', selector, '-o', 'json'])) as { items: RsJson[] }).items;
}

async function livePods(selector: string): Promise<string[]> {
  const list = JSON.parse(await env.ok(['get', 'pods', '-l', selector, '-o', 'json'])) as { items: { metadata: { name: string; deletionTimestamp?: string }; status: { conditions?: { type: string; status: string }[] } }[] };
  return list.items.filter((p) => !p.metadata.deletionTimestamp && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).map((p) => p.metadata.name);
}

/** Runs the same command through minik and the real kubectl: same stdout, stderr and exit code. */
async function sameAsKubectl(args: string[]): Promise<string> {
  const m = await env.minik(args);
  const k = await env.kubectl(args);
  expect({ stdout: m.stdout, stderr: m.stderr, code: m.code }).toEqual({ stdout: k.stdout, stderr: k.stderr, code: k.code });
  return m.stdout + m.stderr;
}

beforeAll(async () => {
  execFileSync(ex('build-images'), ['--debug-image'], { stdio: 'ignore', env: process.env });
  await env.ok(['start', '--port', '0']);
}, 180_000);
afterAll(() => env.cleanup());

describe('002: self-healing, scaling, rolling update and rollback (§5)', () => {
  it('the book\'s web-deploy sequence', async () => {
    const deploy = ex('web-deploy', 'deploy.yml');
    expect(await env.ok(['apply', '-f', deploy])).toBe('deployment.apps/web-deploy created\n');
    const status = await env.ok(['rollout', 'status', 'deployment/web-deploy', '--timeout=60s'], { timeoutMs: 90_000 });
    expect(status.endsWith('deployment "web-deploy" successfully rolled out\n')).toBe(true);
    for (const line of status.trimEnd().split('\n').slice(0, -1)) {
      expect(line).toMatch(/^Waiting for deployment "web-deploy" rollout to finish: (\d out of 5 new replicas have been updated|\d of 5 updated replicas are available)\.\.\.$|^Waiting for deployment spec update to be observed\.\.\.$/);
    }

    // Self-healing: a deleted pod is replaced.
    const [victim] = await livePods('app=web');
    await env.ok(['delete', 'pod', victim!]);
    const healed = await until('5 pods again', async () => {
      const ps = await livePods('app=web');
      return ps.length === 5 && !ps.includes(victim!) && ps;
    });
    expect(healed).toHaveLength(5);

    // Scaling by editing replicas and re-applying.
    const ten = env.write('deploy-10.yml', readFileSync(deploy, 'utf8').replace(/replicas: 5/, 'replicas: 10'));
    expect(await env.ok(['apply', '-f', ten])).toBe('deployment.apps/web-deploy configured\n');
    await until('10 pods', async () => (await livePods('app=web')).length === 10);
    const [first] = await replicaSets('app=web');

    // The rolling update: one surge pod at a time, none unavailable, each ready for 5 s.
    expect(await env.ok(['apply', '-f', ex('web-deploy', 'deploy-rolling-update.yml')])).toBe('deployment.apps/web-deploy configured\n');
    const t0 = Date.now();
    const rolled = await env.ok(['rollout', 'status', 'deploy', 'web-deploy', '--timeout=3m'], { timeoutMs: 200_000 });
    expect(rolled.endsWith('deployment "web-deploy" successfully rolled out\n')).toBe(true);
    expect(rolled).toContain('Waiting for deployment "web-deploy" rollout to finish: 1 out of 10 new replicas have been updated...');
    expect(Date.now() - t0).toBeGreaterThan(10 * 5000 - 5000); // minReadySeconds paces every step
    const afterUpdate = await replicaSets('app=web');
    expect(afterUpdate).toHaveLength(2);
    const old = afterUpdate.find((r) => r.metadata.name === first!.metadata.name)!;
    const fresh = afterUpdate.find((r) => r.metadata.name !== first!.metadata.name)!;
    expect([old.spec.replicas, fresh.spec.replicas]).toEqual([0, 10]);
    expect(fresh.spec.template.spec.containers[0]!.image).toBe('nigelpoulton/getting-started-k8s:2.0');
    expect(await sameAsKubectl(['rollout', 'history', 'deploy/web-deploy'])).toBe('deployment.apps/web-deploy \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');

    // Rollback to revision 1: the first ReplicaSet holds the pods again, as revision 3.
    expect(await env.ok(['rollout', 'undo', 'deploy', 'web-deploy', '--to-revision=1'])).toBe('deployment.apps/web-deploy rolled back\n');
    await env.ok(['rollout', 'status', 'deploy/web-deploy', '--timeout=3m'], { timeoutMs: 200_000 });
    const back = await replicaSets('app=web');
    expect(back).toHaveLength(2);
    expect(back.find((r) => r.metadata.name === first!.metadata.name)!.spec.replicas).toBe(10);
    expect(back.find((r) => r.metadata.name === first!.metadata.name)!.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('3');
    expect(await env.ok(['get', 'rs'])).toMatch(new RegExp(`^${first!.metadata.name}\\s+10\\s+10\\s+10\\s`, 'm'));
    expect(await sameAsKubectl(['rollout', 'history', 'deploy/web-deploy'])).toBe('deployment.apps/web-deploy \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
    expect(await sameAsKubectl(['rollout', 'history', 'deploy/web-deploy', '--revision=3'])).toContain('deployment.apps/web-deploy with revision #3\nPod Template:\n');
    // Back where it is: nothing to do.
    expect(await env.ok(['rollout', 'undo', 'deploy/web-deploy', '--to-revision=3'])).toBe('deployment.apps/web-deploy skipped rollback (current template already matches revision 3)\n');
    await env.ok(['delete', 'deploy', 'web-deploy']);
  }, 600_000);
});

describe('rollout verbs and set image', () => {
  const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: tiny
  template:
    metadata:
      labels:
        app: tiny
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: main
        image: local/busybox:1.35
        command: ["sleep", "3600"]
`;

  it('pause, resume, restart and set image print kubectl\'s messages and roll the pods', async () => {
    await env.ok(['apply', '-f', env.write('tiny.yaml', manifest)]);
    await env.ok(['rollout', 'status', 'deploy/web', '--timeout=60s'], { timeoutMs: 90_000 });
    expect(await env.ok(['rollout', 'pause', 'deploy/web'])).toBe('deployment.apps/web paused\n');
    expect(await sameAsKubectl(['rollout', 'pause', 'deploy/web'])).toBe('error: deployments.apps "web" is already paused\n');
    expect(await sameAsKubectl(['rollout', 'restart', 'deploy/web'])).toBe('error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n');
    const undoPaused = await env.minik(['rollout', 'undo', 'deploy/web']);
    expect(undoPaused.code).toBe(1);
    expect(undoPaused.stderr).toBe("error: you cannot rollback a paused deployment; resume it first with 'minik rollout resume' and try again\n");
    expect(await env.ok(['rollout', 'resume', 'deploy/web'])).toBe('deployment.apps/web resumed\n');
    expect(await sameAsKubectl(['rollout', 'resume', 'deploy/web'])).toBe('error: deployments.apps "web" is not paused\n');

    const before = await livePods('app=tiny');
    expect(await env.ok(['rollout', 'restart', 'deploy/web'])).toBe('deployment.apps/web restarted\n');
    await env.ok(['rollout', 'status', 'deploy/web', '--timeout=60s'], { timeoutMs: 90_000 });
    const after = await until('new pods', async () => {
      const ps = await livePods('app=tiny');
      return ps.length === 2 && ps.every((p) => !before.includes(p)) && ps;
    });
    expect(after).toHaveLength(2);

    expect(await sameAsKubectl(['set', 'image', 'deploy/web', 'nope=x'])).toBe('error: unable to find container named "nope"\n');
    expect(await env.ok(['set', 'image', 'deploy/web', 'main=local/busybox:1.35-missing'])).toBe('deployment.apps/web image updated\n');
    const d = JSON.parse(await env.ok(['get', 'deploy', 'web', '-o', 'json'])) as { spec: { template: { spec: { containers: { image: string }[] } } } };
    expect(d.spec.template.spec.containers[0]!.image).toBe('local/busybox:1.35-missing');
  });

  it('bad input: a timeout, a revision that does not exist, a deployment that does not exist, other kinds', async () => {
    // The image above cannot be pulled: the rollout never finishes.
    const stuck = await env.minik(['rollout', 'status', 'deploy/web', '--timeout=2s']);
    expect(stuck.code).toBe(1);
    expect(stuck.stdout).toMatch(/^Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated\.\.\.\n/);
    expect(stuck.stderr).toBe('error: timed out waiting for the condition\n');
    const once = await env.minik(['rollout', 'status', 'deploy/web', '--watch=false']);
    expect(once).toMatchObject({ code: 0, stdout: 'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...\n' });

    expect(await sameAsKubectl(['rollout', 'undo', 'deploy/web', '--to-revision=99'])).toBe('error: unable to find specified revision 99 in history\n');
    expect(await sameAsKubectl(['rollout', 'status', 'deploy/nope'])).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    expect(await sameAsKubectl(['rollout', 'history', 'deploy/web', '--revision=42'])).toBe('error: unable to find the specified revision\n');
    const [rs] = await replicaSets('app=tiny');
    for (const verb of ['status', 'history', 'undo', 'pause', 'restart']) await sameAsKubectl(['rollout', verb, `rs/${rs!.metadata.name}`]);

    // Undo brings back the last good template; the pods run again.
    expect(await env.ok(['rollout', 'undo', 'deploy/web'])).toBe('deployment.apps/web rolled back\n');
    expect(await env.ok(['rollout', 'status', 'deploy/web', '--timeout=60s'], { timeoutMs: 90_000 })).toMatch(/deployment "web" successfully rolled out\n$/);
  });
});

describe('wait', () => {
  const pod = (name: string, labels: string, command: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {${labels}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: main
    image: local/busybox:1.35
    command: ["sh", "-c", "${command}"]
`;

  it('conditions, jsonpath, delete and create, as kubectl prints them', async () => {
    await env.ok(['apply', '-f', env.write('ready.yaml', pod('ready', 'app: ready', 'sleep 3600'))]);
    expect(await env.ok(['wait', '--for=condition=Ready', 'pod/ready', '--timeout=60s'], { timeoutMs: 90_000 })).toBe('pod/ready condition met\n');
    // Met already: the same output as kubectl's, for a condition and for a jsonpath.
    expect(await sameAsKubectl(['wait', '--for=condition=Ready', 'pod/ready'])).toBe('pod/ready condition met\n');
    expect(await sameAsKubectl(['wait', '--for=jsonpath={.status.phase}=Running', 'pod', '-l', 'app=ready'])).toBe('pod/ready condition met\n');
    expect(await sameAsKubectl(['wait', '--for=condition=Available', 'deploy/web', '--timeout=60s'])).toBe('deployment.apps/web condition met\n');

    // Never met: kubectl's timeout message and exit code.
    expect(await sameAsKubectl(['wait', '--for=condition=Ready=false', 'pod/ready', '--timeout=1s'])).toBe('error: timed out waiting for the condition on pods/ready\n');

    // Deleted while waiting.
    const gone = env.minik(['wait', '--for=delete', 'pod/ready', '--timeout=60s'], { timeoutMs: 90_000 });
    await new Promise((r) => setTimeout(r, 500));
    await env.ok(['delete', 'pod', 'ready', '--wait=false']);
    expect(await gone).toMatchObject({ code: 0, stdout: 'pod/ready condition met\n' });
  });

  it('waits for objects that do not exist yet, by name and by selector (kubectl would fail at once)', async () => {
    const byName = env.minik(['wait', '--for=condition=Ready', 'pod/later', '--timeout=60s'], { timeoutMs: 90_000 });
    const bySelector = env.minik(['wait', '--for=condition=Ready', 'pod', '-l', 'app=later', '--timeout=60s'], { timeoutMs: 90_000 });
    const created = env.minik(['wait', '--for=create', 'pod/later', '--timeout=60s'], { timeoutMs: 90_000 });
    await new Promise((r) => setTimeout(r, 1000));
    await env.ok(['apply', '-f', env.write('later.yaml', pod('later', 'app: later', 'sleep 3600'))]);
    expect(await created).toMatchObject({ code: 0, stdout: 'pod/later condition met\n' });
    expect(await byName).toMatchObject({ code: 0, stdout: 'pod/later condition met\n' });
    expect(await bySelector).toMatchObject({ code: 0, stdout: 'pod/later condition met\n' });
    // Still nothing within the timeout: a clear error, exit 1.
    const never = await env.minik(['wait', '--for=condition=Ready', 'pod', '-l', 'app=never', '--timeout=1s']);
    expect(never).toMatchObject({ code: 1, stderr: 'error: timed out waiting for the condition\n' });
    const bad = await env.minik(['wait', '--for=ready', 'pod/later']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unrecognized condition: "ready"');
    await env.ok(['delete', 'pod', 'later', '--wait=false']);
  });
});
