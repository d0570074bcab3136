import { describe, expect, it } from 'vitest';
import { ApiError } from '@minik/api';
import { checkBody, compileAllSchemas, decodeBody, loadSchemas, parseFieldValidation, warmSchemas } from './schema.js';

const deployment = { group: 'apps', version: 'v1', kind: 'Deployment' };
const pod = { group: '', version: 'v1', kind: 'Pod' };
const secret = { group: '', version: 'v1', kind: 'Secret' };
const service = { group: '', version: 'v1', kind: 'Service' };
const lease = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' };

function deploy(extra: Record<string, unknown> = {}, container: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ...container }] } },
      ...extra,
    },
  };
}

function badRequest(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe(400);
    expect((e as ApiError).reason).toBe('BadRequest');
    return (e as ApiError).message;
  }
  throw new Error('expected a BadRequest');
}

describe('schema loading', () => {
  it('loads and compiles every kind quickly', () => {
    const t0 = performance.now();
    loadSchemas();
    const t1 = performance.now();
    compileAllSchemas();
    const t2 = performance.now();
    // Logged, not asserted (no timing assertions in tests): see the report for the numbers.
    console.log(`schemas: load ${(t1 - t0).toFixed(1)} ms, compile all kinds ${(t2 - t1).toFixed(1)} ms`);
  });

  it('warms up in the background', async () => {
    await expect(warmSchemas()).resolves.toBeUndefined();
  });

  it('accepts what kubectl sends, creationTimestamp: null included', () => {
    const d = deploy() as Record<string, any>;
    d.metadata.creationTimestamp = null;
    d.spec.template.metadata.creationTimestamp = null;
    d.status = {};
    const { obj, warnings } = decodeBody(deployment, d, 'Strict');
    expect(warnings).toEqual([]);
    expect((obj as any).spec.template.metadata).toEqual({ labels: { app: 'web' } });
  });

  it('accepts a valid object unchanged', () => {
    const d = deploy({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } });
    const copy = structuredClone(d);
    expect(decodeBody(deployment, d, 'Strict')).toEqual({ obj: copy, warnings: [] });
  });

  it('passes kinds without a schema through', () => {
    expect(checkBody({ group: 'batch', version: 'v1', kind: 'Job' }, { spec: { foo: 1 } })).toEqual({ unknownFields: [] });
  });
});

