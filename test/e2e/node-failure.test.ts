// A laptop going dark (`minik node stop`) on a cluster started with --fast-failover: the node
// goes NotReady with the unreachable taints, its pods are evicted and replaced on another node
// within 10 s, the Service keeps answering throughout, and `node start` brings the node back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Env, ROOT, until } from './harness.js';

const env = new Env('minik-e2e-failover-');


interface PodJson {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string; tolerations?: { key?: string; tolerationSeconds?: number }[] };
  status: { phase?: string; conditions?: { type: string; status: string }[] };
}
const pods = async () => (JSON.parse(await env.ok(['get', 'pods', '-l', 'app=failover', '-o', 'json'])) as { items: PodJson[] }).items;
const ready = (p: PodJson) => !p.metadata.deletionTimestamp && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

beforeAll(async () => {
  execFileSync(join(ROOT, 'examples', 'build-images'), ['--debug-image'], { stdio: 'ignore', env: process.env });
  await env.ok(['start', '--port', '0', '--fast-failover']);
}, 180_000);
afterAll(() => env.cleanup());

describe('node failure with --fast-failover', () => {
  it('pods move off a stopped node in under 10 s while the Service keeps answering; the node comes back', async () => {
    await env.ok(['apply', '-f', env.write('failover.yaml', `apiVersion: apps/v1
kind: Deployment
metadata:
  name: failover
spec:
  replicas: 3
  selector:
    matchLabels: {app: failover}
  template:
    metadata:
      labels: {app: failover}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: httpd
        image: local/busybox:1.35
        command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
        ports: [{containerPort: 8080}]
        readinessProbe:
          tcpSocket: {port: 8080}
          periodSeconds: 1
---
apiVersion: v1
kind: Service
metadata:
  name: failover
spec:
  type: NodePort
  selector: {app: failover}
  ports:
  - port: 80
    targetPort: 8080
`)]);
    await env.ok(['rollout', 'status', 'deploy/failover', '--timeout=60s'], { timeoutMs: 90_000 });
    const before = await pods();
    // DefaultTolerationSeconds, shortened by --fast-failover.
    expect(before[0]!.spec.tolerations).toEqual(
      expect.arrayContaining([
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 },
      ]),
    );
    const victim = before.find((p) => p.spec.nodeName === 'worker1') ? 'worker1' : 'worker2';
    const survivor = victim === 'worker1' ? 'worker2' : 'worker1';
    const nodePort = await env.ok(['get', 'svc', 'failover', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
    await until('the service', async () => (await fetch(`http://127.0.0.1:${nodePort}/`, { signal: AbortSignal.timeout(1000) })).ok, 30_000);

    // Ask the Service every 100 ms, each request with one retry, for the whole failover.
    let stop = false;
    const outcomes: { at: number; ok: boolean }[] = [];
    const client = (async () => {
      while (!stop) {
        let ok = false;
        for (let attempt = 0; attempt < 2 && !ok; attempt++) {
          ok = await fetch(`http://127.0.0.1:${nodePort}/`, { signal: AbortSignal.timeout(500) }).then((r) => r.ok, () => false);
        }
        outcomes.push({ at: Date.now(), ok });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const t0 = Date.now();
    expect(await env.ok(['node', 'stop', victim])).toBe('');
    await until('NotReady', async () => new RegExp(`^${victim}\\s+NotReady\\s`, 'm').test(await env.ok(['get', 'nodes'])), 15_000);
    const taints = await until('the unreachable taints', async () => {
      const raw = await env.ok(['get', 'node', victim, '-o', 'jsonpath={.spec.taints}']);
      const ts = raw ? (JSON.parse(raw) as { key: string; effect: string }[]) : [];
      return ts.length === 2 && ts;
    }, 5_000);
    expect(taints.map((t) => `${t.key}:${t.effect}`).sort()).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    const moved = await until('3 ready pods off the stopped node', async () => {
      const ps = (await pods()).filter(ready);
      return ps.length === 3 && ps.every((p) => p.spec.nodeName === survivor) && ps;
    }, 20_000);
    const elapsed = Date.now() - t0;
    stop = true;
    await client;
    expect(moved).toHaveLength(3);
    expect(elapsed).toBeLessThan(10_000);
    // The Service kept answering: few failures (a request to a pod of the dark node before it is
    // marked not ready, twice in a row), and never a silence of more than 2.5 s.
    const failures = outcomes.filter((o) => !o.ok).length;
    console.log(`failover: pods ready on ${survivor} ${elapsed} ms after node stop; ${failures} of ${outcomes.length} requests (with one retry) failed`);
    expect(outcomes.length).toBeGreaterThan(10);
    expect(failures / outcomes.length).toBeLessThan(0.15);
    const successes = [t0, ...outcomes.filter((o) => o.ok).map((o) => o.at)];
    const longestSilence = Math.max(...successes.slice(1).map((at, i) => at - successes[i]!));
    expect(longestSilence).toBeLessThan(2500);
    const events = await env.ok(['get', 'events', '-A']);
    expect(events).toContain(`Node ${victim} status is now: NodeNotReady`);
    expect(events).toContain('TaintManagerEviction');

    // Back: Ready again, taints gone, the evicted pods' leftovers cleaned up.
    expect(await env.ok(['node', 'start', victim])).toBe('');
    await until('Ready again without taints', async () => {
      const n = JSON.parse(await env.ok(['get', 'node', victim, '-o', 'json'])) as { spec: { taints?: unknown[] }; status: { conditions: { type: string; status: string }[] } };
      return n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True') && !n.spec.taints?.length;
    }, 30_000);
    await until('no pods left on the returned node', async () => (await pods()).every((p) => p.spec.nodeName !== victim), 30_000);
    const stale = execFileSync('docker', ['ps', '-q', '--filter', `label=io.minik.node=${victim}`, '--filter', 'label=io.kubernetes.pod.namespace=default']).toString().trim();
    expect(stale).toBe('');
  }, 180_000);

  it('bad input: node stop of an unknown node', async () => {
    const r = await env.minik(['node', 'stop', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: node "nope" not found in cluster "minik"\n');
  });
});
