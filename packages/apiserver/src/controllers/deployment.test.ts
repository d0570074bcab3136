// The Deployment controller (with the ReplicaSet controller and the garbage collector) against a
// real in-process apiserver and a fake kubelet: the book's Deployment walkthrough (000 §4C step
// 22: O28-O31), 002's web-deploy rolling update and rollback, and the rest of Kubernetes'
// Deployment behaviour. Rollouts are watched event by event to check maxSurge/maxUnavailable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Informer, type KubeObject, type ResourceClient } from '@minik/api';
import { computeHash } from './pod-template-hash.js';
import { startTestCluster, sleep, waitFor, READY_AFTER_MS, TERMINATE_AFTER_MS, type TestCluster } from './test-cluster.js';
import type { Deployment, Pod, ReplicaSet } from './workload-types.js';

let c: TestCluster;
let deps: ResourceClient<KubeObject>;
let rss: ResourceClient<KubeObject>;
let pods: ResourceClient<KubeObject>;
let events: ResourceClient<KubeObject>;

const image = (p: Pod) => ((p.spec?.containers as { image: string }[]) ?? [])[0]?.image ?? '';

beforeAll(async () => {
  c = await startTestCluster({
    nodes: ['node-1', 'node-2'],
    readyDelayMs: 60,
    terminateDelayMs: 200,
    neverReady: (p) => image(p).includes('broken'),
  });
  deps = c.client.resource({ group: 'apps', version: 'v1', resource: 'deployments' });
  rss = c.client.resource({ group: 'apps', version: 'v1', resource: 'replicasets' });
  pods = c.client.resource({ group: '', version: 'v1', resource: 'pods' });
  events = c.client.resource({ group: '', version: 'v1', resource: 'events' });
});
afterAll(async () => {
  if (process.env.MINIK_TEST_LOGS) console.log(c?.logs.join('\n'));
  await c?.close();
});

async function namespace(name: string): Promise<string> {
  await c.client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

function deployment(name: string, replicas: number, img: string, spec: Partial<Deployment['spec']> = {}, annotations?: Record<string, string>, podAnnotations?: Record<string, string>): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name }, ...(podAnnotations ? { annotations: podAnnotations } : {}) }, spec: { containers: [{ name: 'app', image: img }], terminationGracePeriodSeconds: 1 } },
      ...spec,
    },
  };
}

const getD = async (ns: string, name: string) => (await deps.get(ns, name)) as Deployment;
const rsList = async (ns: string, app: string) => ((await rss.list(ns, { labelSelector: `app=${app}` })).items as ReplicaSet[]).sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
const podList = async (ns: string, app: string) => (await pods.list(ns, { labelSelector: `app=${app}` })).items as Pod[];
const isReady = (p: Pod) => !!p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True');
const revision = (o: KubeObject) => o.metadata?.annotations?.['deployment.kubernetes.io/revision'];
const cond = (d: Deployment, type: string) => d.status?.conditions?.find((x) => x.type === type);
const eventMessages = async (ns: string, reason: string) => (await events.list(ns)).items.filter((e) => e.reason === reason).map((e) => e.message as string);

