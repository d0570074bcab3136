// The book's hands-on chapters on a real 3-node cluster (walkthroughs.md §4A and §4C steps 20-22),
// with the manifests from examples/ and the images examples/build-images makes.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Env, MINIK, ROOT } from './harness.js';

const env = new Env();
const ex = (...p: string[]) => join(ROOT, 'examples', ...p);

interface PodView {
  name: string;
  phase: string;
  ready: boolean;
  node: string;
  labels: Record<string, string>;
  deleting: boolean;
}

async function pods(selector?: string): Promise<PodView[]> {
  const list = JSON.parse(await env.ok(['get', 'pods', '-o', 'json', ...(selector ? ['-l', selector] : [])]));
  return list.items.map((p: { metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string }; spec: { nodeName?: string }; status: { phase: string; conditions?: { type: string; status: string }[] } }) => ({
    name: p.metadata.name,
    phase: p.status.phase,
    ready: p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
    node: p.spec.nodeName ?? '',
    labels: p.metadata.labels ?? {},
    deleting: !!p.metadata.deletionTimestamp,
  }));
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const allReady = (ps: PodView[], n: number) => ps.filter((p) => !p.deleting).length === n && ps.every((p) => p.ready && !p.deleting);

beforeAll(async () => {
  execFileSync(ex('build-images'), { stdio: 'ignore', env: process.env });
  await env.ok(['start', '--port', '0']);
}, 180_000);
afterAll(() => env.cleanup());

describe('three laptops (§4A)', () => {
  it('3 frontend and 3 backend pods Running on the workers only, spread', async () => {
    const dir = ex('three-laptops');
    expect(await env.ok(['apply', '-f', join(dir, 'frontend-deployment.yaml')])).toBe('deployment.apps/frontend created\n');
    expect(await env.ok(['apply', '-f', join(dir, 'backend-deployment.yaml')])).toBe('deployment.apps/backend created\n');
    expect(await env.ok(['apply', '-f', join(dir, 'backend-service.yaml')])).toBe('service/backend created\n');
    const all = await until('6 pods ready', async () => {
      const ps = await pods();
      return allReady(ps, 6) ? ps : undefined;
    });
    expect(all.filter((p) => p.node === 'master')).toEqual([]);
    for (const app of ['frontend', 'backend']) {
      const nodes = all.filter((p) => p.labels.app === app).map((p) => p.node);
      expect(nodes).toHaveLength(3);
      expect(new Set(nodes)).toEqual(new Set(['worker1', 'worker2']));
    }
    const deploys = await env.ok(['get', 'deployments']);
    expect(deploys).toMatch(/^backend\s+3\/3\s+3\s+3\s+\d+s$/m);
    expect(deploys).toMatch(/^frontend\s+3\/3\s+3\s+3\s+\d+s$/m);
    await env.ok(['delete', '-f', join(dir, 'frontend-deployment.yaml'), '-f', join(dir, 'backend-deployment.yaml'), '-f', join(dir, 'backend-service.yaml')]);
    await until('pods gone', async () => (await pods()).length === 0);
  });
});

describe('pods (step 20)', () => {
  it('apply, get pods shows simple-pod Running, delete', async () => {
    expect(await env.ok(['apply', '-f', ex('simple-pod', 'pod.yaml')])).toBe('pod/simple-pod created\n');
    await until('simple-pod ready', async () => allReady(await pods(), 1));
    expect(await env.ok(['get', 'pods'])).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nsimple-pod\s+1\/1\s+Running\s+0\s+\d+s\n$/);
    expect(await env.ok(['delete', '-f', ex('simple-pod', 'pod.yaml')])).toBe('pod "simple-pod" deleted\n');
    expect((await env.minik(['get', 'pods'])).stderr).toBe('No resources found in default namespace.\n');
  });
});

describe('replicasets (step 21)', () => {
  it('keeps 3 replicas, adopts a matching bare pod and deletes the surplus, replaces an orphaned one', async () => {
    const dir = ex('simple-replicaset');
    expect(await env.ok(['apply', '-f', join(dir, 'replicaset.yaml')])).toBe('replicaset.apps/simple-replicaset created\n');
    const three = await until('3 replicas', async () => {
      const ps = await pods();
      return allReady(ps, 3) ? ps : undefined;
    });
    for (const p of three) expect(p.name).toMatch(/^simple-replicaset-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(await env.ok(['get', 'replicaset'])).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nsimple-replicaset\s+3\s+3\s+3\s+\d+s\n$/);

    // A bare pod without labels is left alone.
    expect(await env.ok(['apply', '-f', join(dir, 'pod.yaml')])).toBe('pod/simple-pod created\n');
    await until('4 pods', async () => allReady(await pods(), 4));
    expect((await env.ok(['get', 'pods', '--show-labels'])).split('\n').find((l) => l.startsWith('simple-pod'))).toMatch(/<none>$/);

    // Relabelled to match, it is adopted; one pod too many goes (the book shows simple-pod Terminating).
    expect(await env.ok(['apply', '-f', join(dir, 'pod-relabelled.yaml')])).toBe('pod/simple-pod configured\n');
    const after = await until('back to 3', async () => {
      const ps = await pods('app=simple-replicaset');
      return ps.filter((p) => !p.deleting).length === 3 ? ps : undefined;
    });
    const owned = JSON.parse(await env.ok(['get', 'pods', '-l', 'app=simple-replicaset', '-o', 'json'])).items.filter((p: { metadata: { deletionTimestamp?: string } }) => !p.metadata.deletionTimestamp);
    for (const p of owned) expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: 'simple-replicaset', controller: true });
    expect(after.filter((p) => !p.deleting)).toHaveLength(3);
    // As in the book, the surplus pod is simple-pod: the newest, ready for the shortest time.
    expect(after.filter((p) => !p.deleting).map((p) => p.name)).not.toContain('simple-pod');

    // A pod whose label is removed is released (keeps running) and replaced.
    const victim = owned[0].metadata.name as string;
    expect(await env.ok(['label', 'pod', victim, 'app-'])).toBe(`pod/${victim} unlabeled\n`);
    await until('replacement ready', async () => allReady(await pods('app=simple-replicaset'), 3));
    const orphan = JSON.parse(await env.ok(['get', 'pod', victim, '-o', 'json']));
    expect(orphan.metadata.ownerReferences ?? []).toEqual([]);
    expect(orphan.status.phase).toBe('Running');
    expect(await env.ok(['get', 'replicaset'])).toMatch(/^simple-replicaset\s+3\s+3\s+3\s+\d+s$/m);

    await env.ok(['delete', '-f', join(dir, 'replicaset.yaml')]);
    await env.minik(['delete', '-f', join(dir, 'pod.yaml'), '--ignore-not-found']);
    await env.ok(['delete', 'pod', victim]);
    await until('pods gone', async () => (await pods()).length === 0);
  });
});

