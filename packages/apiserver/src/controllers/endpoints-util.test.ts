// Which Services a pod event concerns, and the last-change-trigger-time bookkeeping.
import { describe, expect, it } from 'vitest';
import { TriggerTimeTracker, podEndpointsChanged, rfc3339Nano, serviceSelector, servicesMatching, servicesToUpdateOnPodChange, shouldPodBeInEndpoints, type Service } from './endpoints-util.js';
import type { Pod } from './workload-types.js';

const svc = (name: string, selector: Record<string, string> | null | undefined, namespace = 'default', created = '2024-07-04T04:00:00Z'): Service => ({
  metadata: { name, namespace, uid: `uid-${name}`, creationTimestamp: created },
  spec: { selector, clusterIP: '10.96.0.10', ports: [{ port: 80 }] },
});

function pod(labels: Record<string, string>, o: { rv?: string; ready?: boolean; ip?: string; readySince?: string; deleting?: boolean; hostname?: string } = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u', labels, resourceVersion: o.rv ?? '1', ...(o.deleting ? { deletionTimestamp: '2024-07-04T05:00:00Z' } : {}) },
    spec: { nodeName: 'worker1', ...(o.hostname ? { hostname: o.hostname } : {}) },
    status: {
      phase: 'Running',
      podIP: o.ip ?? '10.244.1.2',
      podIPs: [{ ip: o.ip ?? '10.244.1.2' }],
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.readySince ?? '2024-07-04T04:10:00Z' }],
    },
  };
}

describe('service membership', () => {
  const services = [svc('web', { app: 'web' }), svc('all-web', { tier: 'front' }), svc('manual', undefined), svc('empty', {}), svc('elsewhere', { app: 'web' }, 'other')];

  it('a selector-less (or empty-selector) Service selects nothing; other namespaces are not looked at', () => {
    expect(serviceSelector(svc('x', {}))).toBeUndefined();
    expect(serviceSelector(svc('x', null))).toBeUndefined();
    expect([...servicesMatching(services, 'default', { app: 'web', tier: 'front' })].sort()).toEqual(['default/all-web', 'default/web']);
  });

  it('a pod update concerns nobody unless readiness, IPs, deletion, labels or hostname changed', () => {
    const before = pod({ app: 'web' });
    expect([...servicesToUpdateOnPodChange(services, before, { ...pod({ app: 'web' }), metadata: { ...before.metadata, resourceVersion: '2', annotations: { a: 'b' } } })]).toEqual([]);
    expect([...servicesToUpdateOnPodChange(services, before, pod({ app: 'web' }, { rv: '2', ready: false }))]).toEqual(['default/web']);
    expect([...servicesToUpdateOnPodChange(services, before, pod({ app: 'web' }, { rv: '2', ip: '10.244.1.3' }))]).toEqual(['default/web']);
    expect([...servicesToUpdateOnPodChange(services, before, pod({ app: 'web' }, { rv: '2', deleting: true }))]).toEqual(['default/web']);
    // A resync (same resourceVersion) is ignored.
    expect([...servicesToUpdateOnPodChange(services, before, pod({ app: 'web' }, { ready: false }))]).toEqual([]);
  });

  it('a label change alone concerns the Services gained or lost; with another change, all of both', () => {
    const before = pod({ app: 'web', tier: 'front' });
    expect([...servicesToUpdateOnPodChange(services, before, pod({ app: 'api', tier: 'front' }, { rv: '2' }))]).toEqual(['default/web']);
    expect([...servicesToUpdateOnPodChange(services, before, pod({ app: 'api', tier: 'front' }, { rv: '2', ready: false }))].sort()).toEqual(['default/all-web', 'default/web']);
    expect(podEndpointsChanged(before, pod({ app: 'web', tier: 'front' }, { rv: '2', hostname: 'h' }))).toEqual([false, true]);
  });

  it('shouldPodBeInEndpoints: terminating pods only when asked for', () => {
    expect(shouldPodBeInEndpoints(pod({}, { deleting: true }), false)).toBe(false);
    expect(shouldPodBeInEndpoints(pod({}, { deleting: true }), true)).toBe(true);
  });
});

describe('last-change-trigger-time', () => {
  it('is RFC 3339 with nanoseconds trimmed, in UTC', () => {
    expect(rfc3339Nano(Date.parse('2024-07-04T04:48:21Z'))).toBe('2024-07-04T04:48:21Z');
    expect(rfc3339Nano(Date.parse('2024-07-04T04:48:21.250Z'))).toBe('2024-07-04T04:48:21.25Z');
  });

  it("a new Service reports its creation; later, the earliest changed pod Ready transition; nothing when nothing changed", () => {
    const t = new TriggerTimeTracker();
    const s = svc('web', { app: 'web' });
    const a = { ...pod({ app: 'web' }, { readySince: '2024-07-04T04:10:00Z' }), metadata: { name: 'a', namespace: 'default', uid: 'a' } };
    const b = { ...pod({ app: 'web' }, { readySince: '2024-07-04T04:12:00Z' }), metadata: { name: 'b', namespace: 'default', uid: 'b' } };
    expect(t.compute(s, [a])).toBe(Date.parse('2024-07-04T04:00:00Z'));
    expect(t.compute(s, [a])).toBeUndefined();
    expect(t.compute(s, [a, b])).toBe(Date.parse('2024-07-04T04:12:00Z'));
    const a2 = { ...a, status: { ...a.status, conditions: [{ type: 'Ready', status: 'False' as const, lastTransitionTime: '2024-07-04T04:20:00Z' }] } };
    const b2 = { ...b, status: { ...b.status, conditions: [{ type: 'Ready', status: 'False' as const, lastTransitionTime: '2024-07-04T04:15:00Z' }] } };
    expect(t.compute(s, [a2, b2])).toBe(Date.parse('2024-07-04T04:15:00Z'));
    t.deleteService('default/web');
    expect(t.compute(s, [])).toBe(Date.parse('2024-07-04T04:00:00Z'));
  });
});
