import { describe, expect, it } from 'vitest';
import { resource, simulateCreate, simulateStatusUpdate, simulateUpdate } from './harness.js';

const nodes = resource('nodes');
const node = (spec: Record<string, unknown> = {}, status?: Record<string, unknown>) => ({ metadata: { name: 'worker1' }, spec, ...(status ? { status } : {}) });

describe('node', () => {
  it('create keeps the status the agent registers with; allocatable defaults to capacity', () => {
    const { obj, messages } = simulateCreate(nodes, node({ podCIDR: '10.244.1.0/24' }, { capacity: { cpu: '4', memory: '8Gi', pods: '110' } }));
    expect(messages).toEqual([]);
    expect(obj.status).toEqual({ capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } });
    expect(obj.spec).toEqual({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
  });

  it('taints, CIDRs, resources', () => {
    const taints = [
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
      { key: 'x', effect: 'Sometimes' },
    ];
    expect(simulateCreate(nodes, node({ taints, podCIDRs: ['10.244.1.0/33'] }, { capacity: { cpu: '-1' } })).messages).toEqual([
      'metadata.taints[1]: Duplicate value: core.Taint{Key:"node-role.kubernetes.io/control-plane", Value:"", Effect:"NoSchedule", TimeAdded:<nil>}: taints must be unique by key and effect pair',
      'metadata.taints[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
      'status.allocatable.cpu: Invalid value: "-1": must be greater than or equal to 0',
      'spec.podCIDRs[0]: Invalid value: []string{"10.244.1.0/33"}: must be valid CIDR',
    ]);
  });

  it('update: status kept, podCIDR set once, unschedulable allowed', () => {
    const old = simulateCreate(nodes, node({ podCIDR: '10.244.1.0/24' }, { capacity: { cpu: '4' } })).obj as any;
    const cordon = structuredClone(old);
    cordon.spec.unschedulable = true;
    cordon.status = {};
    const r = simulateUpdate(nodes, cordon, old);
    expect(r.messages).toEqual([]);
    expect(r.obj.status).toEqual(old.status);
    expect(nodes.strategy.selectableFields!(r.obj)).toEqual({ 'spec.unschedulable': 'true' });
    const moved = structuredClone(old);
    moved.spec.podCIDR = '10.244.2.0/24';
    moved.spec.podCIDRs = ['10.244.2.0/24'];
    expect(simulateUpdate(nodes, moved, old).messages).toEqual(['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']);
  });

  it('status updates keep the spec', () => {
    const old = simulateCreate(nodes, node({ unschedulable: true })).obj;
    const r = simulateStatusUpdate(nodes, { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, old);
    expect(r.obj.spec).toEqual({ unschedulable: true });
    expect(r.obj.status).toEqual({ conditions: [{ type: 'Ready', status: 'True' }] });
  });
});
