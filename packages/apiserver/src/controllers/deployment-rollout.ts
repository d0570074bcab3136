// The two rollout strategies (pkg/controller/deployment/rolling.go and recreate.go).
import type { DeploymentActions } from './deployment-sync.js';
import { activeReplicaSets, actualReplicaCount, availableReplicaCount, byCreation, maxUnavailable, newRSNewReplicas, replicaCount, replicasOf } from './deployment-util.js';
import { deploymentComplete } from './deployment-status.js';
import type { Deployment, Pod, ReplicaSet } from './workload-types.js';

// ---- RollingUpdate ------------------------------------------------------------------------------

/** rolloutRolling: scale the new ReplicaSet up if possible, else old ones down, then status. */
export async function rolloutRolling(dc: DeploymentActions, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await dc.allReplicaSets(d, rsList, true);
  const all = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(dc, all, newRS!, d)) return dc.syncRolloutStatus(all, newRS, d);
  if (await reconcileOldReplicaSets(dc, all, activeReplicaSets(oldRSs), newRS!, d)) return dc.syncRolloutStatus(all, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await dc.cleanup(oldRSs, d);
  return dc.syncRolloutStatus(all, newRS, d);
}

async function reconcileNewReplicaSet(dc: DeploymentActions, all: (ReplicaSet | null)[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (replicasOf(newRS) === replicasOf(d)) return false;
  if (replicasOf(newRS) > replicasOf(d)) return (await dc.scaleAndRecord(newRS, replicasOf(d), d)).scaled;
  return (await dc.scaleAndRecord(newRS, newRSNewReplicas(d, all, newRS), d)).scaled;
}

/**
 * reconcileOldReplicaSets: scale old ReplicaSets down by at most
 * allPods - minAvailable - newRSUnavailable (so unavailable new pods never license taking
 * available old ones away), unhealthy old replicas first.
 */
async function reconcileOldReplicaSets(dc: DeploymentActions, all: (ReplicaSet | null)[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false;
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newRSUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = replicaCount(all) - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return false;
  // Errors here end the step without failing the sync, as in Kubernetes; the next sync retries.
  let cleaned: { oldRSs: ReplicaSet[]; count: number };
  try {
    cleaned = await cleanupUnhealthyReplicas(dc, oldRSs, d, maxScaledDown);
  } catch {
    return false;
  }
  let scaledDown = 0;
  try {
    scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(dc, [...cleaned.oldRSs, newRS], cleaned.oldRSs, d);
  } catch {
    return false;
  }
  return cleaned.count + scaledDown > 0;
}

/** cleanupUnhealthyReplicas: drop old replicas that are not available, oldest ReplicaSets first. */
async function cleanupUnhealthyReplicas(dc: DeploymentActions, oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<{ oldRSs: ReplicaSet[]; count: number }> {
  const sorted = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (total >= maxCleanup) break;
    const rs = sorted[i];
    const replicas = replicasOf(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) continue;
    const count = Math.min(maxCleanup - total, replicas - available);
    const target = replicas - count;
    if (target > replicas) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${replicas} -> ${target}`);
    sorted[i] = (await dc.scaleAndRecord(rs, target, d)).rs;
    total += count;
  }
  return { oldRSs: sorted, count: total };
}

/** scaleDownOldReplicaSetsForRollingUpdate: only while more than minAvailable pods are available. */
async function scaleDownOldReplicaSetsForRollingUpdate(dc: DeploymentActions, all: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = availableReplicaCount(all);
  if (available <= minAvailable) return 0;
  const want = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= want) break;
    if (replicasOf(rs) === 0) continue;
    const count = Math.min(replicasOf(rs), want - total);
    await dc.scaleAndRecord(rs, replicasOf(rs) - count, d);
    total += count;
  }
  return total;
}

// ---- Recreate -----------------------------------------------------------------------------------

/**
 * rolloutRecreate: scale every old ReplicaSet to 0, wait until none of their pods is left, then
 * create/scale up the new one.
 */
export async function rolloutRecreate(dc: DeploymentActions, d: Deployment, rsList: ReplicaSet[], podMap: Map<string, Pod[]>): Promise<void> {
  // No new ReplicaSet yet: creating it now would scale up before scaling down.
  let { newRS, oldRSs } = await dc.allReplicaSets(d, rsList, false);
  let all: (ReplicaSet | null)[] = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) {
    if ((await dc.scaleAndRecord(rs, 0, d)).scaled) scaledDown = true;
  }
  if (scaledDown || oldPodsRunning(newRS, oldRSs, podMap)) return dc.syncRolloutStatus(all, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await dc.allReplicaSets(d, rsList, true));
    all = [...oldRSs, newRS];
  }
  await dc.scaleAndRecord(newRS!, replicasOf(d), d);
  if (deploymentComplete(d, d.status ?? {})) await dc.cleanup(oldRSs, d);
  return dc.syncRolloutStatus(all, newRS, d);
}

/** oldPodsRunning: old ReplicaSets report pods, or any old pod (terminating too) is not finished. */
export function oldPodsRunning(newRS: ReplicaSet | null, oldRSs: ReplicaSet[], podMap: Map<string, Pod[]>): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata.uid === uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}
