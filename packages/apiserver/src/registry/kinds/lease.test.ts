import { describe, expect, it } from 'vitest';
import { resource, simulateCreate, simulateUpdate } from './harness.js';

const leases = resource('leases', 'coordination.k8s.io');

describe('lease', () => {
  it('node heartbeats: valid spec, PUT creates, no generation', () => {
    const lease = { metadata: { name: 'worker1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'worker1', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:00.000000Z' } };
    expect(simulateCreate(leases, lease).messages).toEqual([]);
    expect(leases.strategy.allowCreateOnUpdate).toBe(true);
    expect(leases.strategy.tracksGeneration).toBe(false);
  });

  it('durations and transitions', () => {
    const bad = { metadata: { name: 'l' }, spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } };
    expect(simulateCreate(leases, bad).messages).toEqual([
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
      'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
    ]);
    expect(simulateUpdate(leases, bad, { metadata: { name: 'l', namespace: 'default' }, spec: {} }).messages).toHaveLength(2);
  });
});
