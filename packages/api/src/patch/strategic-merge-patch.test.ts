import { describe, expect, it } from 'vitest';
import { strategicMergePatch } from './smp-apply.js';
import { PatchError } from './errors.js';
import { isStrategicMergeKind } from './kind-meta.js';
import { patchMeta, PatchMetaLookup } from './patch-meta.js';
import type { JsonObject } from './json.js';

const pod = (): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels: { app: 'web', tier: 'fe' }, finalizers: ['a', 'b'] },
  spec: {
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.25',
        ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }],
        env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      },
      { name: 'sidecar', image: 'busybox' },
    ],
    volumes: [{ name: 'data', emptyDir: {} }],
    tolerations: [{ key: 'a', operator: 'Exists' }],
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }] },
});

const containers = (o: JsonObject) => (o.spec as JsonObject).containers as JsonObject[];

describe('strategicMergePatch: maps and atomic values', () => {
  it('merges maps, deletes keys set to null and replaces scalars', () => {
    const out = strategicMergePatch(pod(), { metadata: { labels: { tier: null, v: '2' } }, status: { phase: 'Succeeded' } }, 'Pod');
    expect(out.metadata).toMatchObject({ labels: { app: 'web', v: '2' } });
    expect((out.metadata as JsonObject).labels).not.toHaveProperty('tier');
    expect(out.status).toMatchObject({ phase: 'Succeeded' });
  });

  it('never mutates its inputs', () => {
    const original = pod();
    const patch = { spec: { containers: [{ name: 'nginx', image: 'x' }, { name: 'sidecar', $patch: 'delete' }] } };
    const before = structuredClone([original, patch]);
    strategicMergePatch(original, patch, 'Pod');
    expect([original, patch]).toEqual(before);
  });

  it('replaces lists without a merge strategy (tolerations are atomic)', () => {
    const out = strategicMergePatch(pod(), { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } }, 'Pod');
    expect((out.spec as JsonObject).tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
  });

  it('drops nulls inside a value that did not exist yet', () => {
    const out = strategicMergePatch({ metadata: { name: 'x' } }, { spec: { a: null, b: { c: null, d: 1 } } }, 'ConfigMap');
    expect(out).toEqual({ metadata: { name: 'x' }, spec: { b: { d: 1 } } });
  });
});

describe('strategicMergePatch: merge lists', () => {
  it('merges containers by name, keeping unmentioned fields and containers', () => {
    const out = strategicMergePatch(pod(), { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } }, 'Pod');
    expect(containers(out).map((c) => c.name)).toEqual(['nginx', 'sidecar']);
    expect(containers(out)[0]).toMatchObject({ image: 'nginx:1.26', ports: [{ containerPort: 80 }, { containerPort: 443 }] });
  });

  it('puts new elements first when no $setElementOrder says otherwise (as Kubernetes does)', () => {
    const out = strategicMergePatch(pod(), { spec: { containers: [{ name: 'log', image: 'fluentd' }] } }, 'Pod');
    expect(containers(out).map((c) => c.name)).toEqual(['log', 'nginx', 'sidecar']);
    // A patch item the live list has keeps server-only items before it in live order.
    const both = strategicMergePatch(pod(), { spec: { containers: [{ name: 'sidecar', image: 'b2' }, { name: 'log' }] } }, 'Pod');
    expect(containers(both).map((c) => c.name)).toEqual(['nginx', 'sidecar', 'log']);
  });

  it('merges env by name, ports by containerPort and volumeMounts by mountPath', () => {
    const out = strategicMergePatch(
      pod(),
      {
        spec: {
          containers: [
            {
              name: 'nginx',
              env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }],
              ports: [{ containerPort: 443, name: 'https' }],
              volumeMounts: [{ mountPath: '/data', readOnly: true }],
            },
          ],
        },
      },
      'Pod',
    );
    const c = containers(out)[0]!;
    expect(c.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, { name: 'C', value: '3' }]);
    expect(c.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, name: 'https' }]);
    expect(c.volumeMounts).toEqual([{ name: 'data', mountPath: '/data', readOnly: true }]);
  });

  it('merges status.conditions by type', () => {
    const out = strategicMergePatch(pod(), { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'Pod');
    expect((out.status as JsonObject).conditions).toEqual([{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }]);
  });

  it('merges Service ports by port, Node addresses by type and ownerReferences by uid', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    expect(strategicMergePatch(svc, { spec: { ports: [{ port: 80, nodePort: 30080 }] } }, 'Service').spec).toEqual({
      ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }, { port: 443 }],
    });
    const node = { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'w1' }] } };
    expect(strategicMergePatch(node, { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }] } }, 'Node').status).toEqual({
      addresses: [{ type: 'InternalIP', address: '10.0.0.2' }, { type: 'Hostname', address: 'w1' }],
    });
    const rs = { metadata: { ownerReferences: [{ uid: 'u1', name: 'a', controller: true }] } };
    const out = strategicMergePatch(rs, { metadata: { ownerReferences: [{ uid: 'u2', name: 'b' }] } }, 'ReplicaSet');
    expect((out.metadata as JsonObject).ownerReferences).toEqual([{ uid: 'u2', name: 'b' }, { uid: 'u1', name: 'a', controller: true }]);
  });

  it('merges pod templates nested in workloads (Deployment, CronJob)', () => {
    const d = { spec: { template: { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }] } } } };
    const out = strategicMergePatch(d, { spec: { template: { spec: { containers: [{ name: 'b', image: '2' }] } } } }, 'Deployment');
    expect(out).toEqual({ spec: { template: { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '2' }] } } } });
    const cj = { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b' }] } } } } } };
    const cjOut = strategicMergePatch(cj, { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '2' }] } } } } } }, 'CronJob');
    expect(cjOut).toEqual({ spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '2' }, { name: 'b' }] } } } } } });
  });

  it('merges primitive lists as sets (finalizers)', () => {
    const out = strategicMergePatch(pod(), { metadata: { finalizers: ['c', 'a'] } }, 'Pod');
    expect((out.metadata as JsonObject).finalizers).toEqual(['c', 'a', 'b']);
  });
});

