// Resource arithmetic of the scheduler framework (framework.Resource, resourcehelper.PodRequests).
import { parseResourceList } from '@minik/api';
import type { Container, Node, Pod, ResourceList } from './types.js';

export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended resources (nvidia.com/gpu, hugepages-…), in whole units. */
  scalar: Record<string, number>;
}

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

/** What LeastAllocated assumes for a container that requests nothing (schedutil.DefaultMilliCPURequest …). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;
/** kubelet's default --max-pods, used when a Node does not report allocatable pods. */
export const DEFAULT_MAX_PODS = 110;

export const emptyResource = (): Resource => ({ milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: {} });

type List = Map<string, number>;

/** cpu in millicores, everything else in units. */
function toList(rl: ResourceList | undefined): List {
  const out: List = new Map();
  for (const [k, q] of parseResourceList(rl)) out.set(k, k === CPU ? q.milliValue() : q.value());
  return out;
}

const add = (into: List, l: List) => {
  for (const [k, v] of l) into.set(k, (into.get(k) ?? 0) + v);
};
const max = (into: List, l: List) => {
  for (const [k, v] of l) if (v > (into.get(k) ?? 0)) into.set(k, v);
};

function containerRequests(c: Container, nonZero: boolean): List {
  const l = toList(c.resources?.requests);
  if (nonZero) {
    if (!l.has(CPU)) l.set(CPU, DEFAULT_MILLI_CPU_REQUEST);
    if (!l.has(MEMORY)) l.set(MEMORY, DEFAULT_MEMORY_REQUEST);
  }
  return l;
}

/**
 * resourcehelper.PodRequests: containers run together (sum), init containers one after another
 * (max), sidecars (restartable init containers) stay for the pod's life; plus the pod overhead.
 * `nonZero` fills missing cpu/memory requests with the defaults used for scoring.
 */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const reqs: List = new Map();
  for (const c of pod.spec?.containers ?? []) add(reqs, containerRequests(c, nonZero));
  const sidecars: List = new Map();
  const init: List = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      add(reqs, r);
      add(sidecars, r);
      max(init, sidecars);
    } else {
      const tmp: List = new Map(r);
      add(tmp, sidecars);
      max(init, tmp);
    }
  }
  max(reqs, init);
  add(reqs, toList(pod.spec?.overhead));
  return fromList(reqs);
}

function fromList(l: List): Resource {
  const r = emptyResource();
  for (const [k, v] of l) {
    if (k === CPU) r.milliCPU = v;
    else if (k === MEMORY) r.memory = v;
    else if (k === EPHEMERAL_STORAGE) r.ephemeralStorage = v;
    else if (k !== PODS) r.scalar[k] = v;
  }
  return r;
}

export function addResource(into: Resource, r: Resource, sign = 1): void {
  into.milliCPU += sign * r.milliCPU;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  for (const [k, v] of Object.entries(r.scalar)) into.scalar[k] = (into.scalar[k] ?? 0) + sign * v;
}

export function nodeAllocatable(node: Node): { resource: Resource; allowedPods: number } {
  const l = toList(node.status?.allocatable ?? node.status?.capacity);
  return { resource: fromList(l), allowedPods: l.get(PODS) ?? DEFAULT_MAX_PODS };
}
