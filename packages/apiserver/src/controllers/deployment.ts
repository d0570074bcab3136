// Deployment controller (pkg/controller/deployment/deployment_controller.go): ReplicaSets named
// <deployment>-<pod-template-hash>, adopted and released by selector; rollouts by strategy,
// proportional scaling, pause, revisions, history limit and progress deadlines. It reads from
// informers and acts only through the API; errors requeue the Deployment with backoff.
import { EventRecorder, fromLabelSelector, type Informer, type KubeObject } from '@minik/api';
import { isConflict, type Controller, type ControllerContext } from './controller.js';
import { claim } from './controller-ref.js';
import { rolloutRecreate, rolloutRolling } from './deployment-rollout.js';
import { DEPLOYMENT_KIND, DeploymentActions } from './deployment-sync.js';
import { WorkQueue, runWorkers } from './workqueue.js';
import { controllerRef, keyOf, newControllerRef, type Deployment, type Pod, type ReplicaSet } from './workload-types.js';

const WORKERS = 5;

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  private readonly queue = new WorkQueue();
  private readonly recorder: EventRecorder;
  private readonly deployments: Informer<Deployment>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  private readonly actions: DeploymentActions;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = new EventRecorder(ctx.client, { component: 'deployment-controller' });
    this.recorder.onError = (e) => ctx.log(`deployment-controller: recording an event: ${(e as Error).message}`);
    this.deployments = ctx.informer('apps', 'deployments') as Informer<Deployment>;
    this.replicaSets = ctx.informer('apps', 'replicasets') as Informer<ReplicaSet>;
    this.pods = ctx.informer('', 'pods') as Informer<Pod>;
    this.actions = new DeploymentActions(ctx, this.recorder, this.queue, this.replicaSets);
  }

  start(): void {
    this.deployments.on({ add: (d) => this.enqueue(d), update: (_o, d) => this.enqueue(d), delete: (d) => this.enqueue(d) });
    this.replicaSets.on({ add: (rs) => this.addReplicaSet(rs), update: (o, rs) => this.updateReplicaSet(o, rs), delete: (rs) => this.deleteReplicaSet(rs) });
    this.pods.on({ delete: (p) => this.deletePod(p) });
    void Promise.all([this.deployments.synced, this.replicaSets.synced, this.pods.synced]).then(() =>
      runWorkers(this.queue, WORKERS, (key) => this.sync(key), (key, e) => {
        if (!isConflict(e)) this.ctx.log(`deployment-controller: syncing ${key}: ${(e as Error).message}`);
      }),
    );
  }

  stop(): void {
    this.queue.shutdown();
  }

  private enqueue(d: KubeObject): void {
    this.queue.add(keyOf(d));
  }

  // ---- event handlers ---------------------------------------------------------------------------

  private resolveControllerRef(namespace: string | undefined, ref: ReturnType<typeof controllerRef>): Deployment | undefined {
    if (!ref || ref.kind !== 'Deployment' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const d = this.deployments.get(`${namespace}/${ref.name}`);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  /** getDeploymentsForReplicaSet: Deployments whose (non-empty) selector matches an orphan. */
  private deploymentsMatching(rs: ReplicaSet): Deployment[] {
    if (!Object.keys(rs.metadata.labels ?? {}).length) return [];
    return this.deployments.list().filter((d) => {
      if (d.metadata.namespace !== rs.metadata.namespace) return false;
      try {
        const sel = fromLabelSelector(d.spec.selector);
        return !sel.empty && sel.matches(rs.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private addReplicaSet(rs: ReplicaSet): void {
    if (rs.metadata.deletionTimestamp) return this.deleteReplicaSet(rs);
    const ref = controllerRef(rs);
    if (ref) {
      const d = this.resolveControllerRef(rs.metadata.namespace, ref);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsMatching(rs)) this.enqueue(d);
  }

  private updateReplicaSet(old: ReplicaSet, cur: ReplicaSet): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const curRef = controllerRef(cur);
    const oldRef = controllerRef(old);
    const refChanged = JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null);
    if (refChanged && oldRef) {
      const d = this.resolveControllerRef(old.metadata.namespace, oldRef);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.resolveControllerRef(cur.metadata.namespace, curRef);
      if (d) this.enqueue(d);
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.deploymentsMatching(cur)) this.enqueue(d);
  }

  private deleteReplicaSet(rs: ReplicaSet): void {
    const d = this.resolveControllerRef(rs.metadata.namespace, controllerRef(rs));
    if (d) this.enqueue(d);
  }

  /** A Recreate rollout waits for the old pods to be gone: look again when one goes. */
  private deletePod(pod: Pod): void {
    const ref = controllerRef(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.get(`${pod.metadata.namespace}/${ref.name}`);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const d = this.resolveControllerRef(rs.metadata.namespace, controllerRef(rs));
    if (d?.spec.strategy?.type === 'Recreate') this.enqueue(d);
  }

  // ---- sync -------------------------------------------------------------------------------------

  private async sync(key: string): Promise<void> {
    const cached = this.deployments.get(key);
    if (!cached) return;
    const d: Deployment = { ...structuredClone(cached), ...DEPLOYMENT_KIND };
    const sel = d.spec.selector ?? {};
    if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) {
      this.actions.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        (d.status ??= {}).observedGeneration = d.metadata.generation;
        await this.actions.updateStatus(d);
      }
      return;
    }
    const rsList = await this.replicaSetsFor(d);
    const podMap = this.podMapFor(d, rsList);
    if (d.metadata.deletionTimestamp) return this.actions.syncStatusOnly(d, rsList);
    await this.actions.checkPausedConditions(d);
    if (d.spec.paused) return this.actions.sync(d, rsList);
    if (await this.actions.isScalingEvent(d, rsList)) return this.actions.sync(d, rsList);
    switch (d.spec.strategy?.type) {
      case 'Recreate':
        return rolloutRecreate(this.actions, d, rsList, podMap);
      case 'RollingUpdate':
        return rolloutRolling(this.actions, d, rsList);
    }
    throw new Error(`unexpected deployment strategy type: ${d.spec.strategy?.type}`);
  }

  /** getReplicaSetsForDeployment: claims the namespace's ReplicaSets (adopting and releasing). */
  private async replicaSetsFor(d: Deployment): Promise<ReplicaSet[]> {
    const selector = fromLabelSelector(d.spec.selector);
    const inNamespace = this.replicaSets.list().filter((rs) => rs.metadata.namespace === d.metadata.namespace);
    return claim(inNamespace, {
      owner: d,
      ownerRef: newControllerRef(d, DEPLOYMENT_KIND.apiVersion, DEPLOYMENT_KIND.kind),
      match: (rs) => selector.matches(rs.metadata.labels),
      client: this.ctx.resource('apps', 'replicasets'),
      recheckOwner: async () => {
        const fresh = await this.ctx.resource('apps', 'deployments').get(d.metadata.namespace, d.metadata.name!);
        if (fresh.metadata?.uid !== d.metadata.uid) {
          throw new Error(`original Deployment ${d.metadata.namespace}/${d.metadata.name} is gone: got uid ${fresh.metadata?.uid}, wanted ${d.metadata.uid}`);
        }
        if (fresh.metadata?.deletionTimestamp) throw new Error(`${d.metadata.namespace}/${d.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
      },
    });
  }

  /** getPodMapForDeployment: the Deployment's pods grouped by the ReplicaSet controlling them. */
  private podMapFor(d: Deployment, rsList: ReplicaSet[]): Map<string, Pod[]> {
    const map = new Map<string, Pod[]>(rsList.map((rs) => [rs.metadata.uid!, []]));
    const selector = fromLabelSelector(d.spec.selector);
    for (const p of this.pods.list()) {
      if (p.metadata.namespace !== d.metadata.namespace || !selector.matches(p.metadata.labels)) continue;
      const ref = controllerRef(p);
      if (ref && map.has(ref.uid)) map.get(ref.uid)!.push(p);
    }
    return map;
  }
}
