import { describe, expect, it } from 'vitest';
import { CONTROL_PLANE_TAINT, info, node, pod } from './fixtures.js';
import { nodeAffinity, nodeName, nodePorts, nodeResourcesFit, nodeUnschedulable, taintToleration } from './filters/index.js';
import { matchRequirement } from './filters/node-affinity.js';
import { podRequests } from './resources.js';

describe('NodeUnschedulable', () => {
  it('rejects a cordoned node unless the pod tolerates the unschedulable taint', () => {
    const n = info(node('w1', { unschedulable: true }));
    expect(nodeUnschedulable.filter(pod('p'), n)).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'], plugin: 'NodeUnschedulable' });
    const tolerant = pod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
    expect(nodeUnschedulable.filter(tolerant, n)).toBeUndefined();
    expect(nodeUnschedulable.filter(pod('p'), info(node('w2')))).toBeUndefined();
  });
});

describe('NodeName', () => {
  it('passes pods without a node name and the named node only', () => {
    expect(nodeName.filter(pod('p'), info(node('w1')))).toBeUndefined();
    expect(nodeName.filter(pod('p', { nodeName: 'w1' }), info(node('w1')))).toBeUndefined();
    expect(nodeName.filter(pod('p', { nodeName: 'w2' }), info(node('w1')))?.reasons).toEqual(["node(s) didn't match the requested node name"]);
  });
});

describe('TaintToleration', () => {
  const master = info(node('master', { taints: [CONTROL_PLANE_TAINT] }));
  it('rejects the control-plane taint with kube-scheduler reason', () => {
    expect(taintToleration.filter(pod('p'), master)).toEqual({
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
      plugin: 'TaintToleration',
    });
  });
  it('honours tolerations: Exists, Equal with value, empty key with Exists, wrong effect', () => {
    const tol = (t: object) => pod('p', { spec: { tolerations: [t] } });
    expect(taintToleration.filter(tol({ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }), master)).toBeUndefined();
    expect(taintToleration.filter(tol({ operator: 'Exists' }), master)).toBeUndefined();
    expect(taintToleration.filter(tol({ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoExecute' }), master)).toBeDefined();
    const dedicated = info(node('w', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] }));
    expect(taintToleration.filter(tol({ key: 'dedicated', value: 'gpu' }), dedicated)).toBeUndefined();
    expect(taintToleration.filter(tol({ key: 'dedicated', value: 'db' }), dedicated)?.reasons).toEqual(['node(s) had untolerated taint {dedicated: gpu}']);
  });
  it('ignores PreferNoSchedule taints', () => {
    expect(taintToleration.filter(pod('p'), info(node('w', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] })))).toBeUndefined();
  });
  it('treats a node that is not Ready as tainted not-ready (Unknown: unreachable)', () => {
    expect(taintToleration.filter(pod('p'), info(node('w', { ready: 'False' })))?.reasons).toEqual(['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']);
    expect(taintToleration.filter(pod('p'), info(node('w', { ready: 'Unknown' })))?.reasons).toEqual(['node(s) had untolerated taint {node.kubernetes.io/unreachable: }']);
    const noConditions = node('w');
    noConditions.status!.conditions = [];
    expect(taintToleration.filter(pod('p'), info(noConditions))?.reasons).toEqual(['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']);
    // DaemonSet-style tolerations let a pod onto a NotReady node, as in Kubernetes.
    const ds = pod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }] } });
    expect(taintToleration.filter(ds, info(node('w', { ready: 'False' })))).toBeUndefined();
    // The default NoExecute tolerations every pod gets do not cover the NoSchedule taint.
    const defaulted = pod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] } });
    expect(taintToleration.filter(defaulted, info(node('w', { ready: 'False' })))).toBeDefined();
  });
});

describe('NodeAffinity', () => {
  const disk = info(node('w1', { labels: { disktype: 'ssd', cores: '8' } }));
  const reason = ["node(s) didn't match Pod's node affinity/selector"];
  it('matches nodeSelector labels', () => {
    expect(nodeAffinity.filter(pod('p', { spec: { nodeSelector: { disktype: 'ssd' } } }), disk)).toBeUndefined();
    expect(nodeAffinity.filter(pod('p', { spec: { nodeSelector: { disktype: 'hdd' } } }), disk)?.reasons).toEqual(reason);
    expect(nodeAffinity.filter(pod('p', { spec: { nodeSelector: { 'kubernetes.io/hostname': 'w1' } } }), disk)).toBeUndefined();
  });
  it('ORs the required terms and ANDs expressions', () => {
    const req = (...terms: object[]) => pod('p', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms as never } } } } });
    expect(nodeAffinity.filter(req({ matchExpressions: [{ key: 'disktype', operator: 'In', values: ['hdd'] }] }, { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }), disk)).toBeUndefined();
    expect(nodeAffinity.filter(req({ matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }, { key: 'cores', operator: 'Lt', values: ['4'] }] }), disk)?.reasons).toEqual(reason);
    expect(nodeAffinity.filter(req({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w1'] }] }), disk)).toBeUndefined();
    expect(nodeAffinity.filter(req({}), disk)?.reasons).toEqual(reason);
    expect(nodeAffinity.filter(req(), disk)?.reasons).toEqual(reason);
  });
  it('implements the operators', () => {
    const l = { a: '1', b: 'x' };
    expect(matchRequirement({ key: 'a', operator: 'Exists' }, l)).toBe(true);
    expect(matchRequirement({ key: 'z', operator: 'Exists' }, l)).toBe(false);
    expect(matchRequirement({ key: 'z', operator: 'DoesNotExist' }, l)).toBe(true);
    expect(matchRequirement({ key: 'b', operator: 'NotIn', values: ['y'] }, l)).toBe(true);
    expect(matchRequirement({ key: 'z', operator: 'NotIn', values: ['y'] }, l)).toBe(true);
    expect(matchRequirement({ key: 'b', operator: 'NotIn', values: ['x'] }, l)).toBe(false);
    expect(matchRequirement({ key: 'a', operator: 'Gt', values: ['0'] }, l)).toBe(true);
    expect(matchRequirement({ key: 'a', operator: 'Lt', values: ['1'] }, l)).toBe(false);
    expect(matchRequirement({ key: 'b', operator: 'Gt', values: ['0'] }, l)).toBe(false);
    expect(matchRequirement({ key: 'z', operator: 'Lt', values: ['9'] }, l)).toBe(false);
  });
});

