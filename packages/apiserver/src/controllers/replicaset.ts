// ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps spec.replicas active pods
// that match the selector and carry the ReplicaSet's controller reference; adopts matching orphans,
// releases pods that stopped matching, creates from the template and deletes surplus pods in
// Kubernetes' order, and reports status through the /status subresource.
import { ApiError, EventRecorder, fromLabelSelector, type Informer, type KubeObject, type LabelSelectorExpr } from '@minik/api';
import { isConflict, isNotFound, type Controller, type ControllerContext } from './controller.js';
import { claim } from './controller-ref.js';
import { Expectations } from './expectations.js';
import { availableAt, isPodActive, isPodAvailable, isPodReady, podsToDelete } from './pod-util.js';
import { calculateReplicaSetStatus, replicaSetStatusJSON, replicaSetStatusUnchanged } from './replicaset-status.js';
import { WorkQueue, runWorkers } from './workqueue.js';
import { controllerRef, keyOf, newControllerRef, type Pod, type ReplicaSet, type ReplicaSetStatus } from './workload-types.js';

/** Most pods one sync creates or deletes (BurstReplicas). */
const BURST_REPLICAS = 500;
/** Create batches start at 1 and double while they succeed (SlowStartInitialBatchSize). */
const SLOW_START_INITIAL_BATCH = 1;
const WORKERS = 5;

const RS_KIND = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

/** slowStartBatch: calls fn `count` times in doubling batches, stopping after a failing batch. */
export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initial); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, fn));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failed.length;
    if (failed.length) return { successes, error: failed[0].reason };
    remaining -= batch;
  }
  return { successes };
}

/** Errors saying the namespace is going away: creating there is pointless, not a failure. */
export function isNamespaceTerminating(e: unknown): boolean {
  if (!(e instanceof ApiError)) return false;
  return !!e.status.details?.causes?.some((c) => (c as { type?: string }).type === 'NamespaceTerminating') || /because it is being terminated/.test(e.message);
}

