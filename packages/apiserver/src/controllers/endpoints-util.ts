// What the Endpoints and EndpointSlice controllers share (k8s.io/endpointslice/util and
// pkg/api/v1/pod): which pods belong in a Service's endpoints, which Services a pod change
// concerns, how a Service port's targetPort resolves on a pod, and the trigger-time tracker
// behind the `endpoints.kubernetes.io/last-change-trigger-time` annotation.
import type { KubeObject, ObjectMeta } from '@minik/api';
import { ipFamily } from '../registry/validation/formats.js';
import { isPodReady, readyCondition } from './pod-util.js';
import { keyOf, parseTime, type Pod } from './workload-types.js';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
export const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

export interface ServicePort {
  name?: string;
  protocol?: string;
  appProtocol?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

export interface Service extends KubeObject {
  metadata: ObjectMeta;
  spec?: {
    type?: string;
    selector?: Record<string, string> | null;
    ports?: ServicePort[];
    clusterIP?: string;
    clusterIPs?: string[];
    ipFamilies?: string[];
    publishNotReadyAddresses?: boolean;
  };
}

interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

interface PodContainer {
  name: string;
  ports?: ContainerPort[];
  restartPolicy?: string;
}

/** The parts of a pod spec and status these controllers read. */
export interface PodView {
  containers?: PodContainer[];
  initContainers?: PodContainer[];
  hostname?: string;
  subdomain?: string;
  nodeName?: string;
}

const specOf = (p: Pod) => (p.spec ?? {}) as PodView;

/**
 * The Service's selector as Kubernetes stores it: an empty map is dropped by Go's omitempty,
 * so `selector: {}` is no selector at all (these controllers leave such Services alone).
 */
export function serviceSelector(svc: Service): Record<string, string> | undefined {
  const sel = svc.spec?.selector;
  return sel && Object.keys(sel).length ? sel : undefined;
}

/** labels.Set(selector).AsSelectorPreValidated().Matches */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false;
  return true;
}

/** The pods a selector-backed Service selects, from an informer's list. */
export function podsForService(svc: Service, pods: Pod[]): Pod[] {
  const sel = serviceSelector(svc);
  if (!sel) return [];
  return pods.filter((p) => p.metadata.namespace === svc.metadata.namespace && selectorMatches(sel, p.metadata.labels));
}

/** helper.IsServiceIPSet: a ClusterIP that is neither empty nor None. */
export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

/** status.podIPs, or the older single status.podIP. */
export function podIPs(pod: Pod): string[] {
  const ips = ((pod.status?.podIPs as { ip?: string }[] | undefined) ?? []).map((x) => x.ip ?? '').filter(Boolean);
  if (ips.length) return ips;
  const one = pod.status?.podIP as string | undefined;
  return one ? [one] : [];
}

const isPodTerminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/**
 * ShouldPodBeInEndpoints: not finished, has an IP, and (unless terminating pods are wanted)
 * not being deleted.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!podIPs(pod).length) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** ShouldSetHostname: spec.hostname, with spec.subdomain naming this Service. */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  const spec = specOf(pod);
  return !!spec.hostname && spec.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace;
}

/**
 * podutil.FindPort: a numeric targetPort as is; a name is looked up among the containers'
 * ports with the Service port's protocol (and sidecars', init containers that always restart).
 * Undefined when the pod has no such port: Kubernetes leaves the pod out for that port.
 */
export function findPort(pod: Pod, svcPort: ServicePort): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  const protocol = svcPort.protocol ?? 'TCP';
  const spec = specOf(pod);
  const lookIn = [...(spec.containers ?? []), ...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of lookIn) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/**
 * The pod address for a Service's IP family (its first ipFamilies entry; before dual-stack,
 * the family of its ClusterIP, or of the pod IP for a headless Service).
 */
export function podIPForService(svc: Service, pod: Pod): string | undefined {
  const ips = podIPs(pod);
  let v6: boolean;
  const families = svc.spec?.ipFamilies ?? [];
  if (families.length) v6 = families[0] === 'IPv6';
  else if (isServiceIPSet(svc)) v6 = ipFamily(svc.spec!.clusterIP!) === 6;
  else v6 = ipFamily(ips[0] ?? '') === 6;
  return ips.find((ip) => (ipFamily(ip) === 6) === v6);
}