describe('strategicMergePatch: directives', () => {
  it('$patch: delete removes a list element by its merge key', () => {
    const out = strategicMergePatch(pod(), { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } }, 'Pod');
    expect(containers(out).map((c) => c.name)).toEqual(['nginx']);
  });

  it('$patch: replace in a list makes the patch the whole list', () => {
    const out = strategicMergePatch(pod(), { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } }, 'Pod');
    expect(containers(out)).toEqual([{ name: 'only', image: 'x' }]);
  });

  it('$patch: replace in a map replaces it instead of merging', () => {
    const out = strategicMergePatch(pod(), { metadata: { labels: { $patch: 'replace', only: 'this' } } }, 'Pod');
    expect((out.metadata as JsonObject).labels).toEqual({ only: 'this' });
  });

  it('$patch: delete in a map empties it (Kubernetes keeps the key)', () => {
    const out = strategicMergePatch(pod(), { metadata: { labels: { $patch: 'delete' } } }, 'Pod');
    expect((out.metadata as JsonObject).labels).toEqual({});
    const whole = strategicMergePatch(pod(), { $patch: 'delete' }, 'Pod');
    expect(whole).toEqual({});
  });

  it('$patch: merge is the default, in a map or a list element', () => {
    const out = strategicMergePatch(
      pod(),
      { metadata: { labels: { $patch: 'merge', v: '1' } }, spec: { containers: [{ name: 'nginx', image: 'n2', $patch: 'merge' }] } },
      'Pod',
    );
    expect((out.metadata as JsonObject).labels).toEqual({ app: 'web', tier: 'fe', v: '1' });
    expect(containers(out)[0]).toMatchObject({ name: 'nginx', image: 'n2' });
    expect(containers(out)[0]).not.toHaveProperty('$patch');
  });

  it('rejects unknown $patch values', () => {
    expect(() => strategicMergePatch(pod(), { metadata: { $patch: 'frob' } }, 'Pod')).toThrow(PatchError);
    expect(() => strategicMergePatch(pod(), { spec: { containers: [{ name: 'x', $patch: 'frob' }] } }, 'Pod')).toThrow(/unknown patch type/);
  });

  it('$setElementOrder orders the merged list, server-only items by their live position', () => {
    const out = strategicMergePatch(
      pod(),
      { spec: { '$setElementOrder/containers': [{ name: 'new' }, { name: 'nginx' }], containers: [{ name: 'new', image: 'x' }] } },
      'Pod',
    );
    expect(containers(out).map((c) => c.name)).toEqual(['new', 'nginx', 'sidecar']);
    expect(out.spec).not.toHaveProperty('$setElementOrder/containers');
  });

  it('$setElementOrder without the list only reorders', () => {
    const out = strategicMergePatch(pod(), { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }] } }, 'Pod');
    expect(containers(out).map((c) => c.name)).toEqual(['sidecar', 'nginx']);
  });

  it('orders server-only items as Kubernetes does after deletions shift the live list', () => {
    // Go deletes in place and appends into the freed room, then orders by that mutated slice.
    const live = { spec: { containers: [{ name: 'a' }, { name: 'b', image: 'x' }, { name: 'd', image: 'y' }] } };
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'c' }], containers: [{ name: 'c' }, { name: 'a', $patch: 'delete' }] } };
    expect(containers(strategicMergePatch(live, patch, 'Pod')).map((c) => c.name)).toEqual(['b', 'd', 'c']);
  });

  it('rejects a list whose order contradicts $setElementOrder', () => {
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b' }, { name: 'a' }] } };
    expect(() => strategicMergePatch(pod(), patch, 'Pod')).toThrow(/doesn't match/);
  });

  it('$deleteFromPrimitiveList removes values from a primitive merge list', () => {
    const out = strategicMergePatch(pod(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, 'Pod');
    expect((out.metadata as JsonObject).finalizers).toEqual(['b']);
  });

  it('$retainKeys clears the fields not listed (deployment strategy)', () => {
    const d = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } } };
    const out = strategicMergePatch(d, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, 'Deployment');
    expect(out).toEqual({ spec: { strategy: { type: 'Recreate' } } });
    expect(() => strategicMergePatch(d, { spec: { strategy: { $retainKeys: ['type'], other: 1 } } }, 'Deployment')).toThrow(/retainKeys/);
  });

  it('$retainKeys in a volume switches its source', () => {
    const out = strategicMergePatch(
      pod(),
      { spec: { volumes: [{ $retainKeys: ['configMap', 'name'], name: 'data', configMap: { name: 'cm' } }] } },
      'Pod',
    );
    expect((out.spec as JsonObject).volumes).toEqual([{ name: 'data', configMap: { name: 'cm' } }]);
  });

  it('leaves no directive behind in appended elements', () => {
    const out = strategicMergePatch(
      pod(),
      { spec: { containers: [{ name: 'new', '$setElementOrder/env': [{ name: 'X' }], env: [{ name: 'X', value: '1' }, { name: 'Y', $patch: 'delete' }] }] } },
      'Pod',
    );
    expect(containers(out).find((c) => c.name === 'new')).toEqual({ name: 'new', env: [{ name: 'X', value: '1' }, { name: 'Y' }] });
  });

  it('requires merge keys in merge-list elements', () => {
    expect(() => strategicMergePatch(pod(), { spec: { containers: [{ image: 'x' }] } }, 'Pod')).toThrow(/does not contain declared merge key: name/);
  });
});

