// NodeResourcesFit: the pod's requests must fit in allocatable minus what the node's pods
// (bound and assumed) already request. A request larger than the whole node cannot be fixed
// by preemption, so it is reported as unresolvable (Kubernetes 1.31+).
import { unresolvable, unschedulable, type FilterPlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import { podRequests } from '../resources.js';
import type { Pod } from '../types.js';

export interface Insufficient {
  resource: string;
  reason: string;
  unresolvable: boolean;
}

export function insufficientResources(pod: Pod, node: NodeInfo): Insufficient[] {
  const out: Insufficient[] = [];
  if (node.pods.size + 1 > node.allowedPods) out.push({ resource: 'pods', reason: 'Too many pods', unresolvable: false });
  const req = podRequests(pod);
  const alloc = node.allocatable;
  const used = node.requested;
  const check = (resource: string, want: number, have: number, taken: number) => {
    if (want > 0 && want > have - taken) out.push({ resource, reason: `Insufficient ${resource}`, unresolvable: want > have });
  };
  check('cpu', req.milliCPU, alloc.milliCPU, used.milliCPU);
  check('memory', req.memory, alloc.memory, used.memory);
  check('ephemeral-storage', req.ephemeralStorage, alloc.ephemeralStorage, used.ephemeralStorage);
  for (const [name, want] of Object.entries(req.scalar).sort(([a], [b]) => (a < b ? -1 : 1))) {
    check(name, want, alloc.scalar[name] ?? 0, used.scalar[name] ?? 0);
  }
  return out;
}

export const nodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(pod, node) {
    const ins = insufficientResources(pod, node);
    if (!ins.length) return undefined;
    const reasons = ins.map((i) => i.reason);
    return ins.some((i) => i.unresolvable) ? unresolvable(this.name, ...reasons) : unschedulable(this.name, ...reasons);
  },
};
