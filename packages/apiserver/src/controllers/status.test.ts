// ReplicaSet and Deployment status computation, conditions and the expectations bookkeeping.
import { describe, expect, it } from 'vitest';
import { calculateStatus, deploymentComplete, deploymentProgressing, deploymentStatusJSON, deploymentTimedOut, setCondition, newCondition } from './deployment-status.js';
import { Expectations } from './expectations.js';
import { calculateReplicaSetStatus, replicaSetStatusJSON, replicaSetStatusUnchanged } from './replicaset-status.js';
import type { Deployment, Pod, ReplicaSet } from './workload-types.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z');

function pod(labels: Record<string, string>, readyFor?: number): Pod {
  return {
    metadata: { name: 'p', labels },
    status: { phase: 'Running', conditions: readyFor === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: ago(readyFor) }] },
  };
}

function replicaSet(replicas: number, minReadySeconds = 0): ReplicaSet {
  return {
    metadata: { name: 'web-abc', generation: 2 },
    spec: { replicas, minReadySeconds, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'x' } } } },
    status: { replicas: 0, observedGeneration: 1 },
  };
}

describe('ReplicaSet status', () => {
  it('counts fully labelled, ready and available (minReadySeconds) pods', () => {
    const rs = replicaSet(4, 10);
    const pods = [pod({ app: 'web', tier: 'x' }, 30), pod({ app: 'web', tier: 'x' }, 5), pod({ app: 'web' }, 60), pod({ app: 'web', tier: 'x' })];
    const s = calculateReplicaSetStatus(rs, pods, undefined, NOW);
    expect(s).toMatchObject({ replicas: 4, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 2 });
    expect(replicaSetStatusJSON({ ...s, observedGeneration: 2 })).toEqual({ replicas: 4, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 2, observedGeneration: 2 });
    expect(replicaSetStatusUnchanged(rs, s)).toBe(false);
  });

  it('adds ReplicaFailure while creating fails and removes it afterwards', () => {
    const rs = replicaSet(3);
    const failing = calculateReplicaSetStatus(rs, [], new Error('pods "web-" is forbidden: exceeded quota'), NOW);
    expect(failing.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: ago(0), reason: 'FailedCreate', message: 'pods "web-" is forbidden: exceeded quota' }]);
    rs.status = { ...failing };
    expect(calculateReplicaSetStatus(rs, [], undefined, NOW).conditions).toBeUndefined();
  });

  it('an empty status serialises as {replicas: 0}', () => {
    const rs = { ...replicaSet(0), status: {} };
    expect(replicaSetStatusJSON(calculateReplicaSetStatus(rs, [], undefined, NOW))).toEqual({ replicas: 0 });
  });
});

function deployment(replicas: number): Deployment {
  return {
    metadata: { name: 'web', generation: 3 },
    spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }, progressDeadlineSeconds: 60 },
    status: { observedGeneration: 2, replicas: 3, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3 },
  };
}

const rsWith = (name: string, replicas: number, ready: number, available: number): ReplicaSet => ({
  metadata: { name },
  spec: { replicas },
  status: { replicas, readyReplicas: ready, availableReplicas: available },
});

describe('Deployment status', () => {
  it('sums the ReplicaSets and sets Available by minimum availability', () => {
    const d = deployment(3);
    const newRS = rsWith('web-new', 2, 1, 1);
    const s = calculateStatus([rsWith('web-old', 2, 2, 2), newRS], newRS, d, NOW);
    expect(s).toMatchObject({ observedGeneration: 3, replicas: 4, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1 });
    expect(s.conditions).toEqual([
      { type: 'Available', status: 'True', lastUpdateTime: ago(0), lastTransitionTime: ago(0), reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
    ]);
    const low = calculateStatus([rsWith('web-new', 3, 1, 1)], null, d, NOW);
    expect(low.conditions?.[0]).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
    expect(low.unavailableReplicas).toBe(2);
  });

  it('omits zero counts like the API (omitempty)', () => {
    expect(deploymentStatusJSON({ observedGeneration: 1, replicas: 0, updatedReplicas: 0, conditions: [] })).toEqual({ observedGeneration: 1 });
  });

  it('complete, progressing and timed out', () => {
    const d = deployment(3);
    expect(deploymentComplete(d, { observedGeneration: 3, replicas: 3, updatedReplicas: 3, availableReplicas: 3 })).toBe(true);
    expect(deploymentComplete(d, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 })).toBe(false);
    expect(deploymentComplete(d, { observedGeneration: 3, replicas: 4, updatedReplicas: 3, availableReplicas: 3 })).toBe(false);
    expect(deploymentProgressing(d, { replicas: 3, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3 })).toBe(true);
    expect(deploymentProgressing(d, { replicas: 2, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 })).toBe(true); // fewer old pods
    expect(deploymentProgressing(d, { replicas: 3, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3 })).toBe(false);

    const stuck = { conditions: [{ type: 'Progressing', status: 'True' as const, lastUpdateTime: ago(61), reason: 'ReplicaSetUpdated' }] };
    expect(deploymentTimedOut(d, stuck, NOW)).toBe(true);
    expect(deploymentTimedOut(d, { conditions: [{ ...stuck.conditions[0], lastUpdateTime: ago(59) }] }, NOW)).toBe(false);
    expect(deploymentTimedOut(d, { conditions: [{ ...stuck.conditions[0], reason: 'NewReplicaSetAvailable' }] }, NOW)).toBe(false);
    expect(deploymentTimedOut({ ...d, spec: { ...d.spec, progressDeadlineSeconds: undefined } }, stuck, NOW)).toBe(false);
  });

  it('setCondition keeps lastTransitionTime when only the reason changes and ignores repeats', () => {
    const s = { conditions: [newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'Created new replica set "web-1"', NOW - 60_000)] };
    setCondition(s, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'ReplicaSet "web-1" is progressing.', NOW));
    expect(s.conditions[0]).toMatchObject({ reason: 'ReplicaSetUpdated', lastUpdateTime: ago(0), lastTransitionTime: ago(60) });
    setCondition(s, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'other', NOW + 5000));
    expect(s.conditions[0].message).toBe('ReplicaSet "web-1" is progressing.');
  });
});

describe('expectations', () => {
  it('are satisfied once every expected creation and deletion is observed, or after the timeout', () => {
    let t = 0;
    const e = new Expectations(1000, () => t);
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a'); // counted once
    e.deletionObserved('ns/rs', 'ns/other'); // not ours
    expect(e.satisfied('ns/rs')).toBe(false);
    t = 1001;
    expect(e.satisfied('ns/rs')).toBe(true);
  });
});