describe('strategicMergePatch: kinds', () => {
  it('knows the built-in kinds minik serves', () => {
    const kinds = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Service', 'Endpoints', 'Node'];
    kinds.push('Namespace', 'ConfigMap', 'Secret', 'Event', 'Lease', 'ServiceAccount', 'PersistentVolumeClaim', 'PersistentVolume', 'Ingress');
    for (const k of kinds) expect(isStrategicMergeKind(k)).toBe(true);
    expect(isStrategicMergeKind('Widget')).toBe(false);
  });

  it('treats an unknown kind like a merge patch: maps merge, lists replace', () => {
    const cr = { spec: { items: [{ name: 'a', v: 1 }, { name: 'b' }], m: { x: 1, y: 2 } } };
    const out = strategicMergePatch(cr, { spec: { items: [{ name: 'a', v: 2 }], m: { y: null } } }, 'Widget');
    expect(out).toEqual({ spec: { items: [{ name: 'a', v: 2 }], m: { x: 1 } } });
  });

  it('accepts caller-supplied metadata for other types', () => {
    const lookup = new PatchMetaLookup({ Widget: { spec: patchMeta.of('WidgetSpec') }, WidgetSpec: { items: patchMeta.mergeBy('name') } }, 'Widget');
    const out = strategicMergePatch({ spec: { items: [{ name: 'a', v: 1 }, { name: 'b' }] } }, { spec: { items: [{ name: 'a', v: 2 }] } }, lookup);
    expect(out).toEqual({ spec: { items: [{ name: 'a', v: 2 }, { name: 'b' }] } });
  });

  it('rejects non-object documents', () => {
    expect(() => strategicMergePatch([1], {}, 'Pod')).toThrow(PatchError);
    expect(() => strategicMergePatch({}, [1], 'Pod')).toThrow(PatchError);
  });
});
