import { describe, expect, it } from 'vitest';
import { resource, simulateCreate, simulateStatusUpdate, simulateUpdate } from './harness.js';

const deployments = resource('deployments', 'apps');

function deploy(spec: Record<string, unknown> = {}, labels: Record<string, string> = { app: 'web' }) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
      ...spec,
    },
  };
}

describe('deployment defaults', () => {
  it('replicas, RollingUpdate 25%/25%, history and deadline, and the pod template', () => {
    const { obj, messages } = simulateCreate(deployments, deploy({ strategy: {} }));
    expect(messages).toEqual([]);
    const spec = obj.spec as any;
    expect(spec.replicas).toBe(1);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    expect(spec.revisionHistoryLimit).toBe(10);
    expect(spec.progressDeadlineSeconds).toBe(600);
    expect(spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30, securityContext: {} });
    expect(spec.template.spec.containers[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
    // Pod-only defaults (admission plugins, SetDefaults_Pod) stay out of templates.
    expect(spec.template.spec.serviceAccountName).toBeUndefined();
    expect(spec.template.spec.tolerations).toBeUndefined();
    expect(spec.template.spec.enableServiceLinks).toBeUndefined();
    expect(obj.status).toEqual({});
  });

  it('Recreate gets no rollingUpdate; a partial rollingUpdate is completed', () => {
    expect((simulateCreate(deployments, deploy({ strategy: { type: 'Recreate' } })).obj.spec as any).strategy).toEqual({ type: 'Recreate' });
    expect((simulateCreate(deployments, deploy({ strategy: { rollingUpdate: { maxSurge: 1 } } })).obj.spec as any).strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' },
    });
  });
});

describe('deployment validation', () => {
  const msgs = (spec: Record<string, unknown>, labels?: Record<string, string>) => simulateCreate(deployments, deploy(spec, labels)).messages;

  it('replicas and selector/template agreement', () => {
    expect(msgs({ replicas: -1 })).toEqual(['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
    expect(msgs({}, { app: 'x' })).toEqual(['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`']);
    expect(msgs({ selector: undefined })).toEqual([
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
    expect(msgs({ selector: {} })).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ]);
    expect(msgs({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }, { key: 'tier', operator: 'Exists', values: ['x'] }] } })).toEqual([
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('the template: containers, restart policy', () => {
    const bad = deploy();
    (bad.spec.template.spec as any).containers = [{ name: 'web' }];
    (bad.spec.template.spec as any).restartPolicy = 'Never';
    expect(simulateCreate(deployments, bad).messages).toEqual([
      'spec.template.spec.containers[0].image: Required value',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });

  it('strategy', () => {
    expect(msgs({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } } })).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
    ]);
    expect(msgs({ strategy: { rollingUpdate: { maxUnavailable: '150%', maxSurge: 'lots' } } })).toEqual([
      "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"lots\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
    ]);
    expect(msgs({ strategy: { type: 'Recreate', rollingUpdate: {} } })).toEqual(["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]);
    expect(msgs({ strategy: { type: 'BlueGreen' } })).toEqual([
      'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
    ]);
  });

  it('progress deadline, history limit, minReadySeconds', () => {
    expect(msgs({ minReadySeconds: 700, revisionHistoryLimit: -1 })).toEqual([
      'spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0',
      'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds',
    ]);
  });
});

describe('deployment updates', () => {
  const created = simulateCreate(deployments, deploy()).obj;
  const old = { ...created, metadata: { ...created.metadata, uid: 'u', generation: 4 }, status: { replicas: 1, observedGeneration: 4 } };

  it('status is kept; spec and annotation changes bump the generation', () => {
    const scaled = structuredClone(old) as any;
    scaled.spec.replicas = 3;
    scaled.status = {};
    const r = simulateUpdate(deployments, scaled, old);
    expect(r.messages).toEqual([]);
    expect(r.obj.status).toEqual({ replicas: 1, observedGeneration: 4 });
    expect(r.obj.metadata?.generation).toBe(5);
    const annotated = structuredClone(old) as any;
    annotated.metadata.annotations = { note: 'x' };
    expect(simulateUpdate(deployments, annotated, old).obj.metadata?.generation).toBe(5);
    expect(simulateUpdate(deployments, structuredClone(old), old).obj.metadata?.generation).toBe(4);
    // A PUT that leaves out defaulted fields changes nothing once defaulted.
    const sparse = structuredClone(old) as any;
    delete sparse.spec.strategy;
    delete sparse.spec.revisionHistoryLimit;
    expect(simulateUpdate(deployments, sparse, old).obj.metadata?.generation).toBe(4);
  });

  it('the selector is immutable in apps/v1', () => {
    const next = structuredClone(old) as any;
    next.spec.selector = { matchLabels: { app: 'web2' } };
    next.spec.template.metadata.labels = { app: 'web2' };
    expect(simulateUpdate(deployments, next, old).messages).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it('status subresource: spec and labels are kept, counters checked', () => {
    const r = simulateStatusUpdate(deployments, { status: { replicas: 2, readyReplicas: 3, availableReplicas: 1, collisionCount: 0 } }, { ...old, status: { collisionCount: 2 } });
    expect(r.obj.spec).toEqual(old.spec);
    expect(r.messages).toEqual([
      'status.readyReplicas: Invalid value: 3: cannot be greater than status.replicas',
      'status.collisionCount: Invalid value: 0: cannot be decremented',
    ]);
  });
});