/** kubectl rollout status: done when the spec is observed and every replica is updated and available. */
async function rolledOut(ns: string, name: string, ms = 15_000): Promise<Deployment> {
  return waitFor(
    `${name} rolled out`,
    async () => {
      const d = await getD(ns, name);
      const s = d.status ?? {};
      const want = d.spec.replicas ?? 1;
      const done = (d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0) && (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want;
      return done && d;
    },
    ms,
  );
}

/** The hash the controller must have used: of the stored (defaulted) template. */
async function expectedRSName(ns: string, name: string): Promise<string> {
  const d = await getD(ns, name);
  return `${name}-${computeHash(d.spec.template, d.status?.collisionCount)}`;
}

/** Watches a namespace's pods and ReplicaSets and checks `check` at every event. */
class Observer {
  readonly pods: Informer<Pod>;
  readonly rss: Informer<ReplicaSet>;
  readonly violations: string[] = [];
  private synced = false;

  constructor(
    ns: string,
    private readonly check: (o: Observer) => string | undefined,
  ) {
    this.pods = new Informer(pods, ns) as Informer<Pod>;
    this.rss = new Informer(rss, ns) as Informer<ReplicaSet>;
    // Checks start once both caches hold the whole namespace (the initial list arrives pod by pod).
    const run = () => {
      if (!this.synced) return;
      const v = this.check(this);
      if (v) this.violations.push(v);
    };
    for (const inf of [this.pods, this.rss] as Informer<KubeObject>[]) inf.on({ add: run, update: run, delete: run });
  }

  async start(): Promise<this> {
    this.pods.start();
    this.rss.start();
    await Promise.all([this.pods.synced, this.rss.synced]);
    this.synced = true;
    return this;
  }

  stop(): void {
    this.pods.stop();
    this.rss.stop();
  }
}

describe('Deployment controller', () => {
  it('creates a ReplicaSet named by the pod-template-hash, its pods, revision, status, conditions and events (O28-O30)', async () => {
    const ns = await namespace('dep-create');
    await deps.create(ns, deployment('simple-deployment', 3, 'rutush10/simple-restapi-server-py:v0.0.1', {}, { 'kubernetes.io/change-cause': 'kubectl apply --filename=deployment.yaml --record=true', team: 'a' }));
    const d = await rolledOut(ns, 'simple-deployment');
    const name = await expectedRSName(ns, 'simple-deployment');
    const hash = name.slice('simple-deployment-'.length);
    const [rs, ...more] = await rsList(ns, 'simple-deployment');
    expect(more).toHaveLength(0);
    expect(rs.metadata.name).toBe(name);
    expect(rs.metadata.labels).toEqual({ app: 'simple-deployment', 'pod-template-hash': hash });
    expect(rs.spec.selector).toEqual({ matchLabels: { app: 'simple-deployment', 'pod-template-hash': hash } });
    expect(rs.spec.template?.metadata?.labels).toEqual({ app: 'simple-deployment', 'pod-template-hash': hash });
    expect(rs.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
      'kubernetes.io/change-cause': 'kubectl apply --filename=deployment.yaml --record=true',
      team: 'a',
    });
    expect(rs.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'simple-deployment', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const ps = await podList(ns, 'simple-deployment');
    expect(ps).toHaveLength(3);
    for (const p of ps) {
      expect(p.metadata.name).toMatch(new RegExp(`^${name}-[a-z0-9]{5}$`));
      expect(p.metadata.labels).toEqual({ app: 'simple-deployment', 'pod-template-hash': hash });
    }
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status?.unavailableReplicas).toBeUndefined();
    const done = await waitFor('Progressing NewReplicaSetAvailable', async () => {
      const cur = await getD(ns, 'simple-deployment');
      return cond(cur, 'Progressing')?.reason === 'NewReplicaSetAvailable' && cur;
    });
    expect(cond(done, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(cond(done, 'Progressing')).toMatchObject({ status: 'True', message: `ReplicaSet "${name}" has successfully progressed.` });
    const scaling = await waitFor('the scaling event', async () => {
      const l = await eventMessages(ns, 'ScalingReplicaSet');
      return l.length > 0 && l;
    });
    expect(scaling).toEqual([`Scaled up replica set ${name} from 0 to 3`]);
  });

  // The controller writes the Deployment's revision through UpdateStatus, as Kubernetes does
  // (its deployment status strategy resets only spec and labels).

  it('the Deployment carries the revision of its new ReplicaSet (deployment.kubernetes.io/revision)', async () => {
    const ns = await namespace('dep-revision');
    await deps.create(ns, deployment('web', 1, 'img:1'));
    await rolledOut(ns, 'web');
    expect(revision(await waitFor('revision 1', async () => getD(ns, 'web'), 2000))).toBe('1');
    await deps.patch(ns, 'web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'img:2' }] } } } }, 'strategic');
    await rolledOut(ns, 'web');
    await waitFor('revision 2', async () => revision(await getD(ns, 'web')) === '2', 2000);
  });

  it('rolls out a new image within maxSurge 1 / maxUnavailable 1 at every step, passing through O31', async () => {
    const ns = await namespace('dep-rolling');
    const strategy = { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } };
    // Slow enough to start and to stop that the intermediate state of O31 can be seen.
    await deps.create(ns, deployment('simple-deployment', 3, 'img:v0.0.1', { strategy }, undefined, { [TERMINATE_AFTER_MS]: '1500' }));
    await rolledOut(ns, 'simple-deployment');
    const [oldRS] = await rsList(ns, 'simple-deployment');
    let sawO31 = false;
    const obs = await new Observer(ns, (o) => {
      const specTotal = o.rss.list().reduce((n, r) => n + (r.spec.replicas ?? 0), 0);
      if (specTotal > 4) return `ReplicaSets ask for ${specTotal} > 4 pods`;
      const live = o.pods.list().filter((p) => !p.metadata.deletionTimestamp);
      if (live.length > 4) return `${live.length} pods > replicas + maxSurge`;
      const ready = live.filter(isReady).length;
      if (ready < 2) return `${ready} ready pods < replicas - maxUnavailable`;
      const old = o.pods.list().filter((p) => image(p) === 'img:v0.0.1');
      const fresh = o.pods.list().filter((p) => image(p) !== 'img:v0.0.1');
      // O31: two old Running, one old Terminating, two new ContainerCreating.
      if (old.filter((p) => !p.metadata.deletionTimestamp).length === 2 && old.filter((p) => p.metadata.deletionTimestamp).length === 1 && fresh.length === 2 && !fresh.some(isReady)) sawO31 = true;
      return undefined;
    }).start();
    await deps.patch(ns, 'simple-deployment', { spec: { template: { metadata: { annotations: { [READY_AFTER_MS]: '800' } }, spec: { containers: [{ name: 'app', image: 'img:v0.0.2' }] } } } }, 'strategic');
    const d = await rolledOut(ns, 'simple-deployment');
    await waitFor('old pods gone', async () => (await podList(ns, 'simple-deployment')).length === 3, 15_000);
    obs.stop();
    expect(obs.violations).toEqual([]);
    expect(sawO31).toBe(true);
    const newName = await expectedRSName(ns, 'simple-deployment');
    const list = await rsList(ns, 'simple-deployment');
    expect(list.map((r) => [r.metadata.name, r.spec.replicas, revision(r)]).sort()).toEqual(
      [
        [oldRS.metadata.name, 0, '1'],
        [newName, 3, '2'],
      ].sort(),
    );
    expect(d.status?.observedGeneration).toBe(2);
    // Events are written asynchronously; wait for the last one.
    const last = `Scaled down replica set ${oldRS.metadata.name} from 1 to 0`;
    const scaling = await waitFor('the last scaling event', async () => {
      const l = await eventMessages(ns, 'ScalingReplicaSet');
      return l.includes(last) && l;
    });
    expect(scaling.slice(0, 4)).toEqual([
      `Scaled up replica set ${oldRS.metadata.name} from 0 to 3`,
      `Scaled up replica set ${newName} from 0 to 1`,
      `Scaled down replica set ${oldRS.metadata.name} from 3 to 2`,
      `Scaled up replica set ${newName} from 1 to 2`,
    ]);
  });

  it('with maxSurge 1, maxUnavailable 0 and minReadySeconds never drops below the desired count (002 web-deploy)', async () => {
    const ns = await namespace('dep-surge');
    const strategy = { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    await deps.create(ns, deployment('web-deploy', 3, 'getting-started-k8s:1.0', { strategy, minReadySeconds: 1 }));
    await rolledOut(ns, 'web-deploy');
    const obs = await new Observer(ns, (o) => {
      const live = o.pods.list().filter((p) => !p.metadata.deletionTimestamp);
      if (live.length > 4) return `${live.length} pods > 4`;
      const ready = live.filter(isReady).length;
      if (ready < 3) return `${ready} ready pods < 3`;
      return undefined;
    }).start();
    await deps.patch(ns, 'web-deploy', { spec: { template: { spec: { containers: [{ name: 'app', image: 'getting-started-k8s:2.0' }] } } } }, 'strategic');
    // Available lags ready by minReadySeconds.
    const midway = await waitFor('a new pod ready but not yet available', async () => {
      const d = await getD(ns, 'web-deploy');
      return (d.status?.updatedReplicas ?? 0) >= 1 && (d.status?.readyReplicas ?? 0) > (d.status?.availableReplicas ?? 0) && d;
    });
    expect(midway.status?.availableReplicas).toBeGreaterThanOrEqual(3);
    await rolledOut(ns, 'web-deploy', 20_000);
    obs.stop();
    expect(obs.violations).toEqual([]);
  });

  it('rollout undo reuses the old ReplicaSet with a new revision; rollout restart makes a new one', async () => {
    const ns = await namespace('dep-undo');
    await deps.create(ns, deployment('web', 2, 'img:1'));
    await rolledOut(ns, 'web');
    await deps.patch(ns, 'web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'img:2' }] } } } }, 'strategic');
    await rolledOut(ns, 'web');
    const before = await rsList(ns, 'web');
    const first = before.find((r) => revision(r) === '1')!;
    // kubectl rollout undo: the revision-1 template without its hash label, as a JSON patch.
    const template = structuredClone(first.spec.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    const d = await getD(ns, 'web');
    await deps.patch(
      ns,
      'web',
      [
        { op: 'replace', path: '/spec/template', value: { ...template, metadata: { ...template.metadata, creationTimestamp: null } } },
        // kubectl sends `replace`; `add` also works while the Deployment has no annotations yet
        // (see the revision test below).
        { op: 'add', path: '/metadata/annotations', value: { ...(d.metadata.annotations ?? {}) } },
      ],
      'json',
    );
    await rolledOut(ns, 'web');
    const after = await rsList(ns, 'web');
    expect(after.map((r) => r.metadata.name)).toEqual(before.map((r) => r.metadata.name));
    const reused = after.find((r) => r.metadata.name === first.metadata.name)!;
    expect(reused.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(reused.spec.replicas).toBe(2);
    expect(after.map(revision).sort()).toEqual(['2', '3']);

    // kubectl rollout restart
    await deps.patch(ns, 'web', { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-06-01T12:00:00Z' } } } } }, 'strategic');
    await rolledOut(ns, 'web');
    const restarted = await rsList(ns, 'web');
    expect(restarted).toHaveLength(3);
    const current = restarted.find((r) => revision(r) === '4')!;
    expect(current.metadata.name).toBe(await expectedRSName(ns, 'web'));
    expect(current.spec.template?.metadata?.annotations).toEqual({ 'kubectl.kubernetes.io/restartedAt': '2024-06-01T12:00:00Z' });
  });

  it('Recreate scales the old ReplicaSet to 0 and starts new pods only when the old ones are gone', async () => {
    const ns = await namespace('dep-recreate');
    await deps.create(ns, deployment('web', 3, 'img:1', { strategy: { type: 'Recreate' } }));
    await rolledOut(ns, 'web');
    const obs = await new Observer(ns, (o) => {
      const old = o.pods.list().filter((p) => image(p) === 'img:1');
      const fresh = o.pods.list().filter((p) => image(p) === 'img:2');
      return old.length && fresh.length ? `${fresh.length} new pods while ${old.length} old pods exist` : undefined;
    }).start();
    await deps.patch(ns, 'web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'img:2' }] } } } }, 'strategic');
    await waitFor('new pods', async () => (await podList(ns, 'web')).filter((p) => image(p) === 'img:2').length === 3);
    await rolledOut(ns, 'web');
    obs.stop();
    expect(obs.violations).toEqual([]);
    const list = await rsList(ns, 'web');
    expect(list.map((r) => r.spec.replicas).sort()).toEqual([0, 3]);
    const scaling = await waitFor('3 scaling events', async () => {
      const l = await eventMessages(ns, 'ScalingReplicaSet');
      return l.length >= 3 && l;
    });
    expect(scaling[1]).toMatch(/^Scaled down replica set web-\w+ from 3 to 0$/);
    expect(scaling[2]).toMatch(/^Scaled up replica set web-\w+ from 0 to 3$/);
  });

  it('a paused Deployment scales but does not roll out until resumed', async () => {
    const ns = await namespace('dep-paused');
    await deps.create(ns, deployment('web', 2, 'img:1'));
    await rolledOut(ns, 'web');
    await deps.patch(ns, 'web', { spec: { paused: true } }, 'merge');
    const paused = await waitFor('DeploymentPaused', async () => {
      const d = await getD(ns, 'web');
      return cond(d, 'Progressing')?.reason === 'DeploymentPaused' && d;
    });
    expect(cond(paused, 'Progressing')).toMatchObject({ status: 'Unknown', message: 'Deployment is paused' });
    await deps.patch(ns, 'web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'img:2' }] } } } }, 'strategic');
    await waitFor('the change observed', async () => {
      const d = await getD(ns, 'web');
      return d.status?.observedGeneration === d.metadata.generation;
    });
    await sleep(300);
    expect(await rsList(ns, 'web')).toHaveLength(1);
    // Scaling still works while paused.
    await deps.patch(ns, 'web', { spec: { replicas: 4 } }, 'merge');
    await waitFor('4 ready pods of the old template', async () => {
      const ps = (await podList(ns, 'web')).filter((p) => isReady(p) && image(p) === 'img:1');
      return ps.length === 4;
    });
    const [only] = await rsList(ns, 'web');
    expect(only.metadata.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('4');
    await deps.patch(ns, 'web', { spec: { paused: false } }, 'merge');
    await rolledOut(ns, 'web');
    const after = await rsList(ns, 'web');
    expect(after.map((r) => [r.spec.replicas, revision(r)]).sort()).toEqual([
      [0, '1'],
      [4, '2'],
    ]);
    expect((await podList(ns, 'web')).filter((p) => !p.metadata.deletionTimestamp).every((p) => image(p) === 'img:2')).toBe(true);
  });

  it('keeps revisionHistoryLimit old ReplicaSets, deleting the oldest', async () => {
    const ns = await namespace('dep-history');
    await deps.create(ns, deployment('web', 1, 'img:1', { revisionHistoryLimit: 1 }));
    await rolledOut(ns, 'web');
    for (const v of [2, 3, 4]) {
      await deps.patch(ns, 'web', { spec: { template: { spec: { containers: [{ name: 'app', image: `img:${v}` }] } } } }, 'strategic');
      await rolledOut(ns, 'web');
    }
    const list = await waitFor('history trimmed to 1', async () => {
      const l = await rsList(ns, 'web');
      return l.length === 2 && l;
    });
    expect(list.map(revision).sort()).toEqual(['3', '4']);
  });

  it('reports ProgressDeadlineExceeded when a rollout makes no progress', async () => {
    const ns = await namespace('dep-deadline');
    await deps.create(ns, deployment('web', 1, 'img:broken', { progressDeadlineSeconds: 1 }));
    // Conditions have one-second timestamps, so a 1s deadline may pass before the pod is even
    // created; progress then resets it and it passes again. Wait for the settled state.
    const d = await waitFor(
      'ProgressDeadlineExceeded with the pod created',
      async () => {
        const cur = await getD(ns, 'web');
        return cond(cur, 'Progressing')?.reason === 'ProgressDeadlineExceeded' && cur.status?.replicas === 1 && cur;
      },
      8000,
    );
    const name = await expectedRSName(ns, 'web');
    expect(cond(d, 'Progressing')).toMatchObject({ status: 'False', message: `ReplicaSet "${name}" has timed out progressing.` });
    expect(cond(d, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    expect(d.status).toMatchObject({ replicas: 1, updatedReplicas: 1, unavailableReplicas: 1 });
  });

  it('scales proportionally in the middle of a stuck rollout (10 → 15: +3 old, +2 new)', async () => {
    const ns = await namespace('dep-proportional');
    const strategy = { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } };
    await deps.create(ns, deployment('web', 10, 'img:1', { strategy }));
    await rolledOut(ns, 'web');
    const [oldRS] = await rsList(ns, 'web');
    await deps.patch(ns, 'web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'img:broken' }] } } } }, 'strategic');
    const newName = await expectedRSName(ns, 'web');
    await waitFor('old 8 / new 5', async () => {
      const l = await rsList(ns, 'web');
      return l.find((r) => r.metadata.name === oldRS.metadata.name)?.spec.replicas === 8 && l.find((r) => r.metadata.name === newName)?.spec.replicas === 5;
    });
    await sleep(200);
    await deps.patch(ns, 'web', { spec: { replicas: 15 } }, 'merge');
    const sized = await waitFor('old 11 / new 7', async () => {
      const l = await rsList(ns, 'web');
      const o = l.find((r) => r.metadata.name === oldRS.metadata.name)!;
      const n = l.find((r) => r.metadata.name === newName)!;
      return o.spec.replicas === 11 && n.spec.replicas === 7 && l;
    });
    for (const r of sized) expect(r.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '15', 'deployment.kubernetes.io/max-replicas': '18' });
    const wanted = [`Scaled up replica set ${oldRS.metadata.name} from 8 to 11`, `Scaled up replica set ${newName} from 5 to 7`];
    await waitFor('both scaling events', async () => {
      const l = await eventMessages(ns, 'ScalingReplicaSet');
      return wanted.every((m) => l.includes(m));
    });
  });

  it('deleting a Deployment cascades to its ReplicaSets and pods; an orphaned ReplicaSet is adopted again', async () => {
    const ns = await namespace('dep-delete');
    await deps.create(ns, deployment('web', 2, 'img:1'));
    await rolledOut(ns, 'web');
    const [rs] = await rsList(ns, 'web');
    // Orphan: the ReplicaSet and pods stay, without the owner reference.
    await deps.delete(ns, 'web', { propagationPolicy: 'Orphan' });
    await waitFor('the ReplicaSet orphaned', async () => !(await rsList(ns, 'web'))[0]?.metadata.ownerReferences?.length && (await deps.list(ns)).items.length === 0);
    expect((await podList(ns, 'web')).filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(2);
    // The same Deployment again adopts it instead of creating another.
    await deps.create(ns, deployment('web', 2, 'img:1'));
    const d = await rolledOut(ns, 'web');
    const list = await waitFor('adopted', async () => {
      const l = await rsList(ns, 'web');
      return l.length === 1 && l[0].metadata.ownerReferences?.[0]?.uid === d.metadata.uid && l;
    });
    expect(list[0].metadata.uid).toBe(rs.metadata.uid);
    // Background (kubectl's default): everything goes.
    await deps.delete(ns, 'web', { propagationPolicy: 'Background' });
    await waitFor('ReplicaSets and pods gone', async () => (await rsList(ns, 'web')).length === 0 && (await podList(ns, 'web')).length === 0);
    // Foreground: the Deployment stays (being deleted, not recreating anything) until its dependents are gone.
    await deps.create(ns, deployment('fg', 2, 'img:1'));
    await rolledOut(ns, 'fg');
    await deps.delete(ns, 'fg', { propagationPolicy: 'Foreground' });
    const deleting = await getD(ns, 'fg');
    expect(deleting.metadata.finalizers).toContain('foregroundDeletion');
    await waitFor('the Deployment gone after its pods', async () => (await deps.list(ns)).items.length === 0, 15_000);
    expect(await rsList(ns, 'fg')).toHaveLength(0);
    expect(await podList(ns, 'fg')).toHaveLength(0);
  });
});