export class ReplicaSetController implements Controller {
  readonly name = 'replicaset';
  private readonly queue = new WorkQueue();
  private readonly expectations = new Expectations();
  private readonly recorder: EventRecorder;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = new EventRecorder(ctx.client, { component: 'replicaset-controller' });
    this.recorder.onError = (e) => ctx.log(`replicaset-controller: recording an event: ${(e as Error).message}`);
    this.replicaSets = ctx.informer('apps', 'replicasets') as Informer<ReplicaSet>;
    this.pods = ctx.informer('', 'pods') as Informer<Pod>;
  }

  start(): void {
    this.replicaSets.on({
      add: (rs) => this.enqueue(rs),
      update: (_old, rs) => this.enqueue(rs),
      delete: (rs) => {
        this.expectations.delete(keyOf(rs));
        this.enqueue(rs);
      },
    });
    this.pods.on({ add: (p) => this.addPod(p), update: (o, p) => this.updatePod(o, p), delete: (p) => this.deletePod(p) });
    // Like WaitForCacheSync: acting on a half-filled cache would create pods that already exist.
    void Promise.all([this.replicaSets.synced, this.pods.synced]).then(() =>
      runWorkers(this.queue, WORKERS, (key) => this.sync(key), (key, e) => {
        if (!isConflict(e)) this.ctx.log(`replicaset-controller: syncing ${key}: ${(e as Error).message}`);
      }),
    );
  }

  stop(): void {
    this.queue.shutdown();
  }

  private enqueue(rs: KubeObject, afterMs = 0): void {
    if (afterMs > 0) this.queue.addAfter(keyOf(rs), afterMs);
    else this.queue.add(keyOf(rs));
  }

  // ---- event handlers (addPod / updatePod / deletePod) -----------------------------------

  /** The ReplicaSet a controller reference points to, if it still is that object. */
  private resolveControllerRef(namespace: string | undefined, ref: ReturnType<typeof controllerRef>): ReplicaSet | undefined {
    if (!ref || ref.kind !== 'ReplicaSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const rs = this.replicaSets.get(`${namespace}/${ref.name}`);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  /** GetPodReplicaSets: ReplicaSets in the pod's namespace whose (non-empty) selector matches it. */
  private replicaSetsMatching(pod: Pod): ReplicaSet[] {
    if (!Object.keys(pod.metadata?.labels ?? {}).length) return [];
    return this.replicaSets.list().filter((rs) => {
      if (rs.metadata.namespace !== pod.metadata.namespace) return false;
      const sel = safeSelector(rs);
      return !!sel && !sel.empty && sel.matches(pod.metadata.labels);
    });
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // Seen for the first time already being deleted (e.g. after a restart): count it as gone.
      this.deletePod(pod);
      return;
    }
    const ref = controllerRef(pod);
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata.namespace, ref);
      if (!rs) return;
      this.expectations.creationObserved(keyOf(rs));
      this.enqueue(rs);
      return;
    }
    for (const rs of this.replicaSetsMatching(pod)) this.enqueue(rs);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      // A graceful delete only sets deletionTimestamp; act at once instead of waiting for the kubelet.
      this.deletePod(cur);
      if (labelsChanged) this.deletePod(old);
      return;
    }
    const curRef = controllerRef(cur);
    const oldRef = controllerRef(old);
    const refChanged = JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null);
    if (refChanged && oldRef) {
      const rs = this.resolveControllerRef(old.metadata.namespace, oldRef);
      if (rs) this.enqueue(rs);
    }
    if (curRef) {
      const rs = this.resolveControllerRef(cur.metadata.namespace, curRef);
      if (!rs) return;
      this.enqueue(rs);
      // Availability comes minReadySeconds after readiness; look again then.
      const minReady = rs.spec.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.enqueue(rs, minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.replicaSetsMatching(cur)) this.enqueue(rs);
  }

  private deletePod(pod: Pod): void {
    const rs = this.resolveControllerRef(pod.metadata.namespace, controllerRef(pod));
    if (!rs) return;
    this.expectations.deletionObserved(keyOf(rs), keyOf(pod));
    this.enqueue(rs);
  }

  // ---- sync --------------------------------------------------------------------------------

  private async sync(key: string): Promise<void> {
    const cached = this.replicaSets.get(key);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const rs = structuredClone(cached);
    const needsSync = this.expectations.satisfied(key);
    const selector = safeSelector(rs);
    if (!selector) return; // invalid selectors are refused by validation; nothing sensible to do
    const rsUid = rs.metadata.uid;
    // Owned pods and orphans: pods still owned but no longer matching must be seen to be released.
    const candidates = this.podsIn(rs.metadata.namespace!).filter((p) => {
      const ref = controllerRef(p);
      return isPodActive(p) && (!ref || ref.uid === rsUid);
    });
    const owned = await claim(candidates, {
      owner: rs,
      ownerRef: newControllerRef(rs, RS_KIND.apiVersion, RS_KIND.kind),
      match: (p) => selector.matches(p.metadata.labels),
      client: this.ctx.resource('', 'pods'),
      recheckOwner: () => this.recheckDeletion(rs),
    });

    let manageError: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(owned, rs);
      } catch (e) {
        manageError = e;
      }
    }
    const now = Date.now();
    const status = calculateReplicaSetStatus(rs, owned, manageError, now);
    const updated = await this.updateStatus(rs, status);
    const replicas = updated.spec.replicas ?? 1;
    const st = updated.status ?? {};
    const minReady = updated.spec.minReadySeconds ?? 0;
    if (!manageError && minReady > 0 && (st.readyReplicas ?? 0) === replicas && (st.availableReplicas ?? 0) !== replicas) {
      // Requeue when the next ready pod will have been ready for minReadySeconds.
      const pending = owned.filter((p) => isPodReady(p) && !isPodAvailable(p, minReady, now)).map((p) => availableAt(p, minReady) ?? now + minReady * 1000);
      if (pending.length) this.queue.addAfter(key, Math.max(Math.min(...pending) - now, 0) + 50);
    }
    if (manageError) throw manageError;
  }

  private podsIn(namespace: string): Pod[] {
    return this.pods.list().filter((p) => p.metadata.namespace === namespace);
  }

  /** RecheckDeletionTimestamp: a live read, so a ReplicaSet being deleted adopts nothing. */
  private async recheckDeletion(rs: ReplicaSet): Promise<void> {
    const fresh = await this.ctx.resource('apps', 'replicasets').get(rs.metadata.namespace, rs.metadata.name!);
    if (fresh.metadata?.uid !== rs.metadata.uid) {
      throw new Error(`original ReplicaSet ${rs.metadata.namespace}/${rs.metadata.name} is gone: got uid ${fresh.metadata?.uid}, wanted ${rs.metadata.uid}`);
    }
    if (fresh.metadata?.deletionTimestamp) throw new Error(`${rs.metadata.namespace}/${rs.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }

  private async manageReplicas(pods: Pod[], rs: ReplicaSet): Promise<void> {
    const key = keyOf(rs);
    let diff = pods.length - (rs.spec.replicas ?? 1);
    if (diff < 0) {
      diff = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, diff);
      const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH, () => this.createPod(rs));
      // Creations never attempted or failed will not be observed: stop expecting them.
      for (let i = successes; i < diff; i++) this.expectations.creationObserved(key);
      if (error) throw error;
      return;
    }
    if (diff > 0) {
      diff = Math.min(diff, BURST_REPLICAS);
      const victims = podsToDelete(pods, this.relatedPods(rs), diff);
      this.expectations.expectDeletions(key, victims.map((p) => keyOf(p)));
      const results = await Promise.allSettled(victims.map((p) => this.deletePodOf(rs, p)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  /**
   * getIndirectlyRelatedPods: pods of every ReplicaSet sharing this one's controller (all
   * ReplicaSets of a Deployment), so deletions prefer nodes crowded with the whole family.
   */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerRef(rs);
    if (!owner) return [];
    const family = this.replicaSets.list().filter((r) => r.metadata.namespace === rs.metadata.namespace && controllerRef(r)?.uid === owner.uid);
    const pods = this.podsIn(rs.metadata.namespace!);
    const related = new Map<string, Pod>();
    for (const r of family) {
      const sel = safeSelector(r);
      for (const p of pods) if (sel?.matches(p.metadata.labels) && !related.has(p.metadata.uid!)) related.set(p.metadata.uid!, p);
    }
    return [...related.values()];
  }

  /** GetPodFromTemplate + createPods: labels, annotations and finalizers from the template. */
  private async createPod(rs: ReplicaSet): Promise<void> {
    const tpl = rs.spec.template ?? {};
    const tm = tpl.metadata ?? {};
    if (!Object.keys(tm.labels ?? {}).length) throw new Error('unable to create pods, no labels');
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        labels: { ...tm.labels },
        ...(tm.annotations ? { annotations: { ...tm.annotations } } : {}),
        ...(tm.finalizers?.length ? { finalizers: [...tm.finalizers] } : {}),
        ownerReferences: [newControllerRef(rs, RS_KIND.apiVersion, RS_KIND.kind)],
      },
      spec: structuredClone(tpl.spec ?? {}),
    };
    let created: KubeObject;
    try {
      created = await this.ctx.resource('', 'pods').create(rs.metadata.namespace, pod);
    } catch (e) {
      if (isNamespaceTerminating(e)) return;
      void this.recorder.event(this.eventTarget(rs), 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
      throw e;
    }
    void this.recorder.event(this.eventTarget(rs), 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
  }

  private async deletePodOf(rs: ReplicaSet, pod: Pod): Promise<void> {
    const key = keyOf(rs);
    try {
      await this.ctx.resource('', 'pods').delete(pod.metadata.namespace, pod.metadata.name!);
    } catch (e) {
      // This deletion will never be observed.
      this.expectations.deletionObserved(key, keyOf(pod));
      if (isNotFound(e)) return;
      void this.recorder.event(this.eventTarget(rs), 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
      throw e;
    }
    void this.recorder.event(this.eventTarget(rs), 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  }

  private eventTarget(rs: ReplicaSet): KubeObject {
    return { ...RS_KIND, metadata: rs.metadata };
  }

  /** updateReplicaSetStatus: write only on change, recording the generation acted on; one retry. */
  private async updateStatus(rs: ReplicaSet, status: ReplicaSetStatus): Promise<ReplicaSet> {
    if (replicaSetStatusUnchanged(rs, status)) return rs;
    const rc = this.ctx.resource('apps', 'replicasets');
    const next: ReplicaSetStatus = replicaSetStatusJSON({ ...status, observedGeneration: rs.metadata.generation });
    let target: KubeObject = rs;
    for (let attempt = 0; ; attempt++) {
      try {
        return (await rc.updateStatus(rs.metadata.namespace, { ...target, ...RS_KIND, status: next })) as ReplicaSet;
      } catch (e) {
        if (attempt >= 1) throw e;
        target = await rc.get(rs.metadata.namespace, rs.metadata.name!);
      }
    }
  }
}

function safeSelector(rs: ReplicaSet): LabelSelectorExpr | undefined {
  try {
    return fromLabelSelector(rs.spec.selector);
  } catch {
    return undefined;
  }
}
