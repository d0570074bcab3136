/** `kubectl apply`: the three-way strategic merge patch, checked against bodies measured from kubectl. */
import { describe, expect, it } from 'vitest';
import { createThreeWayMergePatch, createTwoWayStrategicMergePatch } from './smp-diff.js';
import { strategicMergePatch } from './smp-apply.js';
import { isObject, sortKeysDeep, type JsonObject, type JsonValue } from './json.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The file content as kubectl sends it: with the last-applied annotation holding the file itself. */
function withLastApplied(file: JsonObject): JsonObject {
  const out = structuredClone(file) as JsonObject & { metadata: JsonObject };
  out.metadata.annotations = { ...((out.metadata.annotations as JsonObject) ?? {}), [LAST_APPLIED]: `${JSON.stringify(sortKeysDeep(file))}\n` };
  return out;
}

function lastApplied(live: JsonObject): JsonObject | undefined {
  const raw = ((live.metadata as JsonObject).annotations as JsonObject | undefined)?.[LAST_APPLIED];
  return typeof raw === 'string' ? (JSON.parse(raw) as JsonObject) : undefined;
}

/** One `kubectl apply`: the patch it sends and the object the server stores. */
function apply(file: JsonObject, live: JsonObject, kind = 'Deployment'): { patch: JsonObject; result: JsonObject } {
  const patch = createThreeWayMergePatch(lastApplied(live), withLastApplied(file), live, kind);
  return { patch, result: strategicMergePatch(live, patch, kind) };
}

/** Every field of `want` is in `got` with the same value (lists element by element). */
function expectContains(got: JsonValue | undefined, want: JsonValue, path = '$'): void {
  if (isObject(want)) {
    expect(isObject(got), path).toBe(true);
    for (const [k, v] of Object.entries(want)) expectContains((got as JsonObject)[k], v, `${path}.${k}`);
  } else if (Array.isArray(want)) {
    expect(Array.isArray(got) && got.length, path).toBe(want.length);
    want.forEach((v, i) => expectContains((got as JsonValue[])[i], v, `${path}[${i}]`));
  } else {
    expect(got, path).toEqual(want);
  }
}

const deploymentFile = (image: string, replicas: number, container: JsonObject = {}): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80 }], ...container }] },
    },
  },
});

