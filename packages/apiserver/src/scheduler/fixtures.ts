// Plain Pod/Node objects for the scheduler's tests (kept tiny; no test framework imports).
import { NodeInfo } from './node-info.js';
import type { Container, Node, Pod, Taint } from './types.js';

export function node(name: string, opts: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>; taints?: Taint[]; ready?: string; unschedulable?: boolean } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: { taints: opts.taints, unschedulable: opts.unschedulable },
    status: {
      allocatable: { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: opts.pods ?? '110' },
      conditions: [{ type: 'Ready', status: opts.ready ?? 'True' }],
    },
  };
}

export const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

let uid = 0;
export function pod(name: string, opts: { requests?: Record<string, string>; containers?: Container[]; labels?: Record<string, string>; nodeName?: string; namespace?: string; spec?: Partial<Pod['spec']>; owner?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      uid: `uid-${name}-${uid++}`,
      labels: opts.labels,
      ownerReferences: opts.owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: opts.owner, uid: `rs-${opts.owner}`, controller: true }] : undefined,
    },
    spec: {
      containers: opts.containers ?? [{ name: 'c', resources: opts.requests ? { requests: opts.requests } : {} }],
      nodeName: opts.nodeName,
      ...opts.spec,
    },
  };
}

export function info(n: Node, ...pods: Pod[]): NodeInfo {
  const i = new NodeInfo(n);
  for (const p of pods) i.addPod(p);
  return i;
}
