// framework.NodeInfo: a node with what is already placed on it (bound, assumed and
// terminating pods alike), and the totals the filters and scores compare against.
import { addResource, emptyResource, nodeAllocatable, podRequests, type Resource } from './resources.js';
import { podKey, type Node, type Pod } from './types.js';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** Host ports a pod asks for: containers and sidecars (util.GetHostPorts). */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

export class NodeInfo {
  node?: Node;
  readonly pods = new Map<string, Pod>();
  requested: Resource = emptyResource();
  /** Requests with cpu/memory defaults for containers that set none (for LeastAllocated). */
  nonZeroRequested: Resource = emptyResource();
  usedPorts: HostPort[] = [];
  allocatable: Resource = emptyResource();
  allowedPods = 0;

  constructor(node?: Node) {
    if (node) this.setNode(node);
  }

  get name(): string {
    return this.node?.metadata.name ?? '';
  }

  setNode(node: Node): void {
    this.node = node;
    const a = nodeAllocatable(node);
    this.allocatable = a.resource;
    this.allowedPods = a.allowedPods;
  }

  addPod(pod: Pod): void {
    const key = podKey(pod);
    if (this.pods.has(key)) this.removePod(this.pods.get(key)!);
    this.pods.set(key, pod);
    addResource(this.requested, podRequests(pod));
    addResource(this.nonZeroRequested, podRequests(pod, true));
    this.usedPorts.push(...podHostPorts(pod));
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    const old = this.pods.get(key);
    if (!old) return;
    this.pods.delete(key);
    addResource(this.requested, podRequests(old), -1);
    addResource(this.nonZeroRequested, podRequests(old, true), -1);
    for (const p of podHostPorts(old)) {
      const i = this.usedPorts.findIndex((u) => u.ip === p.ip && u.protocol === p.protocol && u.port === p.port);
      if (i >= 0) this.usedPorts.splice(i, 1);
    }
  }

  /** A copy the scheduling cycle may change (preemption's dry run removes pods from it). */
  clone(): NodeInfo {
    const c = new NodeInfo(this.node);
    for (const p of this.pods.values()) c.addPod(p);
    return c;
  }
}
