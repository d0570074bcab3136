// The Deployment controller's pure helpers (pkg/controller/deployment/util/deployment_util.go and
// the ReplicaSet sort orders of pkg/controller/controller_utils.go): surge/unavailable arithmetic,
// revisions and annotations, new/old ReplicaSet selection, proportional scaling.
import { equalIgnoreHash } from './pod-template-hash.js';
import { parseTime, type Deployment, type IntOrString, type ReplicaSet } from './workload-types.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** Longest revision-history annotation, in characters (maxRevHistoryLengthInChars). */
export const MAX_REV_HISTORY_CHARS = 2000;
const MAX_INT32 = 2 ** 31 - 1;

export const replicasOf = (o: { spec: { replicas?: number } } | null | undefined): number => o?.spec.replicas ?? 1;

// ---- intstr -------------------------------------------------------------------------------

/** intstr.GetScaledValueFromIntOrPercent: percentages of `total`, rounded up or down. */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const n = Number(v.slice(0, -1));
  if (!Number.isInteger(n)) throw new Error(`invalid value "${v}": strconv.Atoi: parsing "${v.slice(0, -1)}": invalid syntax`);
  const x = (n * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both 0 → maxUnavailable 1. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  // Validation forbids both being 0, but rounding down can make maxUnavailable 0.
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export const isRollingUpdate = (d: Deployment) => d.spec.strategy?.type === 'RollingUpdate';

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d)).surge;
}

export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas).unavailable, replicas);
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow now. */
export function newRSNewReplicas(d: Deployment, allRSs: (ReplicaSet | null)[], newRS: ReplicaSet): number {
  const replicas = replicasOf(d);
  switch (d.spec.strategy?.type) {
    case 'RollingUpdate': {
      const surge = scaledValue(d.spec.strategy.rollingUpdate?.maxSurge ?? 0, replicas, true);
      const current = replicaCount(allRSs);
      const maxTotal = replicas + surge;
      if (current >= maxTotal) return replicasOf(newRS);
      const scaleUp = Math.min(maxTotal - current, replicas - replicasOf(newRS));
      return replicasOf(newRS) + scaleUp;
    }
    case 'Recreate':
      return replicas;
    default:
      throw new Error(`deployment type ${d.spec.strategy?.type} isn't supported`);
  }
}

/** IsSaturated: the new ReplicaSet holds all desired replicas, all available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | null): boolean {
  if (!rs) return false;
  const desired = intAnnotation(rs, DESIRED_REPLICAS);
  if (desired === undefined) return false;
  const replicas = replicasOf(d);
  return replicasOf(rs) === replicas && desired === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

// ---- counting -----------------------------------------------------------------------------

const present = (rss: (ReplicaSet | null)[]): ReplicaSet[] => rss.filter((r): r is ReplicaSet => !!r);
export const replicaCount = (rss: (ReplicaSet | null)[]) => present(rss).reduce((n, r) => n + replicasOf(r), 0);
export const actualReplicaCount = (rss: (ReplicaSet | null)[]) => present(rss).reduce((n, r) => n + (r.status?.replicas ?? 0), 0);
export const readyReplicaCount = (rss: (ReplicaSet | null)[]) => present(rss).reduce((n, r) => n + (r.status?.readyReplicas ?? 0), 0);
export const availableReplicaCount = (rss: (ReplicaSet | null)[]) => present(rss).reduce((n, r) => n + (r.status?.availableReplicas ?? 0), 0);
/** FilterActiveReplicaSets: the ones asked for at least one pod. */
export const activeReplicaSets = (rss: (ReplicaSet | null)[]) => present(rss).filter((r) => replicasOf(r) > 0);

// ---- sort orders ----------------------------------------------------------------------------

const created = (rs: ReplicaSet) => parseTime(rs.metadata.creationTimestamp as string | undefined) ?? 0;

/** ReplicaSetsByCreationTimestamp: older first, then by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const d = created(a) - created(b);
  if (d !== 0) return d;
  return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
}

/** ReplicaSetsBySizeNewer: larger first; equal sizes newer first (scaling up). */
export const bySizeNewer = (a: ReplicaSet, b: ReplicaSet) => replicasOf(b) - replicasOf(a) || byCreation(b, a);
/** ReplicaSetsBySizeOlder: larger first; equal sizes older first (scaling down). */
export const bySizeOlder = (a: ReplicaSet, b: ReplicaSet) => replicasOf(b) - replicasOf(a) || byCreation(a, b);

/** ReplicaSetsByRevision: lower revision first; unparseable or equal revisions by creation. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === undefined || rb === undefined || ra === rb) return byCreation(a, b);
  return ra - rb;
}

// ---- revisions and annotations ----------------------------------------------------------------

/** Revision: 0 without the annotation, undefined when it does not parse. */
export function revisionOf(rs: { metadata?: { annotations?: Record<string, string> } }): number | undefined {
  const v = rs.metadata?.annotations?.[REVISION];
  if (v === undefined) return 0;
  return /^[-+]?\d+$/.test(v) ? Number(v) : undefined;
}

export function maxRevision(rss: ReplicaSet[]): number {
  return rss.reduce((max, rs) => Math.max(max, revisionOf(rs) ?? 0), 0);
}

