// Probes on real containers: readiness gates Ready and the Service's endpoints, a failing
// liveness probe restarts the container (with kubelet's events), exec probes run in the container.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Env, ROOT, until } from './harness.js';

const env = new Env('minik-e2e-probes-');


const jsonpath = (args: string[], path: string) => env.ok([...args, '-o', `jsonpath=${path}`]);
const events = (pod: string) => env.ok(['get', 'events', '--field-selector', `involvedObject.name=${pod}`, '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);

beforeAll(async () => {
  execFileSync(join(ROOT, 'examples', 'build-images'), ['--debug-image'], { stdio: 'ignore', env: process.env });
  await env.ok(['start', '--port', '0']);
}, 180_000);
afterAll(() => env.cleanup());

describe('probes', () => {
  it('readiness (httpGet) gates Ready and the endpoints; kubelet\'s Unhealthy event when it fails', async () => {
    await env.ok(['apply', '-f', env.write('web.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: probed}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: httpd
    image: local/busybox:1.35
    command: ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports:
    - {name: http, containerPort: 8080}
    readinessProbe:
      httpGet: {path: /ready, port: http}
      periodSeconds: 1
      failureThreshold: 1
---
apiVersion: v1
kind: Service
metadata:
  name: probed
spec:
  selector: {app: probed}
  ports:
  - port: 80
    targetPort: http
`)]);
    await until('running', async () => (await jsonpath(['get', 'pod', 'web'], '{.status.phase}')) === 'Running');
    await new Promise((r) => setTimeout(r, 2500));
    expect(await env.ok(['get', 'pod', 'web'])).toMatch(/^web\s+0\/1\s+Running\s/m);
    expect(await jsonpath(['get', 'endpoints', 'probed'], '{.subsets[0].addresses}')).toBe('');
    expect(await jsonpath(['get', 'endpoints', 'probed'], '{.subsets[0].notReadyAddresses[0].ip}')).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await events('web')).toContain('Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 404');
    expect(await env.ok(['describe', 'pod', 'web'])).toMatch(/Readiness:\s+http-get http:\/\/:http\/ready delay=0s timeout=1s period=1s #success=1 #failure=1/);

    await env.ok(['exec', 'web', '--', 'touch', '/www/ready']);
    expect(await env.ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=30s'], { timeoutMs: 40_000 })).toBe('pod/web condition met\n');
    const ip = await jsonpath(['get', 'pod', 'web'], '{.status.podIP}');
    await until('endpoint ready', async () => (await jsonpath(['get', 'endpoints', 'probed'], '{.subsets[0].addresses[0].ip}')) === ip, 10_000);

    await env.ok(['exec', 'web', '--', 'rm', '/www/ready']);
    await until('not ready again', async () => (await env.ok(['get', 'pod', 'web'])).match(/^web\s+0\/1\s+Running\s+0\s/m), 10_000);
    await env.ok(['delete', 'pod', 'web', '--wait=false']);
  });

  it('liveness on a port nothing listens on: restarts with back-off and kubelet\'s events, other pods unaffected', async () => {
    await env.ok(['apply', '-f', env.write('dead.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: dead
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: main
    image: local/busybox:1.35
    command: ["sleep", "3600"]
    livenessProbe:
      tcpSocket: {port: 9999}
      periodSeconds: 1
      failureThreshold: 2
---
apiVersion: v1
kind: Pod
metadata:
  name: healthy
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: main
    image: local/busybox:1.35
    command: ["sleep", "3600"]
    readinessProbe:
      exec: {command: ["true"]}
      periodSeconds: 1
    livenessProbe:
      exec: {command: ["sh", "-c", "test -d /proc"]}
      periodSeconds: 1
`)]);
    const restarts = await until('a restart', async () => {
      const n = Number(await jsonpath(['get', 'pod', 'dead'], '{.status.containerStatuses[0].restartCount}'));
      return n >= 1 && n;
    }, 60_000);
    expect(restarts).toBeGreaterThanOrEqual(1);
    const ip = await jsonpath(['get', 'pod', 'dead'], '{.status.podIP}');
    const ev = await events('dead');
    expect(ev).toContain(`Unhealthy: Liveness probe failed: dial tcp ${ip}:9999: connect: connection refused`);
    expect(ev).toContain('Killing: Container main failed liveness probe, will be restarted');
    expect(await env.ok(['wait', '--for=condition=Ready', 'pod/healthy', '--timeout=30s'], { timeoutMs: 40_000 })).toBe('pod/healthy condition met\n');
    // Back-off, not a tight loop: after the second kill the container waits (CrashLoopBackOff).
    await until('back-off', async () => /CrashLoopBackOff/.test(await env.ok(['get', 'pod', 'dead'])) || Number(await jsonpath(['get', 'pod', 'dead'], '{.status.containerStatuses[0].restartCount}')) >= 2, 60_000);
    expect(await jsonpath(['get', 'pod', 'healthy'], '{.status.containerStatuses[0].restartCount}')).toBe('0');
  });
});
