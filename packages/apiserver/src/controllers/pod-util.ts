// Pod predicates the workload controllers share, and the order in which a ReplicaSet gives up
// surplus pods (k8s.io/kubernetes pkg/controller/controller_utils.go: ActivePodsWithRanks).
import { parseTime, type Pod, type PodCondition } from './workload-types.js';

/** IsPodActive: neither finished nor being deleted. */
export function isPodActive(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata?.deletionTimestamp;
}

export function readyCondition(p: Pod): PodCondition | undefined {
  return p.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(p: Pod): boolean {
  return readyCondition(p)?.status === 'True';
}

/** IsPodAvailable: ready, and ready for longer than minReadySeconds. */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(p)) return false;
  if (!minReadySeconds) return true;
  const since = parseTime(readyCondition(p)?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

/** When a ready-but-not-yet-available pod becomes available (ms), for requeueing. */
export function availableAt(p: Pod, minReadySeconds: number): number | undefined {
  if (!isPodReady(p) || !minReadySeconds) return undefined;
  const since = parseTime(readyCondition(p)?.lastTransitionTime);
  return since === undefined ? undefined : since + minReadySeconds * 1000;
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/** GetDeletionCostFromPodAnnotations: an int32, 0 when absent or invalid. */
function deletionCost(p: Pod): number {
  const v = p.metadata?.annotations?.[DELETION_COST];
  if (v === undefined || !/^[-+]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n < -(2 ** 31) || n > 2 ** 31 - 1 ? 0 : n;
}

/** The highest restart count of regular containers, then of sidecars (restartable init containers). */
function maxContainerRestarts(p: Pod): [number, number] {
  let regular = 0;
  for (const c of p.status?.containerStatuses ?? []) regular = Math.max(regular, c.restartCount ?? 0);
  const sidecars = new Set((p.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  let sidecar = 0;
  for (const c of p.status?.initContainerStatuses ?? []) if (sidecars.has(c.name)) sidecar = Math.max(sidecar, c.restartCount ?? 0);
  return [regular, sidecar];
}

/** afterOrZero: a zero time sorts first, then the later time. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** logarithmicRankDiff (LogarithmicScaleDown): compares ages on a log2 scale of nanoseconds. */
function logarithmicRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number) => {
    const ns = (now - t) * 1e6;
    return ns > 0 ? Math.trunc(Math.log2(ns)) : -1;
  };
  return rank(t1) - rank(t2);
}

export interface RankedPod {
  pod: Pod;
  /** How many active pods of the same owner family share this pod's node. */
  rank: number;
}

/** ActivePodsWithRanks.Less: true when `a` should be deleted before `b`. */
export function deleteBefore(a: RankedPod, b: RankedPod, now: number): boolean {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  // 1. Unassigned < assigned
  if (na !== nb && (!na || !nb)) return !na;
  // 2. Pending < Unknown < Running
  const oa = PHASE_ORDINAL[pa.status?.phase ?? ''] ?? 0;
  const ob = PHASE_ORDINAL[pb.status?.phase ?? ''] ?? 0;
  if (oa !== ob) return oa < ob;
  // 3. Not ready < ready
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return !ra;
  // 4. Lower pod-deletion-cost < higher
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca < cb;
  // 5. Doubled up (more colocated pods of the family) < not doubled up
  if (a.rank !== b.rank) return a.rank > b.rank;
  const byAge = (ta: number | undefined, tb: number | undefined): boolean => {
    if (ta === undefined || tb === undefined) return afterOrZero(ta, tb);
    const diff = logarithmicRankDiff(ta, tb, now);
    if (diff === 0) return (pa.metadata?.uid ?? '') < (pb.metadata?.uid ?? '');
    return diff < 0;
  };
  // 6. Ready for less time < more time
  if (ra && rb) {
    const ta = parseTime(readyCondition(pa)?.lastTransitionTime);
    const tb = parseTime(readyCondition(pb)?.lastTransitionTime);
    if (ta !== tb) return byAge(ta, tb);
  }
  // 7. More container restarts < fewer
  const [rega, sidea] = maxContainerRestarts(pa);
  const [regb, sideb] = maxContainerRestarts(pb);
  if (rega !== regb) return rega > regb;
  if (sidea !== sideb) return sidea > sideb;
  // 8. Newer < older
  const ta = parseTime(pa.metadata?.creationTimestamp as string | undefined);
  const tb = parseTime(pb.metadata?.creationTimestamp as string | undefined);
  if (ta !== tb) return byAge(ta, tb);
  return false;
}

/**
 * getPodsToDelete: the `diff` pods to delete, ranked by deleteBefore. `related` are the active pods
 * of every ReplicaSet with the same owner (a Deployment's old and new sets), used to prefer
 * nodes that run more of them.
 */
export function podsToDelete(pods: Pod[], related: Pod[], diff: number, now = Date.now()): Pod[] {
  if (diff >= pods.length) return pods.slice(0, diff);
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked: RankedPod[] = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((a, b) => (deleteBefore(a, b, now) ? -1 : deleteBefore(b, a, now) ? 1 : 0));
  return ranked.slice(0, diff).map((r) => r.pod);
}