describe('unknown fields', () => {
  it('finds them at several depths, in document order, with indices', () => {
    const d = deploy({ replicass: 3 }, { imagee: 'x' }) as Record<string, any>;
    d.metadata.foo = 1;
    d.spec.template.spec.containers.push({ name: 'b', image: 'b', ports: [{ containerPort: 80, bogus: true }] });
    d.zzz = {};
    expect(checkBody(deployment, structuredClone(d), true).unknownFields).toEqual([
      'metadata.foo',
      'spec.template.spec.containers[0].imagee',
      'spec.template.spec.containers[1].ports[0].bogus',
      'spec.replicass',
      'zzz',
    ]);
  });

  it('Strict rejects with the strict decoding error', () => {
    expect(badRequest(() => decodeBody(deployment, deploy({ foo: 1 }), 'Strict'))).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"',
    );
    expect(badRequest(() => decodeBody(deployment, deploy({ foo: 1, bar: 2 }), 'Strict'))).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", unknown field "spec.bar"',
    );
  });

  it('Warn (the default) drops them and warns', () => {
    const d = deploy({ foo: 1 }, { imagee: 'x' });
    const { obj, warnings } = decodeBody(deployment, d);
    expect(warnings).toEqual(['unknown field "spec.template.spec.containers[0].imagee"', 'unknown field "spec.foo"']);
    expect(obj).toEqual(deploy());
  });

  it('Ignore drops them silently', () => {
    const { obj, warnings } = decodeBody(deployment, deploy({ foo: 1 }), 'Ignore');
    expect(warnings).toEqual([]);
    expect(obj).toEqual(deploy());
  });

  it('knows every field of a full pod spec', () => {
    const p = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'u', controller: true, blockOwnerDeletion: true }], managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': {} }, time: '2024-01-01T00:00:00Z' }] },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'i',
            env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            envFrom: [{ configMapRef: { name: 'cm' }, prefix: 'X_' }],
            resources: { requests: { cpu: '100m', memory: 128974848 }, limits: { 'nvidia.com/gpu': 1 } },
            livenessProbe: { httpGet: { path: '/', port: 'http', httpHeaders: [{ name: 'a', value: 'b' }] }, periodSeconds: 5, terminationGracePeriodSeconds: 10 },
            readinessProbe: { exec: { command: ['true'] } },
            startupProbe: { tcpSocket: { port: 80 } },
            lifecycle: { preStop: { sleep: { seconds: 5 } } },
            securityContext: { runAsUser: 1000, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
            volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: true }],
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }],
            restartPolicy: 'Always',
          },
        ],
        volumes: [{ name: 'v', configMap: { name: 'cm', items: [{ key: 'a', path: 'a', mode: 0o644 }] } }, { name: 'e', emptyDir: { sizeLimit: '1Gi' } }, { name: 'p', projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 3600 } }] } }],
        affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] } } }] } },
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }],
        securityContext: { fsGroup: 2000, supplementalGroups: [1, 2], sysctls: [{ name: 'a', value: 'b' }] },
        dnsConfig: { options: [{ name: 'ndots', value: '2' }] },
        hostAliases: [{ ip: '1.2.3.4', hostnames: ['a'] }],
        os: { name: 'linux' },
        overhead: { cpu: '10m' },
        schedulingGates: [{ name: 'g' }],
      },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }], podIPs: [{ ip: '10.0.0.1' }], containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'i', imageID: '', state: { running: { startedAt: '2024-01-01T00:00:00Z' } } }] },
    };
    expect(checkBody(pod, p)).toEqual({ unknownFields: [] });
  });
});

