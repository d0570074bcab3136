import { describe, expect, it } from 'vitest';
import { isPodActive, isPodAvailable, podsToDelete } from './pod-util.js';
import type { Pod } from './workload-types.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z');

interface Opts {
  node?: string;
  phase?: string;
  ready?: boolean;
  readyFor?: number;
  age?: number;
  restarts?: number;
  cost?: string;
  uid?: string;
}

function pod(name: string, o: Opts = {}): Pod {
  const ready = o.ready ?? true;
  return {
    metadata: { name, namespace: 'default', uid: o.uid ?? `uid-${name}`, creationTimestamp: ago(o.age ?? 600), annotations: o.cost ? { 'controller.kubernetes.io/pod-deletion-cost': o.cost } : {} },
    spec: { nodeName: o.node ?? 'node-1' },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ago(o.readyFor ?? 500) }],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }],
    },
  };
}

const order = (pods: Pod[], related: Pod[] = pods) => podsToDelete(pods, related, pods.length - 1, NOW).map((p) => p.metadata.name);

describe('which surplus pods a ReplicaSet deletes first (ActivePodsWithRanks)', () => {
  it('unassigned before assigned', () => {
    expect(order([pod('assigned'), pod('unassigned', { node: '' }), pod('x')])[0]).toBe('unassigned');
  });

  it('Pending before Unknown before Running', () => {
    expect(order([pod('running'), pod('unknown', { phase: 'Unknown' }), pod('pending', { phase: 'Pending' })])).toEqual(['pending', 'unknown']);
  });

  it('not ready before ready', () => {
    expect(order([pod('ready'), pod('not-ready', { ready: false }), pod('ready2')])[0]).toBe('not-ready');
  });

  it('lower pod-deletion-cost first', () => {
    expect(order([pod('cheap', { cost: '-10' }), pod('dear', { cost: '100' }), pod('plain')])).toEqual(['cheap', 'plain']);
  });

  it('pods on nodes crowded with their family first', () => {
    const pods = [pod('alone', { node: 'a' }), pod('crowded', { node: 'b' })];
    const related = [...pods, pod('sibling', { node: 'b' })];
    expect(podsToDelete(pods, related, 1, NOW)[0].metadata.name).toBe('crowded');
  });

  it('ready for less time first, on a log2 scale', () => {
    // the book: the adopted simple-pod (ready 36s) goes before pods ready for 9 minutes
    expect(order([pod('old', { readyFor: 540 }), pod('simple-pod', { readyFor: 36 }), pod('old2', { readyFor: 541 })])[0]).toBe('simple-pod');
  });

  it('equal ready times fall through to restarts; different times in one log2 bucket go by uid', () => {
    expect(order([pod('calm', { readyFor: 100 }), pod('flappy', { readyFor: 100, restarts: 4 }), pod('calm2', { readyFor: 100 })])[0]).toBe('flappy');
    expect(order([pod('b', { readyFor: 70, uid: 'b' }), pod('a', { readyFor: 80, uid: 'a' }), pod('c', { readyFor: 70, uid: 'c' })])[0]).toBe('a');
  });

  it('newer before older when nothing else differs', () => {
    expect(order([pod('older', { age: 5000, readyFor: 10 }), pod('newer', { age: 20, readyFor: 10 }), pod('oldest', { age: 9000, readyFor: 10 })])).toEqual(['newer', 'older']);
  });

  it('takes everything without sorting when deleting all', () => {
    expect(podsToDelete([pod('a'), pod('b')], [], 2, NOW).map((p) => p.metadata.name)).toEqual(['a', 'b']);
  });
});

describe('pod predicates', () => {
  it('finished or deleting pods are inactive', () => {
    expect(isPodActive(pod('a'))).toBe(true);
    expect(isPodActive(pod('a', { phase: 'Succeeded' }))).toBe(false);
    expect(isPodActive(pod('a', { phase: 'Failed' }))).toBe(false);
    const deleting = pod('a');
    deleting.metadata.deletionTimestamp = ago(0);
    expect(isPodActive(deleting)).toBe(false);
  });

  it('available = ready for longer than minReadySeconds', () => {
    expect(isPodAvailable(pod('a', { readyFor: 5 }), 0, NOW)).toBe(true);
    expect(isPodAvailable(pod('a', { readyFor: 5 }), 10, NOW)).toBe(false);
    expect(isPodAvailable(pod('a', { readyFor: 11 }), 10, NOW)).toBe(true);
    expect(isPodAvailable(pod('a', { readyFor: 10 }), 10, NOW)).toBe(false);
    expect(isPodAvailable(pod('a', { ready: false, readyFor: 100 }), 0, NOW)).toBe(false);
  });
});
