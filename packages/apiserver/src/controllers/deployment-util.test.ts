import { describe, expect, it } from 'vitest';
import {
  findActiveOrLatest,
  findNewReplicaSet,
  getProportion,
  isSaturated,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  proportionalSizes,
  resolveFenceposts,
  byRevision,
  setNewReplicaSetAnnotations,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  REVISION,
  REVISION_HISTORY,
} from './deployment-util.js';
import type { Deployment, IntOrString, ReplicaSet } from './workload-types.js';

const tpl = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } });

function deploy(replicas: number, surge: IntOrString = '25%', unavailable: IntOrString = '25%', type: 'RollingUpdate' | 'Recreate' = 'RollingUpdate'): Deployment {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'd-uid', generation: 1, annotations: {} },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: tpl('nginx:1'),
      strategy: type === 'Recreate' ? { type } : { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
    },
    status: {},
  };
}

let seq = 0;
function rs(name: string, replicas: number, opts: { annotations?: Record<string, string>; available?: number; created?: string; image?: string } = {}): ReplicaSet {
  return {
    metadata: { name, namespace: 'default', uid: `${name}-uid`, annotations: opts.annotations ?? {}, creationTimestamp: opts.created ?? `2024-01-01T00:00:${String(seq++ % 60).padStart(2, '0')}Z` },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: tpl(opts.image ?? 'nginx:0') },
    status: { replicas, availableReplicas: opts.available ?? replicas },
  };
}

describe('surge and unavailable arithmetic (ResolveFenceposts)', () => {
  it('rounds maxSurge up and maxUnavailable down', () => {
    expect(resolveFenceposts('25%', '25%', 3)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts('25%', '25%', 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts('25%', '25%', 4)).toEqual({ surge: 1, unavailable: 1 });
    expect(resolveFenceposts('50%', '1%', 5)).toEqual({ surge: 3, unavailable: 0 });
    expect(resolveFenceposts(1, 1, 3)).toEqual({ surge: 1, unavailable: 1 });
  });

  it('makes maxUnavailable 1 when both resolve to 0', () => {
    expect(resolveFenceposts(0, '10%', 5)).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts('0%', '0%', 0)).toEqual({ surge: 0, unavailable: 1 });
  });

  it('MaxUnavailable is capped at replicas and 0 for Recreate or 0 replicas; MaxSurge 0 for Recreate', () => {
    expect(maxUnavailable(deploy(2, 0, 5))).toBe(2);
    expect(maxUnavailable(deploy(0))).toBe(0);
    expect(maxUnavailable(deploy(3, 1, 1, 'Recreate'))).toBe(0);
    expect(maxSurge(deploy(3, 1, 1, 'Recreate'))).toBe(0);
    expect(maxSurge(deploy(10))).toBe(3);
  });

  it('rejects non-percent strings as Kubernetes does', () => {
    expect(() => resolveFenceposts('1', 0, 3)).toThrow(/not a percentage/);
  });
});

describe('NewRSNewReplicas', () => {
  it('grows the new ReplicaSet up to replicas + maxSurge in total, never beyond replicas', () => {
    const d = deploy(3, 1, 1);
    const old = rs('old', 3);
    const fresh = rs('new', 0);
    expect(newRSNewReplicas(d, [old, fresh], fresh)).toBe(1);
    const grown = rs('new', 1);
    expect(newRSNewReplicas(d, [rs('old', 2), grown], grown)).toBe(2);
    expect(newRSNewReplicas(d, [rs('old', 3), grown], grown)).toBe(1); // at 4 already
    expect(newRSNewReplicas(deploy(3), [rs('new', 0)], rs('new', 0))).toBe(3); // a fresh Deployment
  });

  it('is the full size for Recreate', () => {
    expect(newRSNewReplicas(deploy(5, 0, 0, 'Recreate'), [rs('old', 5)], rs('new', 0))).toBe(5);
  });
});