describe('type errors', () => {
  it('words them as Go does', () => {
    expect(badRequest(() => decodeBody(deployment, deploy({ replicas: 'three' })))).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    expect(badRequest(() => decodeBody(deployment, deploy({}, { image: 5 })))).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string',
    );
    const d = deploy() as Record<string, any>;
    d.metadata.labels = { app: 1 };
    expect(badRequest(() => decodeBody(deployment, d))).toMatch(/json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string$/);
    expect(badRequest(() => decodeBody(deployment, deploy({ template: { spec: { containers: {} } } })))).toMatch(
      /cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type \[\]v1.Container$/,
    );
    expect(badRequest(() => decodeBody(deployment, deploy({ template: 'x' })))).toMatch(/cannot unmarshal string into Go struct field DeploymentSpec.spec.template of type v1.PodTemplateSpec$/);
    expect(badRequest(() => decodeBody(deployment, deploy({ paused: 'yes' })))).toMatch(/cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool$/);
    expect(badRequest(() => decodeBody(deployment, deploy({ replicas: 1.5 })))).toMatch(/cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32$/);
    expect(badRequest(() => decodeBody(deployment, deploy({ replicas: 2 ** 31 })))).toMatch(/cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32$/);
    expect(badRequest(() => decodeBody(deployment, [] as unknown))).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal array into Go value of type v1.Deployment',
    );
  });

  it('reports the first one in document order, before unknown fields', () => {
    expect(badRequest(() => decodeBody(deployment, deploy({ foo: 1, replicas: 'x', paused: 'y' }), 'Strict'))).toMatch(/spec.replicas of type int32$/);
  });

  it('int64 fields and int-or-string', () => {
    const p = { metadata: { name: 'p' }, spec: { terminationGracePeriodSeconds: 'x', containers: [] } };
    expect(badRequest(() => decodeBody(pod, p))).toMatch(/PodSpec.spec.terminationGracePeriodSeconds of type int64$/);
    expect(decodeBody(deployment, deploy({ strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '10%' } } })).warnings).toEqual([]);
    expect(badRequest(() => decodeBody(deployment, deploy({ strategy: { rollingUpdate: { maxSurge: true } } })))).toMatch(
      /cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32$/,
    );
    const svc = { metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }] } };
    expect(decodeBody(service, svc, 'Strict').warnings).toEqual([]);
    const bad = { metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 1.5 }] } };
    expect(badRequest(() => decodeBody(service, bad))).toMatch(/cannot unmarshal number 1.5 into Go struct field ServicePort.spec.ports.targetPort of type int32$/);
  });

  it('quantities, times and base64', () => {
    const withRes = (r: unknown) => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { memory: r } } }] } });
    expect(decodeBody(pod, withRes('128Mi')).warnings).toEqual([]);
    expect(decodeBody(pod, withRes(1e9)).warnings).toEqual([]);
    expect(decodeBody(pod, withRes('1e3')).warnings).toEqual([]);
    expect(badRequest(() => decodeBody(pod, withRes('12 8Mi')))).toBe(
      "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    expect(badRequest(() => decodeBody(pod, withRes(true)))).toMatch(/quantities must match the regular expression/);
    expect(badRequest(() => decodeBody(pod, withRes('1Qi')))).toMatch(/quantities must match/);
    expect(badRequest(() => decodeBody(pod, withRes('1.2.3')))).toMatch(/unable to parse quantity's numeric part$/);
    expect(badRequest(() => decodeBody(pod, { metadata: { name: 'p', creationTimestamp: 'yesterday' } }))).toBe(
      'Pod in version "v1" cannot be handled as a Pod: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
    );
    expect(badRequest(() => decodeBody(pod, { metadata: { name: 'p', creationTimestamp: 5 } }))).toMatch(/cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string$/);
    expect(decodeBody(lease, { metadata: { name: 'l' }, spec: { renewTime: '2024-05-01T10:00:00.123456Z', leaseDurationSeconds: 40 } }).warnings).toEqual([]);
    expect(decodeBody(secret, { metadata: { name: 's' }, data: { a: 'aGVsbG8=' } }).warnings).toEqual([]);
    expect(badRequest(() => decodeBody(secret, { metadata: { name: 's' }, data: { a: 'hello!' } }))).toBe(
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 5',
    );
    expect(badRequest(() => decodeBody(secret, { metadata: { name: 's' }, data: { a: 1 } }))).toMatch(/cannot unmarshal number into Go struct field Secret.data of type \[\]uint8$/);
  });

  it('treats null as Go does: absent field, zero value in maps and arrays', () => {
    const d = deploy({ replicas: null, strategy: null }) as Record<string, any>;
    d.metadata.labels.x = null;
    d.spec.template.spec.containers[0].args = ['a', null];
    const { obj } = decodeBody(deployment, d, 'Strict');
    expect((obj.spec as Record<string, unknown>).replicas).toBeUndefined();
    expect('strategy' in (obj.spec as object)).toBe(false);
    expect(obj.metadata?.labels).toEqual({ app: 'web', x: '' });
    expect((obj as any).spec.template.spec.containers[0].args).toEqual(['a', '']);
  });
});

describe('fieldValidation parameter', () => {
  it('defaults to Warn and rejects unknown values like kube-apiserver', () => {
    expect(parseFieldValidation(undefined)).toBe('Warn');
    expect(parseFieldValidation('Strict')).toBe('Strict');
    try {
      parseFieldValidation('strict', 'UpdateOptions');
      throw new Error('expected an error');
    } catch (e) {
      expect((e as ApiError).code).toBe(422);
      expect((e as ApiError).message).toBe(
        'UpdateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "Ignore", "Strict", "Warn"',
      );
    }
  });
});