// ---- which Services a pod event concerns (GetServicesToUpdateOnPodChange) ---------------------

const sameMap = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) => {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => b?.[k] === a?.[k]);
};

/**
 * podEndpointsChanged: [whether the change can alter existing endpoints, whether it can alter
 * which Services select the pod (labels, hostname, subdomain)].
 */
export function podEndpointsChanged(old: Pod, cur: Pod): [boolean, boolean] {
  const os = specOf(old);
  const cs = specOf(cur);
  const labelsChanged = !sameMap(old.metadata.labels, cur.metadata.labels) || os.hostname !== cs.hostname || os.subdomain !== cs.subdomain;
  if ((old.metadata.deletionTimestamp ?? null) !== (cur.metadata.deletionTimestamp ?? null)) return [true, labelsChanged];
  if (isPodReady(old) !== isPodReady(cur)) return [true, labelsChanged];
  const a = podIPs(old);
  const b = podIPs(cur);
  if (a.length !== b.length || a.some((ip, i) => ip !== b[i])) return [true, labelsChanged];
  return [false, labelsChanged];
}

/** getServicesForPod: keys of the namespace's selector-backed Services that match these labels. */
export function servicesMatching(services: Service[], namespace: string | undefined, labels: Record<string, string> | undefined): Set<string> {
  const out = new Set<string>();
  for (const svc of services) {
    if (svc.metadata.namespace !== namespace) continue;
    // A nil selector selects nothing here (Kubernetes keeps `{}` as "everything", but never stores it).
    const sel = serviceSelector(svc);
    if (sel && selectorMatches(sel, labels)) out.add(keyOf(svc));
  }
  return out;
}

/** GetServicesToUpdateOnPodChange (via GetPodUpdateProjectionKey and GetServicesToUpdate). */
export function servicesToUpdateOnPodChange(services: Service[], old: Pod, cur: Pod): Set<string> {
  if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return new Set();
  const [podChanged, labelsChanged] = podEndpointsChanged(old, cur);
  if (!podChanged && !labelsChanged) return new Set();
  const now = servicesMatching(services, cur.metadata.namespace, cur.metadata.labels);
  if (!labelsChanged) return now;
  const before = servicesMatching(services, old.metadata.namespace, old.metadata.labels);
  // determineNeededServiceUpdates: all of both when the pod changed too, else those that differ.
  if (podChanged) return new Set([...now, ...before]);
  const out = new Set<string>();
  for (const k of now) if (!before.has(k)) out.add(k);
  for (const k of before) if (!now.has(k)) out.add(k);
  return out;
}

// ---- trigger times ------------------------------------------------------------------------------

/** time.Time.UTC().Format(time.RFC3339Nano): fractional seconds without trailing zeros. */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-07-04T04:48:21.500Z
  return iso.replace(/\.(\d+)Z$/, (_m, frac: string) => {
    const f = frac.replace(/0+$/, '');
    return f ? `.${f}Z` : 'Z';
  });
}

interface ServiceState {
  lastServiceTriggerTime: number;
  lastPodTriggerTimes: Map<string, number>;
}

/**
 * TriggerTimeTracker: the time of the earliest change (a pod's Ready transition, the Service's
 * creation) not yet reflected in the Service's endpoints; a new Service reports its creation.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /** ComputeEndpointLastChangeTriggerTime: ms since epoch, or undefined for none (Go's zero time). */
  compute(svc: Service, pods: Pod[]): number | undefined {
    const key = keyOf(svc);
    const prev = this.states.get(key);
    let min: number | undefined;
    const take = (t: number) => {
      if (min === undefined || t < min) min = t;
    };
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = parseTime(readyCondition(pod)?.lastTransitionTime);
      if (t === undefined) continue;
      podTimes.set(pod.metadata.name!, t);
      if (t > (prev?.lastPodTriggerTimes.get(pod.metadata.name!) ?? -Infinity)) take(t);
    }
    const svcTime = parseTime(svc.metadata.creationTimestamp) ?? -Infinity;
    if (svcTime > (prev?.lastServiceTriggerTime ?? -Infinity)) take(svcTime);
    this.states.set(key, { lastServiceTriggerTime: svcTime, lastPodTriggerTimes: podTimes });
    if (!prev) return Number.isFinite(svcTime) ? svcTime : undefined;
    return min;
  }

  deleteService(key: string): void {
    this.states.delete(key);
  }
}