describe('proportional scaling (GetProportion / scale)', () => {
  it("distributes a resize by max-replicas, as in Kubernetes' docs (10→15 replicas, 3 surge: +3 old, +2 new)", () => {
    const d = deploy(15, 3, 2);
    const ann = { [DESIRED_REPLICAS]: '10', [MAX_REPLICAS]: '13' };
    const old = rs('old', 8, { annotations: ann, created: '2024-01-01T00:00:00Z' });
    const fresh = rs('new', 5, { annotations: ann, created: '2024-01-01T00:01:00Z' });
    const { order, sizes, operation } = proportionalSizes(d, [old, fresh]);
    expect(operation).toBe('up');
    expect(order.map((r) => r.metadata.name)).toEqual(['old', 'new']);
    expect(Object.fromEntries(sizes)).toEqual({ old: 11, new: 7 });
  });

  it('scales down larger (then older) sets first and never below 0', () => {
    const d = deploy(2, 1, 0);
    const ann = { [DESIRED_REPLICAS]: '10', [MAX_REPLICAS]: '11' };
    const { sizes, operation } = proportionalSizes(d, [rs('a', 6, { annotations: ann }), rs('b', 5, { annotations: ann })]);
    expect(operation).toBe('down');
    expect(sizes.get('a')! + sizes.get('b')!).toBe(3);
    expect(sizes.get('a')).toBeGreaterThanOrEqual(0);
  });

  it('GetProportion is bounded by what is left and is 0 for empty sets', () => {
    const d = deploy(15, 3, 2);
    const r = rs('x', 8, { annotations: { [MAX_REPLICAS]: '13' } });
    expect(getProportion(r, d, 5, 0)).toBe(3);
    expect(getProportion(r, d, 2, 0)).toBe(2);
    expect(getProportion(rs('y', 0), d, 5, 0)).toBe(0);
    expect(getProportion(r, d, 5, 5)).toBe(0);
  });
});

describe('ReplicaSet selection and revisions', () => {
  it('finds the new ReplicaSet by template (ignoring the hash label), oldest first', () => {
    const d = deploy(3);
    const a = rs('a', 1, { image: 'nginx:1', created: '2024-01-01T00:00:02Z' });
    a.spec.template!.metadata!.labels!['pod-template-hash'] = 'abc';
    const b = rs('b', 1, { image: 'nginx:1', created: '2024-01-01T00:00:01Z' });
    const c = rs('c', 1, { image: 'nginx:0' });
    expect(findNewReplicaSet(d, [a, b, c])?.metadata.name).toBe('b');
    expect(findNewReplicaSet(d, [c])).toBeNull();
  });

  it('FindActiveOrLatest: the single active set, else the newest', () => {
    const older = rs('older', 0, { created: '2024-01-01T00:00:00Z' });
    const newer = rs('newer', 0, { created: '2024-01-01T00:01:00Z' });
    expect(findActiveOrLatest(null, [older, newer])?.metadata.name).toBe('newer');
    expect(findActiveOrLatest(rs('n', 0), [rs('o', 2)])?.metadata.name).toBe('o');
    expect(findActiveOrLatest(rs('n', 1), [rs('o', 2)])).toBeNull();
  });

  it('sorts by revision, unparseable ones by creation', () => {
    const list = [rs('r3', 0, { annotations: { [REVISION]: '3' } }), rs('r1', 0, { annotations: { [REVISION]: '1' } }), rs('r2', 0, { annotations: { [REVISION]: '2' } })];
    expect(list.sort(byRevision).map((r) => r.metadata.name)).toEqual(['r1', 'r2', 'r3']);
  });

  it('IsSaturated needs the size, the desired annotation and all pods available', () => {
    const d = deploy(3);
    expect(isSaturated(d, rs('n', 3, { annotations: { [DESIRED_REPLICAS]: '3' } }))).toBe(true);
    expect(isSaturated(d, rs('n', 3, { annotations: { [DESIRED_REPLICAS]: '3' }, available: 2 }))).toBe(false);
    expect(isSaturated(d, rs('n', 3))).toBe(false);
    expect(isSaturated(d, null)).toBe(false);
  });
});

describe('SetNewReplicaSetAnnotations', () => {
  it('copies annotations except last-applied and deployment.kubernetes.io/*, sets revision and replicas', () => {
    const d = deploy(3);
    d.metadata.annotations = {
      'kubernetes.io/change-cause': 'kubectl apply --record',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      [REVISION]: '7',
      team: 'a',
    };
    const r = rs('n', 0, { annotations: {} });
    expect(setNewReplicaSetAnnotations(d, r, 1, false)).toBe(true);
    expect(r.metadata.annotations).toEqual({
      'kubernetes.io/change-cause': 'kubectl apply --record',
      team: 'a',
      [REVISION]: '1',
      [DESIRED_REPLICAS]: '3',
      [MAX_REPLICAS]: '4',
    });
    expect(setNewReplicaSetAnnotations(d, r, 1, true)).toBe(false);
  });

  it('a reused old ReplicaSet (rollback) takes max+1 and remembers its old revisions', () => {
    const d = deploy(3);
    const r = rs('n', 0, { annotations: { [REVISION]: '1' } });
    setNewReplicaSetAnnotations(d, r, 3, true);
    expect(r.metadata.annotations).toMatchObject({ [REVISION]: '3', [REVISION_HISTORY]: '1' });
    setNewReplicaSetAnnotations(d, r, 5, true);
    expect(r.metadata.annotations?.[REVISION_HISTORY]).toBe('1,3');
    // never lowered
    setNewReplicaSetAnnotations(d, r, 2, true);
    expect(r.metadata.annotations?.[REVISION]).toBe('5');
  });
});
