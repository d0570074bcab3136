// ReplicaSet status from its active pods (pkg/controller/replicaset/replica_set_utils.go).
import { metaTime } from '@minik/api';
import { canonicalJSON } from './pod-template-hash.js';
import { isPodAvailable, isPodReady } from './pod-util.js';
import { type Pod, type ReplicaSet, type ReplicaSetCondition, type ReplicaSetStatus } from './workload-types.js';

export const REPLICA_FAILURE = 'ReplicaFailure';

function setCondition(status: ReplicaSetStatus, c: ReplicaSetCondition): void {
  const cur = status.conditions?.find((x) => x.type === c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), c];
}

function removeCondition(status: ReplicaSetStatus, type: string): void {
  status.conditions = (status.conditions ?? []).filter((x) => x.type !== type);
  if (!status.conditions.length) delete status.conditions;
}

/**
 * calculateStatus: counts of the active pods the ReplicaSet owns (fully labelled = carrying every
 * template label; available = ready for minReadySeconds), and ReplicaFailure while creating or
 * deleting pods fails.
 */
export function calculateReplicaSetStatus(rs: ReplicaSet, activePods: Pod[], manageError: unknown, now = Date.now()): ReplicaSetStatus {
  const templateLabels = Object.entries(rs.spec.template?.metadata?.labels ?? {});
  const minReady = rs.spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of activePods) {
    const labels = p.metadata?.labels ?? {};
    if (templateLabels.every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  const status: ReplicaSetStatus = structuredClone(rs.status ?? {});
  const failure = status.conditions?.find((c) => c.type === REPLICA_FAILURE);
  if (manageError && !failure) {
    const diff = activePods.length - (rs.spec.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    setCondition(status, { type: REPLICA_FAILURE, status: 'True', lastTransitionTime: metaTime(now), reason, message: (manageError as Error).message ?? String(manageError) });
  } else if (!manageError && failure) {
    removeCondition(status, REPLICA_FAILURE);
  }
  return {
    replicas: activePods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: status.observedGeneration,
    conditions: status.conditions,
  };
}

/** The status as the API serialises it: omitempty fields dropped, in Go's field order. */
export function replicaSetStatusJSON(s: ReplicaSetStatus): ReplicaSetStatus {
  const out: ReplicaSetStatus = { replicas: s.replicas ?? 0 };
  if (s.fullyLabeledReplicas) out.fullyLabeledReplicas = s.fullyLabeledReplicas;
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas;
  if (s.availableReplicas) out.availableReplicas = s.availableReplicas;
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  if (s.conditions?.length) out.conditions = s.conditions;
  return out;
}

/** The steady-state check of updateReplicaSetStatus: nothing to write. */
export function replicaSetStatusUnchanged(rs: ReplicaSet, s: ReplicaSetStatus): boolean {
  const cur = rs.status ?? {};
  return (
    (cur.replicas ?? 0) === (s.replicas ?? 0) &&
    (cur.fullyLabeledReplicas ?? 0) === (s.fullyLabeledReplicas ?? 0) &&
    (cur.readyReplicas ?? 0) === (s.readyReplicas ?? 0) &&
    (cur.availableReplicas ?? 0) === (s.availableReplicas ?? 0) &&
    (rs.metadata.generation ?? 0) === (cur.observedGeneration ?? 0) &&
    canonicalJSON(cur.conditions ?? []) === canonicalJSON(s.conditions ?? [])
  );
}
