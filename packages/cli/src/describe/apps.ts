// Deployments and ReplicaSets (describeDeployment, describeReplicaSet in describe.go, and the
// new/old ReplicaSet lookup of kubectl's deployment util).
import { APPS, CORE, listAll, type DescribeContext } from './context.js';
import { describeEvents, eventsFor, refFor } from './events.js';
import { goStringLess, intOrStringPtr, printAnnotationsMultiline, printController, printLabelsMultiline, rfc1123z, type Obj } from './format.js';
import { describePodTemplate, formatSelector, selectorString } from './pod.js';
import { LEVEL_0, LEVEL_1, tabbedString, type PrefixWriter } from './writer.js';

const HASH_LABEL = 'pod-template-hash';

function controllerUid(obj: Obj): string | undefined {
  return (obj?.metadata?.ownerReferences ?? []).find((r: Obj) => r?.controller === true)?.uid;
}

function isControlledBy(obj: Obj, owner: Obj): boolean {
  const uid = controllerUid(obj);
  return uid !== undefined && uid === owner?.metadata?.uid;
}

/** Deep equality of JSON values, ignoring key order. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Obj)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Obj)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => jsonEqual((a as Obj)[k], (b as Obj)[k]));
}

/** EqualIgnoreHash: templates equal once the pod-template-hash label is dropped. */
export function equalIgnoreHash(t1: Obj, t2: Obj): boolean {
  const strip = (t: Obj) => {
    const c = structuredClone(t ?? {});
    if (c.metadata?.labels) {
      delete c.metadata.labels[HASH_LABEL];
      if (!Object.keys(c.metadata.labels).length) delete c.metadata.labels;
    }
    if (c.metadata && !Object.keys(c.metadata).length) delete c.metadata;
    return c;
  };
  return jsonEqual(strip(t1), strip(t2));
}

/** listReplicaSets' filter: only the ReplicaSets this deployment controls. */
export function ownedReplicaSets(d: Obj, all: Obj[]): Obj[] {
  return all.filter((rs) => isControlledBy(rs, d));
}

/** The new ReplicaSet (oldest with the deployment's template) and all the others, in list order. */
export function splitReplicaSets(d: Obj, owned: Obj[]): { newRS?: Obj; oldRSs: Obj[] } {
  const ts = (rs: Obj) => Date.parse(rs?.metadata?.creationTimestamp ?? '') || 0;
  const byAge = [...owned].sort((a, b) => ts(a) - ts(b) || goStringLess(a?.metadata?.name ?? '', b?.metadata?.name ?? ''));
  const newRS = byAge.find((rs) => equalIgnoreHash(rs?.spec?.template, d?.spec?.template));
  // findOldReplicaSets walks the list after findNewReplicaSet sorted it in place.
  return { newRS, oldRSs: byAge.filter((rs) => rs !== newRS) };
}

function replicaSetsByLabels(list: Obj[]): string {
  const s = list.map((rs) => `${rs?.metadata?.name ?? ''} (${rs?.status?.replicas ?? 0}/${rs?.spec?.replicas ?? 0} replicas created)`).join(', ');
  return s || '<none>';
}

function describeConditions(w: PrefixWriter, conditions: Obj[] | undefined): void {
  if (!conditions?.length) return;
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(LEVEL_1, '----\t------\t------\n');
  for (const c of conditions) w.write(LEVEL_1, `${c?.type ?? ''} \t${c?.status ?? ''}\t${c?.reason ?? ''}\n`);
}

