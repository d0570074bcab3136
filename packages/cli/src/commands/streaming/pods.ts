// Which pod (and container) a streaming verb talks to: kubectl's resource builder for
// `POD | TYPE/NAME | TYPE NAME`, polymorphichelpers' selector-based pod lookup (waiting for a pod
// up to --pod-running-timeout), the ByLogging / ActivePods orderings, and podcmd's defaulting.
import type { Container, Pod } from './pod-types.js';
import { formatLabels, fromLabelSelector, type GroupVersionResource, type KubeObject } from '@minik/api';
import type { Kube } from '../../context.js';
import { CliError } from '../../errors.js';

export const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };

/** Resolves `pod-name`, `TYPE/NAME` (or TYPE and NAME) to the object it names. */
export async function getObject(kube: Kube, type: string | undefined, name: string): Promise<KubeObject> {
  if (!type) return (await kube.client.resource(PODS).get(kube.namespace, name)) as KubeObject;
  const r = await kube.discovery.resolve(type);
  const obj = (await kube.client.resource(r).get(r.namespaced ? kube.namespace : undefined, name)) as KubeObject;
  return { ...obj, kind: obj.kind ?? r.kind };
}

/** Splits one `TYPE/NAME` or `NAME` argument. */
export function splitArg(arg: string): { type?: string; name: string } {
  const i = arg.indexOf('/');
  return i < 0 ? { name: arg } : { type: arg.slice(0, i), name: arg.slice(i + 1) };
}

/** polymorphichelpers.SelectorsForObject: the label selector of a workload or service. */
export function selectorForObject(obj: KubeObject): string {
  const spec = (obj as { spec?: { selector?: unknown } }).spec;
  const kind = obj.kind ?? '';
  switch (kind) {
    case 'ReplicaSet':
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job': {
      const sel = spec?.selector as Parameters<typeof fromLabelSelector>[0];
      return fromLabelSelector(sel).toString();
    }
    case 'ReplicationController':
    case 'Service': {
      const sel = (spec?.selector ?? {}) as Record<string, string>;
      if (!Object.keys(sel).length) throw new CliError(`error: cannot get the logs from *v1.${kind}: invalid label selector`);
      return formatLabels(sel);
    }
  }
  throw new CliError(`error: cannot attach to *v1.${kind}: selector for *v1.${kind} not implemented`);
}

type PodSort = (a: Pod, b: Pod) => number;

const phaseOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const isReady = (p: Pod) => !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
const readyTime = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime ?? '';
const maxRestarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
const created = (p: Pod) => p.metadata?.creationTimestamp ?? '';
/** a before b when a is set and earlier ("afterOrZero" inverted). */
const earlier = (a: string, b: string) => (a === b ? 0 : !a ? 1 : !b ? -1 : a < b ? -1 : 1);

/**
 * Assigned, running, ready (longer first), then restart count, then older first: the order of
 * both kubectl sorts below, which differ only in whether more restarts come first.
 */
const byActivity =
  (moreRestartsFirst: boolean): PodSort =>
  (a, b) => {
    const an = a.spec?.nodeName ?? '';
    const bn = b.spec?.nodeName ?? '';
    if (an !== bn && (!an || !bn)) return an ? -1 : 1;
    const ap = phaseOrdinal[a.status?.phase ?? ''] ?? 0;
    const bp = phaseOrdinal[b.status?.phase ?? ''] ?? 0;
    if (ap !== bp) return bp - ap;
    if (isReady(a) !== isReady(b)) return isReady(a) ? -1 : 1;
    if (isReady(a) && isReady(b) && readyTime(a) !== readyTime(b)) return earlier(readyTime(a), readyTime(b));
    const restarts = maxRestarts(b) - maxRestarts(a);
    if (restarts !== 0) return moreRestartsFirst ? restarts : -restarts;
    return earlier(created(a), created(b));
  };

/** podutils.ByLogging: the pod whose logs are most interesting first. */
export const byLogging: PodSort = byActivity(true);

/** sort.Reverse(podutils.ActivePods): the pod most worth attaching to first. */
export const activeFirst: PodSort = byActivity(false);

/** GetPodList: the pods matching the selector, or (waiting up to timeoutMs) the first to appear. */
export async function podsForSelector(kube: Kube, namespace: string, selector: string, timeoutMs: number, sort: PodSort): Promise<Pod[]> {
  const pods = kube.client.resource(PODS);
  const list = await pods.list(namespace, { labelSelector: selector });
  if (list.items.length) return (list.items as Pod[]).slice().sort(sort);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    for await (const ev of pods.watch(namespace, { labelSelector: selector, resourceVersion: list.metadata?.resourceVersion }, abort.signal)) {
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED') return [ev.object as Pod];
    }
  } finally {
    clearTimeout(timer);
  }
  throw new CliError('error: timed out waiting for the condition');
}

/** AttachablePodForObjectFn: the pod itself, or the first active pod of a workload. */
export async function attachablePod(kube: Kube, obj: KubeObject, timeoutMs: number): Promise<Pod> {
  if (obj.kind === 'Pod') return obj as Pod;
  const ns = obj.metadata?.namespace ?? kube.namespace;
  const [pod] = await podsForSelector(kube, ns, selectorForObject(obj), timeoutMs, activeFirst);
  return pod!;
}

/** podcmd.FindContainerByName: the container and its field path. */
export function findContainer(pod: Pod, name: string): { container: Container; fieldPath: string } | undefined {
  const s = pod.spec;
  for (const [list, path] of [
    [s?.containers, 'containers'],
    [s?.initContainers, 'initContainers'],
    [s?.ephemeralContainers, 'ephemeralContainers'],
  ] as const) {
    const c = (list as readonly Container[] | undefined)?.find((x) => x.name === name);
    if (c) return { container: c, fieldPath: `spec.${path}{${name}}` };
  }
  return undefined;
}

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** podcmd.AllContainerNames. */
export function allContainerNames(pod: Pod): string {
  const s = pod.spec;
  return [...(s?.containers ?? []).map((c) => c.name), ...(s?.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`), ...(s?.initContainers ?? []).map((c) => `${c.name} (init)`)].join(', ');
}

/** podcmd.FindOrDefaultContainerByName (exec, attach). */
export function findOrDefaultContainer(pod: Pod, name: string | undefined, quiet: boolean, warn: (msg: string) => void): Container {
  if (name) {
    const found = findContainer(pod, name);
    if (!found) throw new Error(`container ${name} not found in pod ${pod.metadata?.name}`);
    return found.container;
  }
  const cs = pod.spec?.containers ?? [];
  if (!cs.length) throw new Error(`pod ${pod.metadata?.namespace}/${pod.metadata?.name} does not have any containers`);
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  const byAnnotation = annotated ? findContainer(pod, annotated) : undefined;
  if (byAnnotation) return byAnnotation.container;
  if (!quiet && (cs.length > 1 || pod.spec?.initContainers?.length || pod.spec?.ephemeralContainers?.length)) {
    warn(`Defaulted container ${JSON.stringify(cs[0]!.name)} out of: ${allContainerNames(pod)}\n`);
  }
  return cs[0]!;
}

/** A pod that finished cannot take exec/attach (kubectl checks before connecting). */
export function assertNotCompleted(pod: Pod, verb: 'exec into' | 'attach'): void {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    throw new CliError(verb === 'attach' ? `error: cannot attach a container in a completed pod; current phase is ${phase}` : `error: cannot exec into a container in a completed pod; current phase is ${phase}`);
  }
}
