// The prober against real sockets on loopback (the pod's address here): httpGet and tcpSocket
// results and kubelet's messages, readiness thresholds, liveness kills, startup gating.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Prober, runProbe } from './prober.js';

let status = 200;
const server = http.createServer((req, res) => {
  res.statusCode = req.url === '/healthz' ? status : 404;
  res.end();
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));

const noDocker = {} as never;
const container = (probes: Record<string, unknown>) => ({ name: 'web', image: 'x', ports: [{ name: 'http', containerPort: port }], ...probes });

describe('runProbe', () => {
  it('httpGet: 2xx/3xx pass; other codes and refused connections fail with kubelet\'s words', async () => {
    expect(await runProbe({ httpGet: { path: '/healthz', port: 'http' } }, container({}), '127.0.0.1', 'c1', noDocker)).toEqual({ ok: true, output: '' });
    status = 500;
    expect(await runProbe({ httpGet: { path: '/healthz', port } }, container({}), '127.0.0.1', 'c1', noDocker)).toEqual({ ok: false, output: 'HTTP probe failed with statuscode: 500' });
    status = 200;
    const closed = await runProbe({ httpGet: { path: '/healthz', port: 1 } }, container({}), '127.0.0.1', 'c1', noDocker);
    expect(closed).toEqual({ ok: false, output: 'Get "http://127.0.0.1:1/healthz": dial tcp 127.0.0.1:1: connect: connection refused' });
  });

  it('tcpSocket: a connection is success', async () => {
    expect(await runProbe({ tcpSocket: { port } }, container({}), '127.0.0.1', 'c1', noDocker)).toEqual({ ok: true, output: '' });
    expect(await runProbe({ tcpSocket: { port: 1 } }, container({}), '127.0.0.1', 'c1', noDocker)).toEqual({ ok: false, output: 'dial tcp 127.0.0.1:1: connect: connection refused' });
  });
});

describe('Prober', () => {
  const pod = (spec: Record<string, unknown>): Pod => ({ metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { containers: [container(spec)] } }) as unknown as Pod;

  it('readiness starts false, turns true on success and false after failureThreshold failures', async () => {
    const events: string[] = [];
    const changed: string[] = [];
    const prober = new Prober({ docker: noDocker, event: (_p, _t, reason, msg) => events.push(`${reason}: ${msg}`), kill: async () => undefined, changed: (u) => changed.push(u), log: () => undefined });
    const p = pod({ readinessProbe: { httpGet: { path: '/healthz', port }, periodSeconds: 1, failureThreshold: 1 } });
    prober.update(p, '127.0.0.1', [{ name: 'web', id: 'c1', startedAt: new Date().toISOString() }]);
    expect(prober.ready('u1', 'web', true)).toBe(false);
    await expect.poll(() => prober.ready('u1', 'web', true), { timeout: 3000 }).toBe(true);
    status = 503;
    await expect.poll(() => prober.ready('u1', 'web', true), { timeout: 3000 }).toBe(false);
    expect(events).toContain('Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503');
    expect(changed.length).toBeGreaterThanOrEqual(2);
    status = 200;
    prober.forget('u1');
    expect(prober.ready('u1', 'web', true)).toBe(true); // no probes left: running means ready
  });

  it('liveness: failureThreshold failures kill the container with kubelet\'s Killing event', async () => {
    const events: string[] = [];
    const killed: string[] = [];
    const prober = new Prober({ docker: noDocker, event: (_p, _t, reason, msg) => events.push(`${reason}: ${msg}`), kill: async (_p, id) => void killed.push(id), changed: () => undefined, log: () => undefined });
    prober.update(pod({ livenessProbe: { tcpSocket: { port: 1 }, periodSeconds: 1, failureThreshold: 2 } }), '127.0.0.1', [{ name: 'web', id: 'c1' }]);
    await expect.poll(() => killed, { timeout: 4000 }).toEqual(['c1']);
    expect(events).toEqual([
      'Unhealthy: Liveness probe failed: dial tcp 127.0.0.1:1: connect: connection refused',
      'Unhealthy: Liveness probe failed: dial tcp 127.0.0.1:1: connect: connection refused',
      'Killing: Container web failed liveness probe, will be restarted',
    ]);
  });

  it('a startup probe holds readiness until it succeeds', async () => {
    const prober = new Prober({ docker: noDocker, event: () => undefined, kill: async () => undefined, changed: () => undefined, log: () => undefined });
    prober.update(pod({ startupProbe: { httpGet: { path: '/healthz', port }, periodSeconds: 1 } }), '127.0.0.1', [{ name: 'web', id: 'c2' }]);
    expect(prober.ready('u1', 'web', true)).toBe(false);
    await expect.poll(() => prober.ready('u1', 'web', true), { timeout: 3000 }).toBe(true);
    prober.stopAll();
  });
});