export function describeDeployment(d: Obj, oldRSs: Obj[], newRSs: Obj[], events: Obj[] | undefined, now: number): string {
  return tabbedString((w) => {
    const meta = d?.metadata ?? {};
    const spec = d?.spec ?? {};
    const status = d?.status ?? {};
    w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${meta.namespace ?? ''}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    w.write(LEVEL_0, `Selector:\t${selectorString(spec.selector)}\n`);
    w.write(
      LEVEL_0,
      `Replicas:\t${spec.replicas ?? 1} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`,
    );
    w.write(LEVEL_0, `StrategyType:\t${spec.strategy?.type ?? ''}\n`);
    w.write(LEVEL_0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
    const ru = spec.strategy?.rollingUpdate;
    if (ru) w.write(LEVEL_0, `RollingUpdateStrategy:\t${intOrStringPtr(ru.maxUnavailable)} max unavailable, ${intOrStringPtr(ru.maxSurge)} max surge\n`);
    describePodTemplate(spec.template, w);
    describeConditions(w, status.conditions);
    if (oldRSs.length || newRSs.length) {
      w.write(LEVEL_0, `OldReplicaSets:\t${replicaSetsByLabels(oldRSs)}\n`);
      w.write(LEVEL_0, `NewReplicaSet:\t${replicaSetsByLabels(newRSs)}\n`);
    }
    if (events) describeEvents(events, w, now);
  });
}

export async function fetchDeployment(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const d: Obj = await ctx.client.resource(APPS('deployments')).get(namespace, name);
  const events = await eventsFor(ctx, refFor(d, 'Deployment'));
  let oldRSs: Obj[] = [];
  let newRSs: Obj[] = [];
  try {
    const all = await listAll(ctx, APPS('replicasets'), namespace, { labelSelector: selectorString(d?.spec?.selector) || undefined });
    const split = splitReplicaSets(d, ownedReplicaSets(d, all));
    oldRSs = split.oldRSs;
    newRSs = split.newRS ? [split.newRS] : [];
  } catch {
    // kubectl prints the deployment without its ReplicaSets when they cannot be listed
  }
  return describeDeployment(d, oldRSs, newRSs, events, ctx.now);
}

export interface PodCounts {
  running: number;
  waiting: number;
  succeeded: number;
  failed: number;
}

/** getPodStatusForController's count: phases of the pods whose controller is `uid`. */
export function countPods(pods: Obj[], uid: string | undefined): PodCounts {
  const counts: PodCounts = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  for (const p of pods) {
    if (controllerUid(p) === undefined || controllerUid(p) !== uid) continue;
    const phase = p?.status?.phase;
    if (phase === 'Running') counts.running++;
    else if (phase === 'Pending') counts.waiting++;
    else if (phase === 'Succeeded') counts.succeeded++;
    else if (phase === 'Failed') counts.failed++;
  }
  return counts;
}

async function podStatusForController(ctx: DescribeContext, namespace: string, selector: string, uid: string | undefined): Promise<PodCounts> {
  return countPods(await listAll(ctx, CORE('pods'), namespace, { labelSelector: selector || undefined }), uid);
}

export function describeReplicaSet(rs: Obj, events: Obj[] | undefined, pods: PodCounts | { error: string }, now: number): string {
  return tabbedString((w) => {
    const meta = rs?.metadata ?? {};
    w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${meta.namespace ?? ''}\n`);
    w.write(LEVEL_0, `Selector:\t${formatSelector(rs?.spec?.selector)}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    const controlledBy = printController(rs);
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
    w.write(LEVEL_0, `Replicas:\t${rs?.status?.replicas ?? 0} current / ${rs?.spec?.replicas ?? 1} desired\n`);
    w.write(LEVEL_0, 'Pods Status:\t');
    if ('error' in pods) w.write(LEVEL_0, `error in fetching pods: ${pods.error}\n`);
    else w.write(LEVEL_0, `${pods.running} Running / ${pods.waiting} Waiting / ${pods.succeeded} Succeeded / ${pods.failed} Failed\n`);
    describePodTemplate(rs?.spec?.template, w);
    describeConditions(w, rs?.status?.conditions);
    if (events) describeEvents(events, w, now);
  });
}

export async function fetchReplicaSet(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const rs: Obj = await ctx.client.resource(APPS('replicasets')).get(namespace, name);
  let pods: PodCounts | { error: string };
  try {
    pods = await podStatusForController(ctx, namespace, selectorString(rs?.spec?.selector), rs?.metadata?.uid);
  } catch (e) {
    pods = { error: (e as Error).message };
  }
  const events = await eventsFor(ctx, refFor(rs, 'ReplicaSet'));
  return describeReplicaSet(rs, events, pods, ctx.now);
}
