import { describe, expect, it } from 'vitest';
import { resource, simulateCreate, simulateStatusUpdate, simulateUpdate } from './harness.js';

const replicasets = resource('replicasets', 'apps');
const rs = (spec: Record<string, unknown> = {}) => ({
  metadata: { name: 'web-7d4b9' },
  spec: {
    selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9' } },
    template: { metadata: { labels: { app: 'web', 'pod-template-hash': '7d4b9' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    ...spec,
  },
});

describe('replicaset', () => {
  it('defaults replicas and the pod template; starts with an empty status', () => {
    const { obj, messages } = simulateCreate(replicasets, rs());
    expect(messages).toEqual([]);
    expect((obj.spec as any).replicas).toBe(1);
    expect((obj.spec as any).template.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(obj.status).toEqual({});
  });

  it('validates like a deployment, wording included', () => {
    expect(simulateCreate(replicasets, rs({ replicas: -2, minReadySeconds: -1, selector: {} })).messages).toEqual([
      'spec.replicas: Invalid value: -2: must be greater than or equal to 0',
      'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ]);
    expect(simulateCreate(replicasets, rs({ selector: { matchLabels: { app: 'other' } } })).messages).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web", "pod-template-hash":"7d4b9"}: `selector` does not match template `labels`',
    ]);
  });

  it('keeps status on update, forbids selector changes, bumps generation on spec changes', () => {
    const old = { ...simulateCreate(replicasets, rs()).obj, status: { replicas: 1 } } as any;
    old.metadata.generation = 2;
    const scaled = structuredClone(old);
    scaled.spec.replicas = 0;
    scaled.status = { replicas: 99 };
    const r = simulateUpdate(replicasets, scaled, old);
    expect(r.messages).toEqual([]);
    expect(r.obj.status).toEqual({ replicas: 1 });
    expect(r.obj.metadata?.generation).toBe(3);
    const moved = structuredClone(old);
    moved.spec.selector.matchLabels.app = 'web';
    moved.spec.selector.matchExpressions = [];
    expect(simulateUpdate(replicasets, moved, old).messages).toEqual([]);
    moved.spec.selector.matchLabels = { app: 'web' };
    expect(simulateUpdate(replicasets, moved, old).messages[0]).toMatch(/^spec.selector: Invalid value: v1.LabelSelector\{MatchLabels:map\[string\]string\{"app":"web"\}, .*: field is immutable$/);
  });

  it('status subresource and the status.replicas field selector', () => {
    const old = simulateCreate(replicasets, rs()).obj;
    const r = simulateStatusUpdate(replicasets, { status: { replicas: 1, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1 } }, old);
    expect(r.messages).toEqual(['status.fullyLabeledReplicas: Invalid value: 2: cannot be greater than status.replicas']);
    expect(replicasets.strategy.selectableFields!({ status: { replicas: 3 } })).toEqual({ 'status.replicas': '3' });
    expect(replicasets.strategy.selectableFields!({})).toEqual({ 'status.replicas': '0' });
  });
});