describe('deployments (step 22)', () => {
  it('names ReplicaSets by template hash and rolls v0.0.1 → v0.0.2 with maxSurge 1 / maxUnavailable 1', async () => {
    const dir = ex('simple-deployment');
    expect(await env.ok(['apply', '-f', join(dir, 'deployment.yaml')])).toBe('deployment.apps/simple-deployment created\n');
    await until('3 ready', async () => allReady(await pods(), 3));
    expect(await env.ok(['get', 'deployments'])).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nsimple-deployment\s+3\/3\s+3\s+3\s+\d+s\n$/);
    const rs = (await env.ok(['get', 'rs', '-o', 'name'])).trim();
    const hash = /^replicaset\.apps\/simple-deployment-([a-z0-9]+)$/.exec(rs)?.[1];
    expect(hash).toBeTruthy();
    for (const p of await pods()) {
      expect(p.name).toMatch(new RegExp(`^simple-deployment-${hash}-[a-z0-9]{5}$`));
      expect(p.labels).toEqual({ app: 'simple-deployment', 'pod-template-hash': hash });
    }

    // Observe the rollout: never more than 3+1 pods, never fewer than 3-1 ready.
    let maxPods = 0;
    let minReady = 3;
    const watching = (async () => {
      for (let i = 0; i < 400; i++) {
        const ps = (await pods()).filter((p) => !p.deleting);
        maxPods = Math.max(maxPods, ps.length);
        minReady = Math.min(minReady, ps.filter((p) => p.ready).length);
        if (ps.length === 3 && ps.every((p) => p.ready && p.labels['pod-template-hash'] !== hash)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    // And as the book shows it, through `get pods -w`.
    const watch = spawn(process.execPath, [MINIK, 'get', 'pods', '-w'], { env: env.env });
    let watched = '';
    watch.stdout.on('data', (d) => (watched += d));
    await until('the watch listing', async () => watched.includes('simple-deployment-'), 10_000);
    expect(await env.ok(['apply', '-f', join(dir, 'deployment-v0.0.2.yaml')])).toBe('deployment.apps/simple-deployment configured\n');
    await watching;
    await new Promise((r) => setTimeout(r, 500));
    watch.kill('SIGINT');
    // Step 22's picture: first one old pod Terminating while two new ones are being created.
    const rows = watched.split('\n').map((l) => l.split(/\s+/)).filter((c) => c[0]?.startsWith('simple-deployment-'));
    const firstNewRunning = rows.findIndex((c) => !c[0]!.includes(`-${hash}-`) && c[2] === 'Running' && c[1] === '1/1');
    expect(firstNewRunning).toBeGreaterThan(0);
    const early = rows.slice(0, firstNewRunning);
    const newNames = new Set(early.filter((c) => !c[0]!.includes(`-${hash}-`)).map((c) => c[0]));
    const oldTerminating = new Set(early.filter((c) => c[0]!.includes(`-${hash}-`) && c[2] === 'Terminating').map((c) => c[0]));
    expect(newNames.size, watched).toBe(2);
    expect(oldTerminating.size, watched).toBe(1);
    expect(maxPods).toBeLessThanOrEqual(4);
    expect(minReady).toBeGreaterThanOrEqual(2);
    const rsTable = await env.ok(['get', 'rs']);
    expect(rsTable).toMatch(new RegExp(`^simple-deployment-${hash}\\s+0\\s+0\\s+0\\s`, 'm'));
    const d = JSON.parse(await env.ok(['get', 'deployment', 'simple-deployment', '-o', 'json']));
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    expect(d.spec.template.spec.containers[0].image).toBe('rutush10/simple-restapi-server-py:v0.0.2');
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    await env.ok(['delete', '-f', join(dir, 'deployment-v0.0.2.yaml')]);
    await until('pods gone', async () => (await pods()).length === 0);
    expect((await env.minik(['get', 'rs'])).stderr).toBe('No resources found in default namespace.\n');
  });
});
