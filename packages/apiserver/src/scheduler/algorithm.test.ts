import { describe, expect, it } from 'vitest';
import { schedulePod } from './algorithm.js';
import { SchedulerCache } from './cache.js';
import { CONTROL_PLANE_TAINT, info, node, pod } from './fixtures.js';
import { fitErrorMessage, truncateMessage, unresolvable, unschedulable } from './framework.js';
import type { Pod } from './types.js';

describe('FitError message', () => {
  it('formats the histogram as kube-scheduler does, sorted as strings', () => {
    const statuses = [
      unresolvable('TaintToleration', 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'),
      unschedulable('NodeResourcesFit', 'Insufficient cpu'),
      unschedulable('NodeResourcesFit', 'Insufficient cpu'),
    ];
    expect(fitErrorMessage(3, statuses, 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.')).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..',
    );
    // Go's sort.Strings on "<count> <reason>": "10 …" before "2 …".
    const many = [...Array(10)].map(() => unschedulable('x', 'Too many pods')).concat([unresolvable('y', 'node(s) were unschedulable'), unresolvable('y', 'node(s) were unschedulable')]);
    expect(fitErrorMessage(12, many)).toBe('0/12 nodes are available: 10 Too many pods, 2 node(s) were unschedulable.');
    // A node failing two resources counts once per reason.
    expect(fitErrorMessage(1, [unschedulable('f', 'Insufficient cpu', 'Insufficient memory')])).toBe('0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.');
  });
  it('truncates event notes to 1024 characters', () => {
    expect(truncateMessage('x'.repeat(2000))).toHaveLength(1024);
    expect(truncateMessage('x'.repeat(2000)).endsWith(' ...')).toBe(true);
    expect(truncateMessage('short')).toBe('short');
  });
});

describe('schedulePod', () => {
  const cluster = () => [info(node('master', { taints: [CONTROL_PLANE_TAINT] })), info(node('worker1')), info(node('worker2'))];

  it('never picks the tainted control plane', () => {
    for (let i = 0; i < 20; i++) expect(schedulePod(pod('p'), cluster()).nodeName).toMatch(/^worker/);
  });

  // The PostFilter message is itself a FitError ending in '.', and FitError.Error() appends
  // ' %v.' to it: real kube-scheduler events end in '..'.
  it('explains a pod too big for every node (unresolvable: preemption not helpful)', () => {
    const r = schedulePod(pod('p', { requests: { cpu: '16' } }), cluster());
    expect(r.nodeName).toBeUndefined();
    expect(r).toMatchObject({
      message:
        '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..',
    });
  });

  it('says no preemption victims were found when equal-priority pods fill the workers', () => {
    const full = (n: string) => info(node(n, { cpu: '1' }), pod(`${n}-hog`, { requests: { cpu: '900m' }, nodeName: n }));
    const nodes = [info(node('master', { taints: [CONTROL_PLANE_TAINT] })), full('worker1'), full('worker2')];
    expect(schedulePod(pod('p', { requests: { cpu: '500m' } }), nodes)).toMatchObject({
      message:
        '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..',
    });
    // preemptionPolicy Never: the PostFilter message keeps its own period (hence "..", as in Kubernetes).
    expect(schedulePod(pod('p', { requests: { cpu: '500m' }, spec: { preemptionPolicy: 'Never' } }), nodes)).toMatchObject({
      message: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..',
    });
    // A higher-priority pod would preempt in Kubernetes: no PostFilter message then.
    expect(schedulePod(pod('p', { requests: { cpu: '500m' }, spec: { priority: 1000 } }), nodes)).toMatchObject({
      message: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.',
    });
  });

  it('has a message for a cluster without nodes', () => {
    expect(schedulePod(pod('p'), [])).toMatchObject({ message: 'no nodes available to schedule pods' });
  });

  it('follows nodeSelector', () => {
    const nodes = [info(node('worker1')), info(node('worker2', { labels: { disk: 'ssd' } }))];
    for (let i = 0; i < 10; i++) expect(schedulePod(pod('p', { spec: { nodeSelector: { disk: 'ssd' } } }), nodes).nodeName).toBe('worker2');
  });

  it('prefers the less requested node', () => {
    const nodes = [info(node('worker1'), pod('big', { requests: { cpu: '3', memory: '4Gi' }, nodeName: 'worker1' })), info(node('worker2'))];
    expect(schedulePod(pod('p'), nodes).nodeName).toBe('worker2');
  });
});

describe('three laptops (walkthrough 000 §4A)', () => {
  const replica = (app: string, i: number): Pod => pod(`${app}-${i}`, { labels: { app }, owner: app });
  const sameOwner = (p: Pod) => (o: Pod) => o.metadata.ownerReferences?.[0]?.uid === p.metadata.ownerReferences?.[0]?.uid;

  function run(order: Pod[], random: () => number, cpu = '4', memory = '8Gi') {
    const cache = new SchedulerCache();
    cache.addNode(node('master', { taints: [CONTROL_PLANE_TAINT], cpu, memory }));
    cache.addNode(node('worker1', { cpu, memory }));
    cache.addNode(node('worker2', { cpu, memory }));
    const placed: Record<string, Record<string, number>> = {};
    for (const p of order) {
      const r = schedulePod(p, cache.nodeInfos(), { spreadMatcher: sameOwner(p), random });
      expect(r.nodeName).toBeDefined();
      cache.assumePod(p, r.nodeName!);
      const app = p.metadata.labels!.app;
      (placed[app] ??= {})[r.nodeName!] = (placed[app][r.nodeName!] ?? 0) + 1;
    }
    return placed;
  }

  const fe = [0, 1, 2].map((i) => replica('frontend', i));
  const be = [0, 1, 2].map((i) => replica('backend', i));
  const orders = { sequential: [...fe, ...be], interleaved: [fe[0], be[0], fe[1], be[1], fe[2], be[2]] };

  for (const [name, order] of Object.entries(orders)) {
    for (const size of [
      ['4', '8Gi'],
      ['64', '256Gi'],
    ]) {
      it(`${name} on ${size[0]}-cpu nodes: 2+1 / 1+2 on the workers, never master`, () => {
        let seed = 7;
        const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
        for (let trial = 0; trial < 50; trial++) {
          const placed = run(order, random, size[0], size[1]);
          expect(placed.frontend.master ?? 0).toBe(0);
          expect(placed.backend.master ?? 0).toBe(0);
          const f = [placed.frontend.worker1 ?? 0, placed.frontend.worker2 ?? 0];
          const b = [placed.backend.worker1 ?? 0, placed.backend.worker2 ?? 0];
          expect(f.sort()).toEqual([1, 2]);
          // The backend mirrors the frontend: each worker ends with three pods.
          expect((placed.frontend.worker1 ?? 0) + (placed.backend.worker1 ?? 0)).toBe(3);
          expect(b.sort()).toEqual([1, 2]);
        }
      });
    }
  }

  it('counts a just-assumed pod at once (no double booking before the informer catches up)', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('worker1', { cpu: '1' }));
    const a = pod('a', { requests: { cpu: '600m' } });
    cache.assumePod(a, 'worker1');
    expect(schedulePod(pod('b', { requests: { cpu: '600m' } }), cache.nodeInfos()).nodeName).toBeUndefined();
    cache.forgetPod(a);
    expect(schedulePod(pod('b', { requests: { cpu: '600m' } }), cache.nodeInfos()).nodeName).toBe('worker1');
  });
});
