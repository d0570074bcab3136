import { describe, expect, it } from 'vitest';
import { resource, simulateCreate, simulateStatusUpdate, simulateUpdate } from './harness.js';
import { validateFinalize } from './namespace.js';

const namespaces = resource('namespaces');

describe('namespace', () => {
  it('create: Active, the kubernetes finalizer, the name label', () => {
    const { obj, messages } = simulateCreate(namespaces, { metadata: { name: 'team-a' }, status: { phase: 'Terminating' } });
    expect(messages).toEqual([]);
    expect(obj).toEqual({ metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  });

  it('names are DNS-1123 labels; namespaces have no namespace', () => {
    expect(simulateCreate(namespaces, { metadata: { name: 'team.a' } }).messages).toEqual(['metadata.name: Invalid value: "team.a": must not contain dots']);
    expect(simulateCreate(namespaces, { metadata: { name: 'a', namespace: 'b' } }).messages).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
    expect(simulateCreate(namespaces, { metadata: { name: 'a' }, spec: { finalizers: ['custom'] } }).messages).toEqual([
      'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });

  it('update keeps spec.finalizers and status; status needs Terminating once deleting', () => {
    const old = simulateCreate(namespaces, { metadata: { name: 'a' } }).obj;
    const r = simulateUpdate(namespaces, { metadata: { name: 'a', labels: { team: 'x' } }, spec: { finalizers: [] } }, old);
    expect(r.messages).toEqual([]);
    expect(r.obj).toMatchObject({ spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' }, metadata: { labels: { team: 'x', 'kubernetes.io/metadata.name': 'a' } } });
    const deleting = { ...old, metadata: { ...old.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
    expect(simulateStatusUpdate(namespaces, { status: { phase: 'Active' } }, deleting).messages).toEqual([
      "status.Phase: Invalid value: \"Active\": may only be 'Terminating' if `deletionTimestamp` is not empty",
    ]);
  });

  it('deletion waits for spec.finalizers and marks Terminating', () => {
    const s = namespaces.strategy;
    const ns = simulateCreate(namespaces, { metadata: { name: 'a' } }).obj;
    expect(s.pendingFinalizers!(ns)).toEqual(['kubernetes']);
    s.prepareForDelete!(ns);
    expect(ns.status).toEqual({ phase: 'Terminating' });
    expect(s.selectableFields!(ns)).toEqual({ 'status.phase': 'Terminating' });
    expect(validateFinalize({ spec: { finalizers: ['x'] } }).map((e) => e.field)).toEqual(['spec.finalizers[0]']);
  });
});
