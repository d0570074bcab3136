import { describe, expect, it } from 'vitest';
import { info, node, pod } from './fixtures.js';
import type { PodMatcher } from './framework.js';
import { balancedAllocation, leastAllocated, nodeAffinityScore, podTopologySpread, taintTolerationScore } from './scores/index.js';
import { balancedScore } from './scores/balanced-allocation.js';
import { leastRequestedScore } from './scores/least-allocated.js';
import type { Pod } from './types.js';

const appIs = (app: string): PodMatcher => (p: Pod) => p.metadata.labels?.app === app;

describe('PodTopologySpread (default constraints)', () => {
  const fe = (name: string, nodeName?: string) => pod(name, { labels: { app: 'frontend' }, nodeName });
  it('prefers the node with fewer matching pods', () => {
    const w1 = info(node('w1'), fe('a', 'w1'));
    const w2 = info(node('w2'));
    // raw: w1 = round(1*ln 4 + 2) = 3, w2 = 2 → normalized 100*(3+2-s)/3
    expect(podTopologySpread.score(fe('new'), [w1, w2], { allNodes: [w1, w2], spreadMatcher: appIs('frontend') })).toEqual([66, 100]);
  });
  it('ignores other apps, other namespaces and terminating pods', () => {
    const term = fe('t', 'w1');
    term.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
    const w1 = info(node('w1'), pod('b', { labels: { app: 'backend' }, nodeName: 'w1' }), pod('x', { labels: { app: 'frontend' }, namespace: 'other', nodeName: 'w1' }), term);
    const w2 = info(node('w2'));
    expect(podTopologySpread.score(fe('new'), [w1, w2], { allNodes: [w1, w2], spreadMatcher: appIs('frontend') })).toEqual([100, 100]);
  });
  it('scores nothing without a selector (bare pods)', () => {
    const w1 = info(node('w1'));
    expect(podTopologySpread.score(fe('new'), [w1], { allNodes: [w1] })).toEqual([0]);
  });
  it('spreads across zones too', () => {
    const z = (name: string, zone: string, ...pods: Pod[]) => info(node(name, { labels: { 'topology.kubernetes.io/zone': zone } }), ...pods);
    const a1 = z('a1', 'a', fe('p1', 'a1'));
    const a2 = z('a2', 'a');
    const b1 = z('b1', 'b');
    const s = podTopologySpread.score(fe('new'), [a1, a2, b1], { allNodes: [a1, a2, b1], spreadMatcher: appIs('frontend') });
    // a2 has no pod of its own but shares zone a with one: it ranks between a1 and b1.
    expect(s[2]).toBeGreaterThan(s[1]);
    expect(s[1]).toBeGreaterThan(s[0]);
  });
});

describe('LeastAllocated', () => {
  it('scores free share of cpu and memory, with defaults for pods that request nothing', () => {
    expect(leastRequestedScore(0, 4000)).toBe(100);
    expect(leastRequestedScore(1000, 4000)).toBe(75);
    expect(leastRequestedScore(5000, 4000)).toBe(0);
    const busy = info(node('w1', { cpu: '1', memory: '1Gi' }), pod('a', { requests: { cpu: '500m', memory: '512Mi' } }));
    const idle = info(node('w2', { cpu: '1', memory: '1Gi' }));
    // new pod: 100m / 200Mi by default → busy: cpu 40, mem (1024-712)/1024 → 30 → 35; idle: 90, 80 → 85
    expect(leastAllocated.score(pod('p'), [busy, idle], { allNodes: [] })).toEqual([35, 85]);
  });
});

describe('BalancedAllocation', () => {
  it('prefers equal cpu and memory shares', () => {
    expect(balancedScore([500, 512], [1000, 1024])).toBe(100);
    expect(balancedScore([1000, 0], [1000, 1024])).toBe(50);
    const cpuHeavy = info(node('w1', { cpu: '1', memory: '1Gi' }), pod('a', { requests: { cpu: '800m' } }));
    const even = info(node('w2', { cpu: '1', memory: '1Gi' }));
    const [a, b] = balancedAllocation.score(pod('p', { requests: { cpu: '100m', memory: '100Mi' } }), [cpuHeavy, even], { allNodes: [] });
    expect(b).toBeGreaterThan(a);
  });
  it('is skipped for best-effort pods', () => {
    expect(balancedAllocation.score(pod('p'), [info(node('w1'))], { allNodes: [] })).toEqual([0]);
  });
});

describe('TaintToleration score', () => {
  it('prefers nodes with fewer untolerated PreferNoSchedule taints', () => {
    const soft = info(node('w1', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] }));
    const clean = info(node('w2'));
    expect(taintTolerationScore.score(pod('p'), [soft, clean], { allNodes: [] })).toEqual([0, 100]);
    const tolerant = pod('p', { spec: { tolerations: [{ key: 'soft', operator: 'Exists' }] } });
    expect(taintTolerationScore.score(tolerant, [soft, clean], { allNodes: [] })).toEqual([100, 100]);
  });
});

describe('NodeAffinity score', () => {
  it('sums the weights of matching preferred terms', () => {
    const ssd = info(node('w1', { labels: { disk: 'ssd' } }));
    const hdd = info(node('w2', { labels: { disk: 'hdd' } }));
    const p = pod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 80, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
              { weight: 20, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } },
            ],
          },
        },
      },
    });
    expect(nodeAffinityScore.score(p, [ssd, hdd], { allNodes: [] })).toEqual([100, 20]);
  });
});