/** What the server stores after a create: the file plus defaults, server metadata and status. */
function created(file: JsonObject): JsonObject {
  const live = withLastApplied(file) as JsonObject & { metadata: JsonObject; spec: JsonObject };
  Object.assign(live.metadata, { uid: 'u-1', resourceVersion: '7', generation: 1, creationTimestamp: '2024-01-01T00:00:00Z' });
  (live.metadata.annotations as JsonObject)['deployment.kubernetes.io/revision'] = '1';
  Object.assign(live.spec, {
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  });
  const podSpec = (live.spec.template as JsonObject).spec as JsonObject;
  Object.assign(podSpec, { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' });
  for (const c of podSpec.containers as JsonObject[]) {
    Object.assign(c, { imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' });
    for (const p of (c.ports as JsonObject[] | undefined) ?? []) p.protocol = 'TCP';
  }
  live.status = { replicas: 2, readyReplicas: 2, conditions: [{ type: 'Available', status: 'True' }] };
  return live;
}

describe('createThreeWayMergePatch: bodies measured from kubectl apply', () => {
  it('image 1.25→1.26 and replicas 2→3 (kubectl-api-surface 3.4)', () => {
    const live = created(deploymentFile('nginx:1.25', 2));
    const file = deploymentFile('nginx:1.26', 3);
    const { patch } = apply(file, live);
    const annotation = JSON.stringify(sortKeysDeep(file));
    expect(JSON.stringify(patch)).toBe(
      `{"metadata":{"annotations":{"${LAST_APPLIED}":${JSON.stringify(`${annotation}\n`)}}},` +
        '"spec":{"replicas":3,"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.26","name":"nginx"}]}}}}',
    );
  });

  it('strategy change, a container losing its ports and gaining env, a new sidecar', () => {
    const live = created(deploymentFile('nginx:1.26', 3));
    const file = deploymentFile('nginx:1.26', 3, { env: [{ name: 'MODE', value: 'x' }] }) as JsonObject & { spec: JsonObject };
    const tmpl = (file.spec.template as JsonObject).spec as JsonObject;
    delete (tmpl.containers as JsonObject[])[0]!.ports;
    (tmpl.containers as JsonObject[]).push({ name: 'sidecar', image: 'busybox' });
    file.spec.strategy = { type: 'Recreate' };
    const { patch, result } = apply(file, live);
    delete patch.metadata;
    expect(JSON.stringify(patch)).toBe(
      '{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"},"template":{"spec":{' +
        '"$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],' +
        '"containers":[{"env":[{"name":"MODE","value":"x"}],"name":"nginx","ports":null},{"image":"busybox","name":"sidecar"}]}}}}',
    );
    // The server drops rollingUpdate (not retained) and the ports; keeps its own defaults.
    expect((result.spec as JsonObject).strategy).toEqual({ type: 'Recreate' });
    const c = (((result.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[];
    expect(c.map((x) => x.name)).toEqual(['nginx', 'sidecar']);
    expect(c[0]).not.toHaveProperty('ports');
    expect(c[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', env: [{ name: 'MODE', value: 'x' }] });
  });

  it('removing a container and a field', () => {
    const withSidecar = deploymentFile('nginx:1.26', 3, { env: [{ name: 'MODE', value: 'x' }] }) as JsonObject & { spec: JsonObject };
    (((withSidecar.spec.template as JsonObject).spec as JsonObject).containers as JsonObject[]).push({ name: 'sidecar', image: 'busybox' });
    const live = created(withSidecar);
    const { patch, result } = apply(deploymentFile('nginx:1.26', 3), live);
    delete patch.metadata;
    expect(JSON.stringify(patch)).toBe(
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"env":null,"name":"nginx"},{"$patch":"delete","name":"sidecar"}]}}}}',
    );
    const c = (((result.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[];
    expect(c).toHaveLength(1);
    expect(c[0]).not.toHaveProperty('env');
  });

  it('returns {} when the file did not change (kubectl prints "unchanged")', () => {
    const file = deploymentFile('nginx:1.25', 2);
    expect(apply(file, created(file)).patch).toEqual({});
  });
});

describe('createThreeWayMergePatch: what apply adds, changes and deletes', () => {
  const base = deploymentFile('nginx:1.25', 2, { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] });

  it('adds and removes an env var', () => {
    const live = created(base);
    const file = deploymentFile('nginx:1.25', 2, { env: [{ name: 'A', value: '1' }, { name: 'C', value: '3' }] });
    const { patch, result } = apply(file, live);
    const spec = ((patch.spec as JsonObject).template as JsonObject).spec as JsonObject;
    expect(spec).toEqual({
      '$setElementOrder/containers': [{ name: 'nginx' }],
      containers: [
        { name: 'nginx', '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }], env: [{ name: 'C', value: '3' }, { name: 'B', $patch: 'delete' }] },
      ],
    });
    const c = ((((result.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[])[0]!;
    expect(c.env).toEqual([{ name: 'A', value: '1' }, { name: 'C', value: '3' }]);
  });

  it('adds and removes a container port', () => {
    const live = created(base);
    const file = deploymentFile('nginx:1.25', 2, { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 8080 }] });
    const { patch, result } = apply(file, live);
    const c = ((((patch.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[])[0]!;
    expect(c).toEqual({
      name: 'nginx',
      '$setElementOrder/ports': [{ containerPort: 8080 }],
      ports: [{ containerPort: 8080 }, { containerPort: 80, $patch: 'delete' }],
    });
    const out = ((((result.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[])[0]!;
    expect(out.ports).toEqual([{ containerPort: 8080 }]);
  });

  it('adds a container at the requested position', () => {
    const live = created(base);
    const file = structuredClone(base) as JsonObject & { spec: JsonObject };
    (((file.spec.template as JsonObject).spec as JsonObject).containers as JsonObject[]).unshift({ name: 'init-like', image: 'busybox' });
    const { result } = apply(file, live);
    const names = ((((result.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[]).map((c) => c.name);
    expect(names).toEqual(['init-like', 'nginx']);
  });

  it('sends only $setElementOrder when the file just reorders a merge list', () => {
    const file = deploymentFile('nginx:1.25', 2) as JsonObject & { spec: JsonObject };
    (((file.spec.template as JsonObject).spec as JsonObject).containers as JsonObject[]).push({ name: 'b', image: 'x' });
    const live = created(file);
    const reordered = structuredClone(file);
    const list = ((reordered.spec.template as JsonObject).spec as JsonObject).containers as JsonObject[];
    list.reverse();
    const { patch, result } = apply(reordered, live);
    delete patch.metadata;
    expect(patch).toEqual({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'nginx' }] } } } });
    const names = ((((result.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[]).map((c) => c.name);
    expect(names).toEqual(['b', 'nginx']);
  });

  it('deletes a label removed from the file but keeps one another client added', () => {
    const file = { ...base, metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } } };
    const live = created(file) as JsonObject & { metadata: JsonObject };
    (live.metadata.labels as JsonObject).owner = 'someone-else';
    const { patch, result } = apply({ ...base, metadata: { name: 'web', labels: { app: 'web' } } }, live);
    expect((patch.metadata as JsonObject).labels).toEqual({ tier: null });
    expect((result.metadata as JsonObject).labels).toEqual({ app: 'web', owner: 'someone-else' });
  });

  it('never deletes server-set fields, status, or fields it never applied', () => {
    const live = created(base);
    const { patch, result } = apply(deploymentFile('nginx:1.27', 2, { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }), live);
    expect(JSON.stringify(patch)).not.toContain('null');
    expect(result.status).toEqual(live.status);
    expect(result.metadata).toMatchObject({ uid: 'u-1', generation: 1 });
    expect((result.spec as JsonObject).strategy).toEqual((live.spec as JsonObject).strategy);
  });

  it('treats a live object without last-applied as having applied nothing (no deletions)', () => {
    const live = created(base) as JsonObject & { metadata: JsonObject };
    delete (live.metadata.annotations as JsonObject)[LAST_APPLIED];
    (live.metadata.labels as JsonObject).extra = 'x';
    const { patch, result } = apply(deploymentFile('nginx:1.26', 2), live);
    expect(JSON.stringify(patch)).not.toContain('null');
    expect(JSON.stringify(patch)).not.toContain('$patch');
    expect((result.metadata as JsonObject).labels).toEqual({ app: 'web', extra: 'x' });
  });

  it('deletes finalizers with $deleteFromPrimitiveList', () => {
    const file = (f: string[]): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: f }, data: { a: '1' } });
    const live = withLastApplied(file(['a', 'b']));
    const patch = createThreeWayMergePatch(lastApplied(live), withLastApplied(file(['a'])), live, 'ConfigMap');
    expect(patch.metadata).toMatchObject({ '$deleteFromPrimitiveList/finalizers': ['b'], '$setElementOrder/finalizers': ['a'] });
    expect((strategicMergePatch(live, patch, 'ConfigMap').metadata as JsonObject).finalizers).toEqual(['a']);
  });

  it('builds $retainKeys for a volume whose source changes', () => {
    const podFile = (volume: JsonObject): JsonObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'data', ...volume }] },
    });
    const live = withLastApplied(podFile({ emptyDir: {} }));
    const patch = createThreeWayMergePatch(lastApplied(live), withLastApplied(podFile({ configMap: { name: 'cm' } })), live, 'Pod');
    expect((patch.spec as JsonObject).volumes).toEqual([{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' }, emptyDir: null, name: 'data' }]);
    expect((strategicMergePatch(live, patch, 'Pod').spec as JsonObject).volumes).toEqual([{ name: 'data', configMap: { name: 'cm' } }]);
  });

  it('replaces atomic lists (tolerations) whole', () => {
    const podFile = (t: JsonObject[]): JsonObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }], tolerations: t } });
    const live = withLastApplied(podFile([{ key: 'a', operator: 'Exists' }]));
    const patch = createThreeWayMergePatch(lastApplied(live), withLastApplied(podFile([{ key: 'b', operator: 'Exists' }])), live, 'Pod');
    expect((patch.spec as JsonObject).tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
  });

  it('uses merge semantics for unknown kinds', () => {
    const live = { kind: 'Widget', spec: { items: [{ name: 'a' }], x: 1 }, status: { y: 2 } };
    const patch = createThreeWayMergePatch({ kind: 'Widget', spec: { items: [{ name: 'a' }], x: 1 } }, { kind: 'Widget', spec: { items: [{ name: 'b' }] } }, live, 'Widget');
    expect(patch).toEqual({ spec: { items: [{ name: 'b' }], x: null } });
  });

  it('does not mutate its inputs', () => {
    const live = created(base);
    const file = withLastApplied(deploymentFile('nginx:1.26', 1));
    const original = lastApplied(live);
    const before = structuredClone([original, file, live]);
    createThreeWayMergePatch(original, file, live, 'Deployment');
    expect([original, file, live]).toEqual(before);
  });
});

describe('createThreeWayMergePatch: idempotence', () => {
  const versions: JsonObject[] = [
    deploymentFile('nginx:1.25', 2),
    deploymentFile('nginx:1.26', 3, { env: [{ name: 'A', value: '1' }] }),
    deploymentFile('nginx:1.26', 3, { env: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }], ports: [{ containerPort: 80 }, { containerPort: 9090, name: 'metrics' }] }),
    { ...deploymentFile('nginx:1.27', 1), metadata: { name: 'web', labels: { app: 'web', v: '2' }, annotations: { note: 'x' } } },
    deploymentFile('nginx:1.27', 1, { ports: [] }),
    deploymentFile('nginx:1.25', 2),
  ];

  it('applying each patch yields the file, and re-applying changes nothing', () => {
    let live = created(versions[0]!);
    for (const file of versions.slice(1)) {
      const { result } = apply(file, live);
      expectContains(result, withLastApplied(file));
      // Server-side fields survive every apply.
      expect(result.status).toEqual(live.status);
      expect(apply(file, result).patch).toEqual({});
      live = result;
    }
  });
});

describe('createTwoWayStrategicMergePatch', () => {
  it('computes what kubectl edit would send, and it applies back to modified', () => {
    const original = withLastApplied(deploymentFile('nginx:1.25', 2, { env: [{ name: 'A', value: '1' }] }));
    const modified = withLastApplied(deploymentFile('nginx:1.26', 2));
    const patch = createTwoWayStrategicMergePatch(original, modified, 'Deployment');
    const tmpl = ((patch.spec as JsonObject).template as JsonObject).spec as JsonObject;
    expect(tmpl.containers).toEqual([{ env: null, image: 'nginx:1.26', name: 'nginx' }]);
    expect(strategicMergePatch(original, patch, 'Deployment')).toEqual(modified);
    expect(createTwoWayStrategicMergePatch(original, original, 'Deployment')).toEqual({});
  });
});
