// What a Deployment sync does to the cluster (pkg/controller/deployment/sync.go and progress.go):
// find or create the new ReplicaSet and keep revisions in step, scale ReplicaSets with events,
// proportional scaling, history cleanup, status and conditions, progress-deadline requeues.
import { ApiError, type EventRecorder, type Informer } from '@minik/api';
import type { ControllerContext } from './controller.js';
import {
  activeReplicaSets,
  byRevision,
  desiredReplicasAnnotation,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  newRSNewReplicas,
  proportionalSizes,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  REVISION,
} from './deployment-util.js';
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentStatusJSON,
  deploymentTimedOut,
  getCondition,
  newCondition,
  removeCondition,
  sameStatus,
  setCondition,
  PROGRESSING,
  REPLICA_FAILURE,
  Reason,
} from './deployment-status.js';
import { computeHash, equalIgnoreHash, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';
import { isNamespaceTerminating } from './replicaset.js';
import type { WorkQueue } from './workqueue.js';
import { controllerRef, keyOf, newControllerRef, parseTime, type Deployment, type DeploymentCondition, type DeploymentStatus, type ReplicaSet } from './workload-types.js';

export const DEPLOYMENT_KIND = { apiVersion: 'apps/v1', kind: 'Deployment' };
export const RS_KIND = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

/** Replaces `rs` in the sync's list by its newer version, so later steps do not act on a stale copy. */
function refresh(list: ReplicaSet[], rs: ReplicaSet): void {
  const i = list.findIndex((r) => r.metadata.uid === rs.metadata.uid);
  if (i >= 0) list[i] = rs;
}

export class DeploymentActions {
  constructor(
    private readonly ctx: ControllerContext,
    private readonly recorder: EventRecorder,
    private readonly queue: WorkQueue,
    private readonly replicaSets: Informer<ReplicaSet>,
  ) {}

  private get rsClient() {
    return this.ctx.resource('apps', 'replicasets');
  }

  event(d: Deployment, type: 'Normal' | 'Warning', reason: string, message: string): void {
    void this.recorder.event({ ...DEPLOYMENT_KIND, metadata: d.metadata }, type, reason, message);
  }

  /** UpdateStatus (annotations go along: the revision is written this way, as Kubernetes does). */
  async updateStatus(d: Deployment): Promise<void> {
    const res = await this.ctx.resource('apps', 'deployments').updateStatus(d.metadata.namespace, { ...d, ...DEPLOYMENT_KIND, status: deploymentStatusJSON(d.status ?? {}) });
    // Later writes in this sync start from what was just written.
    d.metadata.resourceVersion = res.metadata?.resourceVersion;
  }

  private async updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    return (await this.rsClient.update(rs.metadata.namespace, { ...rs, ...RS_KIND })) as ReplicaSet;
  }

  // ---- new ReplicaSet and revisions ------------------------------------------------------------

  /** getAllReplicaSetsAndSyncRevision */
  async allReplicaSets(d: Deployment, rsList: ReplicaSet[], createIfMissing: boolean): Promise<{ newRS: ReplicaSet | null; oldRSs: ReplicaSet[] }> {
    const { all } = findOldReplicaSets(d, rsList);
    const newRS = await this.getNewReplicaSet(d, rsList, all, createIfMissing);
    return { newRS, oldRSs: all };
  }

  /**
   * getNewReplicaSet: the ReplicaSet with the Deployment's template, its revision raised to
   * max(old)+1 (a reused old one included) and annotations synced; created when asked.
   */
  private async getNewReplicaSet(d: Deployment, rsList: ReplicaSet[], oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | null> {
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = maxRevision(oldRSs) + 1;
    if (existing) {
      const rs = structuredClone(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, rs, newRevision, true);
      if (annotationsChanged || (rs.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0)) {
        rs.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
        const updated = await this.updateReplicaSet(rs);
        refresh(rsList, updated);
        return updated;
      }
      // The Deployment takes the revision the new ReplicaSet already has.
      let needsUpdate = setDeploymentRevision(d, rs.metadata.annotations?.[REVISION]);
      if (hasProgressDeadline(d) && !getCondition(d.status, PROGRESSING)) {
        setCondition((d.status ??= {}), newCondition(PROGRESSING, 'True', Reason.FoundNewReplicaSet, `Found new replica set "${rs.metadata.name}"`));
        needsUpdate = true;
      }
      if (needsUpdate) await this.updateStatus(d);
      return rs;
    }
    if (!create) return null;
    return this.createNewReplicaSet(d, oldRSs, newRevision);
  }

  private async createNewReplicaSet(d: Deployment, oldRSs: ReplicaSet[], newRevision: number): Promise<ReplicaSet> {
    const template = structuredClone(d.spec.template ?? {});
    const hash = computeHash(template, d.status?.collisionCount);
    const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    template.metadata = { ...(template.metadata ?? {}), labels };
    const selector = structuredClone(d.spec.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const newRS: ReplicaSet = {
      ...RS_KIND,
      // A deterministic name makes creation idempotent.
      metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, ownerReferences: [newControllerRef(d, DEPLOYMENT_KIND.apiVersion, DEPLOYMENT_KIND.kind)], labels: { ...labels } },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    };
    const replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec.replicas = replicas;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);

    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = (await this.rsClient.create(d.metadata.namespace, newRS)) as ReplicaSet;
    } catch (e) {
      if (e instanceof ApiError && e.reason === 'AlreadyExists') {
        // A slow cache, or a hash collision with a ReplicaSet that is not ours.
        alreadyExists = true;
        const rs = this.replicaSets.get(keyOf(newRS)) ?? ((await this.rsClient.get(d.metadata.namespace, newRS.metadata.name!)) as ReplicaSet);
        if (controllerRef(rs)?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, rs.spec.template)) {
          created = rs;
        } else {
          const before = d.status?.collisionCount ?? 0;
          (d.status ??= {}).collisionCount = before + 1;
          await this.updateStatus(d).catch(() => undefined);
          this.ctx.log(`deployment-controller: hash collision for ${keyOf(d)}; collisionCount ${before} -> ${before + 1}`);
          throw e;
        }
      } else if (isNamespaceTerminating(e)) {
        throw e;
      } else {
        const msg = `Failed to create new replica set "${newRS.metadata.name}": ${(e as Error).message}`;
        if (hasProgressDeadline(d)) {
          setCondition((d.status ??= {}), newCondition(PROGRESSING, 'False', Reason.FailedRSCreate, msg));
          await this.updateStatus(d).catch(() => undefined);
        }
        this.event(d, 'Warning', Reason.FailedRSCreate, msg);
        throw e;
      }
    }
    if (!alreadyExists && replicas > 0) this.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
    let needsUpdate = setDeploymentRevision(d, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition((d.status ??= {}), newCondition(PROGRESSING, 'True', Reason.NewReplicaSetCreated, `Created new replica set "${created.metadata.name}"`));
      needsUpdate = true;
    }
    if (needsUpdate) await this.updateStatus(d);
    return created;
  }

  // ---- scaling ----------------------------------------------------------------------------------

  /** scaleReplicaSetAndRecordEvent */
  async scaleAndRecord(rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (replicasOf(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, d, replicasOf(rs) < newScale ? 'up' : 'down');
  }

  /** scaleReplicaSet: size and the desired/max-replicas annotations in one update, then the event. */
  async scaleReplicaSet(rs: ReplicaSet, newScale: number, d: Deployment, operation: string): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const sizeChanged = replicasOf(rs) !== newScale;
    const max = replicasOf(d) + maxSurge(d);
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, replicasOf(d), max)) return { scaled: false, rs };
    const oldScale = replicasOf(rs);
    const copy = structuredClone(rs);
    copy.spec.replicas = newScale;
    setReplicasAnnotations(copy, replicasOf(d), max);
    const updated = await this.updateReplicaSet(copy);
    if (sizeChanged) this.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${updated.metadata.name} from ${oldScale} to ${newScale}`);
    return { scaled: sizeChanged, rs: updated };
  }

  /**
   * scale: for resizes and paused Deployments. One active ReplicaSet takes the full size; a
   * saturated new one leaves the old ones at 0; otherwise a rolling Deployment shares the
   * difference proportionally.
   */
  async scale(d: Deployment, newRS: ReplicaSet | null, oldRSs: ReplicaSet[]): Promise<void> {
    const single = findActiveOrLatest(newRS, oldRSs);
    if (single) {
      if (replicasOf(single) === replicasOf(d)) return;
      await this.scaleAndRecord(single, replicasOf(d), d);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of activeReplicaSets(oldRSs)) await this.scaleAndRecord(old, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const { order, sizes, operation } = proportionalSizes(d, activeReplicaSets([...oldRSs, newRS]));
    for (const rs of order) await this.scaleReplicaSet(rs, sizes.get(rs.metadata.name!)!, d, operation);
  }

  /** isScalingEvent: an active ReplicaSet was sized for a different spec.replicas. */
  async isScalingEvent(d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.allReplicaSets(d, rsList, false);
    return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
      const desired = desiredReplicasAnnotation(rs);
      return desired !== undefined && desired !== replicasOf(d);
    });
  }

  /** sync: scaling events and paused Deployments (no rollout); history cleanup while paused. */
  async sync(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.allReplicaSets(d, rsList, false);
    await this.scale(d, newRS, oldRSs);
    if (d.spec.paused) await this.cleanup(oldRSs, d);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  async syncStatusOnly(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.allReplicaSets(d, rsList, false);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  /** cleanupDeployment: delete the oldest ReplicaSets beyond revisionHistoryLimit that run nothing. */
  async cleanup(oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = cleanable.length - d.spec.revisionHistoryLimit!;
    if (diff <= 0) return;
    cleanable.sort(byRevision);
    for (const rs of cleanable.slice(0, diff)) {
      // Only ReplicaSets scaled to 0, with no pods, whose scale-down the controller has seen.
      if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.rsClient.delete(rs.metadata.namespace, rs.metadata.name!);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e;
      }
    }
  }

  // ---- status -----------------------------------------------------------------------------------

  async syncDeploymentStatus(allRSs: (ReplicaSet | null)[], newRS: ReplicaSet | null, d: Deployment): Promise<void> {
    const status = calculateStatus(allRSs, newRS, d);
    if (sameStatus(d.status, status)) return;
    d.status = status;
    await this.updateStatus(d);
  }

  /** checkPausedConditions: Progressing Unknown while paused, so a resume never looks like a timeout. */
  async checkPausedConditions(d: Deployment): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, PROGRESSING);
    if (cond?.reason === Reason.TimedOut) return;
    const pausedCond = cond?.reason === Reason.Paused;
    let c: DeploymentCondition | undefined;
    if (d.spec.paused && !pausedCond) c = newCondition(PROGRESSING, 'Unknown', Reason.Paused, 'Deployment is paused');
    else if (!d.spec.paused && pausedCond) c = newCondition(PROGRESSING, 'Unknown', Reason.Resumed, 'Deployment is resumed');
    if (!c) return;
    setCondition((d.status ??= {}), c);
    await this.updateStatus(d);
  }

  /** syncRolloutStatus: status plus the Progressing condition and ReplicaFailure from ReplicaSets. */
  async syncRolloutStatus(allRSs: (ReplicaSet | null)[], newRS: ReplicaSet | null, d: Deployment): Promise<void> {
    const now = Date.now();
    const status = calculateStatus(allRSs, newRS, d, now);
    if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING);
    const current = getCondition(d.status, PROGRESSING);
    const complete = status.replicas === status.updatedReplicas && current?.reason === Reason.NewRSAvailable;
    if (hasProgressDeadline(d) && !complete) {
      const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
      if (deploymentComplete(d, status)) {
        setCondition(status, newCondition(PROGRESSING, 'True', Reason.NewRSAvailable, `${subject} has successfully progressed.`, now));
      } else if (deploymentProgressing(d, status)) {
        // Progress refreshes lastUpdateTime even when the reason stays the same.
        const c = newCondition(PROGRESSING, 'True', Reason.ReplicaSetUpdated, `${subject} is progressing.`, now);
        if (current) {
          if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
          removeCondition(status, PROGRESSING);
        }
        setCondition(status, c);
      } else if (deploymentTimedOut(d, status, now)) {
        setCondition(status, newCondition(PROGRESSING, 'False', Reason.TimedOut, `${subject} has timed out progressing.`, now));
      }
    }
    const failure = replicaFailure(allRSs, newRS);
    if (failure) setCondition(status, failure);
    else removeCondition(status, REPLICA_FAILURE);
    if (sameStatus(d.status, status)) {
      this.requeueStuck(d, status, now);
      return;
    }
    d.status = status;
    await this.updateStatus(d);
  }

  /** requeueStuckDeployment: look again when the progress deadline would pass. */
  private requeueStuck(d: Deployment, status: DeploymentStatus, now: number): void {
    const current = getCondition(d.status, PROGRESSING);
    if (!hasProgressDeadline(d) || !current) return;
    if (deploymentComplete(d, status) || current.reason === Reason.TimedOut) return;
    const after = (parseTime(current.lastUpdateTime) ?? 0) + d.spec.progressDeadlineSeconds! * 1000 - now;
    // Kubernetes adds a second against clock skew; under a second it requeues rate-limited,
    // which without a token bucket here would spin, so it waits for the deadline instead.
    this.queue.addAfter(keyOf(d), after < 1000 ? Math.max(after, 0) + 100 : after + 1000);
  }
}

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure first, else any old one's. */
function replicaFailure(allRSs: (ReplicaSet | null)[], newRS: ReplicaSet | null): DeploymentCondition | undefined {
  const toDeployment = (rs: ReplicaSet | null) => {
    const c = rs?.status?.conditions?.find((x) => x.type === REPLICA_FAILURE);
    return c && { type: c.type, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
  };
  return toDeployment(newRS) ?? allRSs.map(toDeployment).find((c) => c);
}
