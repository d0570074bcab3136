import { describe, expect, it } from 'vitest';
import { resource, simulateCreate, simulateStatusUpdate, simulateUpdate } from './harness.js';
import { imageTag } from './pod-defaults.js';

const pods = resource('pods');
const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', ...metadata }, spec });
const nginx = (extra: Record<string, unknown> = {}) => ({ name: 'web', image: 'nginx', ...extra });

describe('pod defaults', () => {
  it('fills the spec as kube-apiserver returns it', () => {
    const { obj, messages } = simulateCreate(pods, pod({ containers: [nginx({ ports: [{ containerPort: 80 }] })] }));
    expect(messages).toEqual([]);
    expect(obj.spec).toEqual({
      containers: [
        {
          name: 'web',
          image: 'nginx',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          imagePullPolicy: 'Always',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          resources: {},
        },
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
      serviceAccountName: 'default',
      serviceAccount: 'default',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    });
    expect(obj.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('image pull policy follows the tag', () => {
    expect(imageTag('nginx')).toBe('latest');
    expect(imageTag('nginx:latest')).toBe('latest');
    expect(imageTag('nginx:1.25')).toBe('1.25');
    expect(imageTag('localhost:5000/app')).toBe('latest');
    expect(imageTag('localhost:5000/app:v2')).toBe('v2');
    expect(imageTag('nginx@sha256:abc')).toBe('');
    const { obj } = simulateCreate(pods, pod({ containers: [nginx({ image: 'nginx:1.25' }), { name: 'b', image: 'busybox@sha256:00' }] }));
    expect((obj.spec as any).containers.map((c: any) => c.imagePullPolicy)).toEqual(['IfNotPresent', 'IfNotPresent']);
  });

  it('probes, volumes, existing tolerations, service account', () => {
    const { obj } = simulateCreate(
      pods,
      pod({
        serviceAccountName: 'builder',
        tolerations: [{ operator: 'Exists' }],
        containers: [nginx({ livenessProbe: { httpGet: { port: 80 } }, volumeMounts: [{ name: 'cfg', mountPath: '/c' }] })],
        volumes: [{ name: 'cfg', configMap: { name: 'c' } }, { name: 'scratch' }],
      }),
    );
    const spec = obj.spec as any;
    expect(spec.containers[0].livenessProbe).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(spec.volumes).toEqual([{ name: 'cfg', configMap: { name: 'c', defaultMode: 420 } }, { name: 'scratch', emptyDir: {} }]);
    expect(spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect([spec.serviceAccountName, spec.serviceAccount]).toEqual(['builder', 'builder']);
  });

  it('QoS class, with requests defaulted from limits', () => {
    const qos = (resources: unknown) => (simulateCreate(pods, pod({ containers: [nginx({ resources })] })).obj.status as any).qosClass;
    expect(qos({ limits: { cpu: '500m', memory: '128Mi' } })).toBe('Guaranteed');
    expect(qos({ limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '0.5', memory: '134217728' } })).toBe('Guaranteed');
    expect(qos({ requests: { cpu: '100m' } })).toBe('Burstable');
    expect(qos({ limits: { cpu: '1' } })).toBe('Burstable');
    expect(qos({})).toBe('BestEffort');
    const { obj } = simulateCreate(pods, pod({ containers: [nginx({ resources: { limits: { cpu: '1' } } })] }));
    expect((obj.spec as any).containers[0].resources).toEqual({ limits: { cpu: '1' }, requests: { cpu: '1' } });
  });

  it('a gated pod gets its PodScheduled condition', () => {
    const { obj } = simulateCreate(pods, pod({ schedulingGates: [{ name: 'example.com/wait' }], containers: [nginx()] }));
    expect((obj.status as any).conditions[0]).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' });
  });
});

describe('pod validation', () => {
  const msgs = (spec: Record<string, unknown>, metadata?: Record<string, unknown>) => simulateCreate(pods, pod(spec, metadata)).messages;

  it('containers are required, with names and images', () => {
    expect(msgs({})).toEqual(['spec.containers: Required value']);
    expect(msgs({ containers: [{ name: 'Web' }, { name: 'Web', image: 'x' }] })).toEqual([
      "spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'spec.containers[0].image: Required value',
      "spec.containers[1].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'spec.containers[1].name: Duplicate value: "Web"',
    ]);
    expect(msgs({ containers: [nginx({ image: ' nginx' })] })).toEqual(['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace']);
  });

  it('ports', () => {
    expect(msgs({ containers: [nginx({ ports: [{ containerPort: 0 }, { containerPort: 70000, hostPort: -1, protocol: 'HTTP', name: 'HTTP' }] })] })).toEqual([
      'spec.containers[0].ports[0].containerPort: Required value',
      'spec.containers[0].ports[1].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].ports[1].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
      'spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ]);
    const both = { containers: [nginx({ ports: [{ containerPort: 80, hostPort: 8080 }] }), { name: 'b', image: 'b', ports: [{ containerPort: 81, hostPort: 8080 }] }] };
    expect(msgs(both)).toEqual(['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"']);
  });

  it('probes and lifecycle handlers', () => {
    expect(
      msgs({
        containers: [
          nginx({
            livenessProbe: { successThreshold: 2, periodSeconds: -1 },
            readinessProbe: { exec: { command: [] }, terminationGracePeriodSeconds: 5 },
            startupProbe: { tcpSocket: { port: 'no_such' }, httpGet: { port: 80 } },
            lifecycle: { preStop: { sleep: { seconds: 60 } } },
          }),
        ],
      }),
    ).toEqual([
      'spec.containers[0].lifecycle.preStop.sleep.seconds: Invalid value: 60: must be greater than 0 and less than terminationGracePeriodSeconds (30)',
      'spec.containers[0].livenessProbe: Required value: must specify a handler type',
      'spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].readinessProbe.exec.command: Required value',
      'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes',
      'spec.containers[0].startupProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
    ]);
  });

  it('env, envFrom and downward API', () => {
    expect(
      msgs({
        containers: [
          nginx({
            env: [
              { name: '1BAD' },
              { name: 'A', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
              { name: 'B', valueFrom: { fieldRef: { fieldPath: 'spec.hostname' } } },
              { name: 'C', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } },
              { name: 'D', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
            ],
            envFrom: [{}],
          }),
        ],
      }),
    ).toEqual([
      "spec.containers[0].env[0].name: Invalid value: \"1BAD\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
      'spec.containers[0].env[1].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
      'spec.containers[0].env[2].valueFrom.fieldRef.fieldPath: Invalid value: "spec.hostname": error converting fieldPath: field label not supported: spec.hostname',
      'spec.containers[0].env[3].valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.labels": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      'spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
    ]);
  });

  it('volumes and mounts', () => {
    expect(
      msgs({
        containers: [nginx({ volumeMounts: [{ name: 'missing', mountPath: '/a' }, { name: 'data', mountPath: '/a', subPath: '../x' }] })],
        volumes: [{ name: 'data', emptyDir: {}, hostPath: { path: '/x' } }, { name: 'data', configMap: {} }, { name: 'Bad_Name', secret: { secretName: 's', defaultMode: 511 + 1 } }],
      }),
    ).toEqual([
      'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
      // As in Kubernetes, a volume with errors is not remembered, so no duplicate is reported.
      'spec.volumes[1].configMap.name: Required value',
      'spec.volumes[2].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive',
      "spec.volumes[2].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
      'spec.containers[0].volumeMounts[1].name: Not found: "data"',
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/a": must be unique',
      "spec.containers[0].volumeMounts[1].subPath: Invalid value: \"../x\": must not contain '..'",
    ]);
  });

  it('resources: names, negative values, requests over limits', () => {
    expect(msgs({ containers: [nginx({ resources: { limits: { cpu: '500m', gpu: '1' }, requests: { cpu: '1', memory: '-1' } } })] })).toEqual([
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      'spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m',
      'spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0',
      // Requests default from limits on a Pod, so the bad name shows up twice.
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ]);
  });

  it('pod-level fields', () => {
    expect(
      msgs({
        containers: [nginx()],
        restartPolicy: 'Sometimes',
        dnsPolicy: 'None',
        nodeSelector: { 'bad key!': 'x' },
        tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }, { operator: 'Equal', value: 'x' }, { key: 'k', tolerationSeconds: 5, effect: 'NoSchedule' }],
        activeDeadlineSeconds: 0,
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } },
      }),
    ).toEqual([
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      expect.stringMatching(/^spec.nodeSelector: Invalid value: "bad key!": name part must consist of/),
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
      'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
      'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
      'spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"k", Operator:"Exists", Value:"v", Effect:"", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is \'Exists\'',
      'spec.tolerations[1].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      "spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
    ]);
  });

  it('pod-specific annotations', () => {
    expect(msgs({ containers: [nginx()] }, { annotations: { 'controller.kubernetes.io/pod-deletion-cost': 'lots' } })).toEqual([
      'metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "lots": must be a 32bit integer',
    ]);
  });

  it('ephemeral containers only through their subresource', () => {
    expect(msgs({ containers: [nginx()], ephemeralContainers: [{ name: 'debug', image: 'busybox' }] })).toEqual(['spec.ephemeralContainers: Forbidden: cannot be set on create']);
  });
});

describe('pod updates', () => {
  const created = simulateCreate(pods, pod({ containers: [nginx({ image: 'nginx:1.25' })], activeDeadlineSeconds: 100, tolerations: [{ key: 'gpu', operator: 'Exists' }] })).obj;
  const old = { ...created, metadata: { ...created.metadata, uid: 'u', creationTimestamp: '2024-01-01T00:00:00Z' }, status: { phase: 'Running' } };
  const update = (mutate: (spec: any) => void) => {
    const next = structuredClone(old) as any;
    mutate(next.spec);
    next.status = { phase: 'Succeeded' };
    return simulateUpdate(pods, next, old);
  };

  it('image, activeDeadlineSeconds and added tolerations may change; status is kept', () => {
    const r = update((s) => {
      s.containers[0].image = 'nginx:1.26';
      s.activeDeadlineSeconds = 50;
      s.tolerations.push({ key: 'x', operator: 'Exists' });
    });
    expect(r.messages).toEqual([]);
    expect(r.obj.status).toEqual({ phase: 'Running' });
  });

  it('anything else is forbidden, with the list of what may change', () => {
    const r = update((s) => {
      s.restartPolicy = 'Never';
    });
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatch(
      /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,`spec.initContainers\[\*\].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` \(only additions to existing tolerations\),`spec.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n  core.PodSpec\{\n- \tRestartPolicy: "Always",\n\+ \tRestartPolicy: "Never",\n  \}$/,
    );
    expect(update((s) => s.containers.push(nginx({ name: 'b' }))).messages).toContain('spec.containers: Forbidden: pod updates may not add or remove containers');
    expect(update((s) => (s.activeDeadlineSeconds = 200)).messages).toEqual(['spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value']);
    expect(update((s) => s.tolerations.shift()).messages).toEqual(['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  });

  it('status updates keep the spec and check IPs and terminal containers', () => {
    const finished = { ...old, spec: { ...(old.spec as object), restartPolicy: 'Never' }, status: { phase: 'Failed', qosClass: 'BestEffort', containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 1 } } }] } };
    const r = simulateStatusUpdate(pods, { status: { phase: 'Running', podIP: '10.244.1.5', containerStatuses: [{ name: 'web', state: { running: {} } }] }, spec: { nodeName: 'hacked' } }, finished);
    expect((r.obj.spec as any).nodeName).toBeUndefined();
    expect(r.obj.status).toMatchObject({ qosClass: 'BestEffort', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] });
    expect(r.messages).toEqual(['status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state']);
    expect(simulateStatusUpdate(pods, { status: { podIPs: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] } }, old).messages).toEqual([
      'status.podIPs: Invalid value: [{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}]: may specify no more than one IP for each IP family',
    ]);
  });
});

describe('pod deletion and field selectors', () => {
  const s = pods.strategy;
  it('grace period: requested, else the spec; at once when unscheduled or finished', () => {
    const scheduled = { spec: { nodeName: 'worker1', terminationGracePeriodSeconds: 30 }, status: { phase: 'Running' } };
    expect(s.gracePeriodSeconds!(scheduled, undefined)).toBe(30);
    expect(s.gracePeriodSeconds!(scheduled, 5)).toBe(5);
    expect(s.gracePeriodSeconds!(scheduled, 0)).toBeUndefined();
    expect(s.gracePeriodSeconds!(scheduled, -3)).toBe(1);
    expect(s.gracePeriodSeconds!({ spec: { terminationGracePeriodSeconds: 30 } }, undefined)).toBeUndefined();
    expect(s.gracePeriodSeconds!({ spec: { nodeName: 'w', terminationGracePeriodSeconds: 30 }, status: { phase: 'Succeeded' } }, 10)).toBeUndefined();
  });

  it('selectable fields', () => {
    expect(s.selectableFields!({ spec: { nodeName: 'w1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' }, status: { phase: 'Running', podIPs: [{ ip: '10.244.1.2' }] } })).toEqual({
      'spec.nodeName': 'w1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'default',
      'spec.hostNetwork': 'false',
      'status.phase': 'Running',
      'status.podIP': '10.244.1.2',
      'status.nominatedNodeName': '',
    });
  });
});