describe('NodePorts', () => {
  const web = (name: string, hostPort: number, hostIP?: string, protocol?: string) => pod(name, { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort, hostIP, protocol }] }] });
  it('rejects a taken host port, treating 0.0.0.0 as every IP', () => {
    const n = info(node('w1'), web('a', 8080));
    expect(nodePorts.filter(web('b', 8080), n)).toEqual({ code: 'Unschedulable', reasons: ["node(s) didn't have free ports for the requested pod ports"], plugin: 'NodePorts' });
    expect(nodePorts.filter(web('b', 8081), n)).toBeUndefined();
    expect(nodePorts.filter(web('b', 8080, '10.0.0.1'), n)).toBeDefined();
    expect(nodePorts.filter(web('b', 8080, undefined, 'UDP'), n)).toBeUndefined();
    const specific = info(node('w2'), web('a', 9000, '10.0.0.1'));
    expect(nodePorts.filter(web('b', 9000, '10.0.0.2'), specific)).toBeUndefined();
    expect(nodePorts.filter(web('b', 9000, '10.0.0.1'), specific)).toBeDefined();
    expect(nodePorts.filter(web('b', 9000), specific)).toBeDefined();
  });
  it('frees the port when the pod goes', () => {
    const a = web('a', 8080);
    const n = info(node('w1'), a);
    n.removePod(a);
    expect(nodePorts.filter(web('b', 8080), n)).toBeUndefined();
  });
});

describe('NodeResourcesFit', () => {
  it('sums containers, takes the max of init containers, adds overhead', () => {
    const p = pod('p', {
      containers: [
        { name: 'a', resources: { requests: { cpu: '2', memory: '1G' } } },
        { name: 'b', resources: { requests: { cpu: '1', memory: '1G' } } },
      ],
      spec: {
        initContainers: [
          { name: 'i1', resources: { requests: { cpu: '2', memory: '1G' } } },
          { name: 'i2', resources: { requests: { cpu: '2', memory: '3G' } } },
        ],
        overhead: { cpu: '250m' },
      },
    });
    const r = podRequests(p);
    expect(r.milliCPU).toBe(3250);
    expect(r.memory).toBe(3e9);
  });
  it('counts sidecars (restartable init containers) for the whole pod life', () => {
    const p = pod('p', {
      containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }],
      spec: { initContainers: [{ name: 'side', restartPolicy: 'Always', resources: { requests: { cpu: '500m' } } }, { name: 'init', resources: { requests: { cpu: '1' } } }] },
    });
    expect(podRequests(p).milliCPU).toBe(1500);
  });
  it('reports each insufficient resource against allocatable minus requested', () => {
    const n = info(node('w1', { cpu: '1', memory: '1Gi' }), pod('old', { requests: { cpu: '600m', memory: '512Mi' } }));
    expect(nodeResourcesFit.filter(pod('p', { requests: { cpu: '400m', memory: '512Mi' } }), n)).toBeUndefined();
    expect(nodeResourcesFit.filter(pod('p', { requests: { cpu: '500m', memory: '600Mi' } }), n)).toEqual({
      code: 'Unschedulable',
      reasons: ['Insufficient cpu', 'Insufficient memory'],
      plugin: 'NodeResourcesFit',
    });
    expect(nodeResourcesFit.filter(pod('p', { requests: { 'ephemeral-storage': '1Gi' } }), n)?.reasons).toEqual(['Insufficient ephemeral-storage']);
    expect(nodeResourcesFit.filter(pod('p', { requests: { 'nvidia.com/gpu': '1' } }), n)?.reasons).toEqual(['Insufficient nvidia.com/gpu']);
  });
  it('calls a request larger than the whole node unresolvable', () => {
    expect(nodeResourcesFit.filter(pod('p', { requests: { cpu: '8' } }), info(node('w1', { cpu: '4' })))?.code).toBe('UnschedulableAndUnresolvable');
  });
  it('limits the pod count; pods without requests fit otherwise', () => {
    const n = info(node('w1', { pods: '2' }), pod('a'), pod('b'));
    expect(nodeResourcesFit.filter(pod('p'), n)).toEqual({ code: 'Unschedulable', reasons: ['Too many pods'], plugin: 'NodeResourcesFit' });
    expect(nodeResourcesFit.filter(pod('p'), info(node('w2'), pod('a')))).toBeUndefined();
  });
});
