import { describe, expect, it } from 'vitest';
import { describeProbe } from './containers.js';
import { describePod, podQOS, selectorString } from './pod.js';

process.env.TZ = 'UTC';
const NOW = Date.parse('2026-11-23T18:40:00Z');

describe('pods', () => {
  it('describes probes as kubectl does', () => {
    const t = { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };
    expect(describeProbe({ httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, ...t })).toBe('http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3');
    expect(describeProbe({ httpGet: { path: '/a b', port: 'http', host: '::1', scheme: 'HTTPS' }, initialDelaySeconds: 5, ...t })).toBe(
      'http-get https://[::1]:http/a%20b delay=5s timeout=1s period=10s #success=1 #failure=3',
    );
    expect(describeProbe({ tcpSocket: { port: 5432 }, ...t })).toBe('tcp-socket :5432 delay=0s timeout=1s period=10s #success=1 #failure=3');
    expect(describeProbe({ exec: { command: ['cat', '/tmp/healthy'] }, ...t })).toBe('exec [cat /tmp/healthy] delay=0s timeout=1s period=10s #success=1 #failure=3');
    expect(describeProbe({ grpc: { port: 9090, service: 'x' }, ...t })).toBe('grpc <pod>:9090 x delay=0s timeout=1s period=10s #success=1 #failure=3');
  });

  it('computes the QoS class when the status has none', () => {
    const pod = (resources: object, init: object[] = []) => ({ spec: { containers: [{ name: 'c', resources }], initContainers: init } });
    expect(podQOS(pod({}))).toBe('BestEffort');
    expect(podQOS(pod({ limits: { cpu: '1', memory: '1Gi' } }))).toBe('Burstable');
    expect(podQOS(pod({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1024Mi' } }))).toBe('Guaranteed');
    expect(podQOS(pod({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } }))).toBe('Burstable');
    expect(podQOS(pod({ limits: { cpu: '1', memory: '1Gi' } }, [{ name: 'i', resources: {} }]))).toBe('Burstable');
    expect(podQOS({ status: { qosClass: 'Guaranteed' } })).toBe('Guaranteed');
  });

  it('formats label selectors as labels.Selector.String()', () => {
    expect(selectorString({ matchLabels: { tier: 'web', app: 'x' } })).toBe('app=x,tier=web');
    expect(
      selectorString({
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'dev'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'Exists' },
        ],
      }),
    ).toBe('!canary,env in (dev,prod),zone');
    expect(selectorString(undefined)).toBe('');
  });

  it('shows a terminating pod with its grace period and the pod events', () => {
    const pod = {
      metadata: { name: 'p', namespace: 'default', deletionTimestamp: '2026-11-23T18:39:30Z', deletionGracePeriodSeconds: 30 },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
      status: { phase: 'Running', reason: 'Evicted', message: 'The node was low on resource: memory.' },
    };
    const events = [{ type: 'Normal', reason: 'Killing', firstTimestamp: '2026-11-23T18:39:30Z', lastTimestamp: '2026-11-23T18:39:30Z', count: 1, source: { component: 'kubelet' }, message: 'Stopping container c' }];
    expect(describePod(pod, events, NOW)).toBe(
      [
        'Name:                      p',
        'Namespace:                 default',
        'Node:                      <none>',
        'Labels:                    <none>',
        'Annotations:               <none>',
        'Status:                    Terminating (lasts 30s)',
        'Termination Grace Period:  30s',
        'Reason:                    Evicted',
        'Message:                   The node was low on resource: memory.',
        'IP:                        ',
        'IPs:                       <none>',
        'Containers:',
        '  c:',
        '    Image:        busybox',
        '    Port:         <none>',
        '    Host Port:    <none>',
        '    Environment:  <none>',
        '    Mounts:       <none>',
        'Volumes:          <none>',
        'QoS Class:        BestEffort',
        'Node-Selectors:   <none>',
        'Tolerations:      <none>',
        'Events:',
        '  Type    Reason   Age   From     Message',
        '  ----    ------   ----  ----     -------',
        '  Normal  Killing  30s   kubelet  Stopping container c',
        '',
      ].join('\n'),
    );
  });
});