function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  return v !== undefined && /^[-+]?\d+$/.test(v) ? Number(v) : undefined;
}
export const desiredReplicasAnnotation = (rs: ReplicaSet) => intAnnotation(rs, DESIRED_REPLICAS);

const SKIPPED_ANNOTATIONS = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, DEPRECATED_ROLLBACK_TO]);

/** copyDeploymentAnnotationsToReplicaSet (e.g. kubernetes.io/change-cause); true when changed. */
function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIPPED_ANNOTATIONS.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations: desired-replicas and max-replicas; true when changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS] !== String(desired)) {
    a[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS] !== String(max)) {
    a[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations;
  return !a || a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision to
 * `newRevision` if lower (remembering the earlier revisions of a reused ReplicaSet in
 * revision-history), and on creation sets the replica annotations. True when anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = (rs.metadata.annotations ??= {});
  const oldRevision = a[REVISION];
  let old = 0;
  if (oldRevision !== undefined && oldRevision !== '') {
    if (!/^[-+]?\d+$/.test(oldRevision)) return false;
    old = Number(oldRevision);
  }
  if (old < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    // Rolling back to this ReplicaSet: keep its earlier revisions for history.
    if (oldRevision !== undefined) {
      const history = a[REVISION_HISTORY] ?? '';
      if (!history) a[REVISION_HISTORY] = oldRevision;
      else {
        const parts = history.split(',');
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > MAX_REV_HISTORY_CHARS && start < parts.length) total -= parts[start++].length + 1;
        if (total <= MAX_REV_HISTORY_CHARS) a[REVISION_HISTORY] = [...parts.slice(start), oldRevision].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** SetDeploymentRevision: true when the Deployment's revision annotation changed. */
export function setDeploymentRevision(d: Deployment, revision: string | undefined): boolean {
  const a = (d.metadata.annotations ??= {});
  if (a[REVISION] === revision) return false;
  if (revision === undefined) delete a[REVISION];
  else a[REVISION] = revision;
  return true;
}

// ---- new and old ReplicaSets ------------------------------------------------------------------

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's. */
export function findNewReplicaSet(d: Deployment, rss: ReplicaSet[]): ReplicaSet | null {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template)) ?? null;
}

/** FindOldReplicaSets: every other ReplicaSet (and those of them with replicas). */
export function findOldReplicaSets(d: Deployment, rss: ReplicaSet[]): { active: ReplicaSet[]; all: ReplicaSet[] } {
  const newRS = findNewReplicaSet(d, rss);
  const all = rss.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
  return { active: all.filter((rs) => replicasOf(rs) !== 0), all };
}

/** FindActiveOrLatest: the single active ReplicaSet, or the newest when none is active. */
export function findActiveOrLatest(newRS: ReplicaSet | null, oldRSs: ReplicaSet[]): ReplicaSet | null {
  if (!newRS && !oldRSs.length) return null;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return null;
}

// ---- proportional scaling ---------------------------------------------------------------------

/** Go's math.Round: halves away from zero. */
const goRound = (x: number) => Math.sign(x) * Math.round(Math.abs(x));

/** getReplicaSetFraction: this ReplicaSet's share of a resize, from its max-replicas annotation. */
function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  // Without the annotation, fall back to the Deployment's current size.
  const annotated = intAnnotation(rs, MAX_REPLICAS) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return goRound((replicasOf(rs) * deploymentReplicas) / annotated) - replicasOf(rs);
}

/** GetProportion: the ReplicaSet's share, never beyond what is left to add or remove. */
export function getProportion(rs: ReplicaSet | null, d: Deployment, toAdd: number, added: number): number {
  if (!rs || replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * The sizes `scale` gives the active ReplicaSets of a rolling Deployment resized mid-rollout:
 * the difference to spec.replicas + maxSurge shared in proportion to their max-replicas
 * annotations, larger sets first, leftovers to the first. Returns the ReplicaSets in that order.
 */
export function proportionalSizes(d: Deployment, active: ReplicaSet[]): { order: ReplicaSet[]; sizes: Map<string, number>; operation: string } {
  const total = replicaCount(active);
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - total;
  let order = active;
  let operation = '';
  if (toAdd > 0) {
    order = [...active].sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    order = [...active].sort(bySizeOlder);
    operation = 'down';
  }
  const sizes = new Map<string, number>();
  let added = 0;
  for (const rs of order) {
    if (toAdd !== 0) {
      const p = getProportion(rs, d, toAdd, added);
      sizes.set(rs.metadata.name!, replicasOf(rs) + p);
      added += p;
    } else sizes.set(rs.metadata.name!, replicasOf(rs));
  }
  if (toAdd !== 0 && order.length) {
    const first = order[0].metadata.name!;
    sizes.set(first, Math.max(sizes.get(first)! + toAdd - added, 0));
  }
  return { order, sizes, operation };
}

// ---- limits ---------------------------------------------------------------------------------

/** HasProgressDeadline: set and not MaxInt32 ("no deadline"). */
export const hasProgressDeadline = (d: Deployment) => d.spec.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== MAX_INT32;
/** HasRevisionHistoryLimit: set and not MaxInt32 ("keep everything"). */
export const hasRevisionHistoryLimit = (d: Deployment) => d.spec.revisionHistoryLimit !== undefined && d.spec.revisionHistoryLimit !== MAX_INT32;
