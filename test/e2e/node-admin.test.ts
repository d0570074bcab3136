// cordon, uncordon and taint on a real 3-node cluster: kubectl's messages (checked against the
// real kubectl), and the scheduler honouring them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Env, ROOT, until } from './harness.js';

const env = new Env('minik-e2e-nodes-');


async function sameAsKubectl(args: string[]): Promise<string> {
  const m = await env.minik(args);
  const k = await env.kubectl(args);
  k.stderr = k.stderr.replace("See 'kubectl ", "See 'minik ");
  expect({ stdout: m.stdout, stderr: m.stderr, code: m.code }).toEqual({ stdout: k.stdout, stderr: k.stderr, code: k.code });
  return m.stdout + m.stderr;
}

const pod = (name: string, tolerate = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: main
    image: local/busybox:1.35
    command: ["sleep", "3600"]
${tolerate}`;

beforeAll(async () => {
  execFileSync(join(ROOT, 'examples', 'build-images'), ['--debug-image'], { stdio: 'ignore', env: process.env });
  await env.ok(['start', '--port', '0']);
}, 180_000);
afterAll(() => env.cleanup());

describe('cordon and uncordon', () => {
  it('marks nodes unschedulable; new pods wait with the scheduler\'s reason until one is uncordoned', async () => {
    expect(await env.ok(['cordon', 'worker1', 'worker2'])).toBe('node/worker1 cordoned\nnode/worker2 cordoned\n');
    expect(await sameAsKubectl(['cordon', 'worker1'])).toBe('node/worker1 already cordoned\n');
    expect(await sameAsKubectl(['cordon', 'nope'])).toBe('Error from server (NotFound): nodes "nope" not found\n');
    expect(await env.ok(['get', 'nodes'])).toMatch(/^worker1\s+Ready,SchedulingDisabled\s/m);

    await env.ok(['apply', '-f', env.write('waiting.yaml', pod('waiting'))]);
    const event = await until('FailedScheduling', async () => {
      const e = await env.ok(['get', 'events', '--field-selector', 'involvedObject.name=waiting,reason=FailedScheduling', '-o', 'jsonpath={.items[0].message}']);
      return e.length > 0 && e;
    });
    expect(event).toContain('0/3 nodes are available:');
    expect(event).toContain('2 node(s) were unschedulable');
    expect(event).toContain("1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }");

    expect(await env.ok(['uncordon', 'worker2'])).toBe('node/worker2 uncordoned\n');
    expect(await sameAsKubectl(['uncordon', 'worker2'])).toBe('node/worker2 already uncordoned\n');
    expect(await env.ok(['wait', '--for=condition=Ready', 'pod/waiting', '--timeout=60s'], { timeoutMs: 90_000 })).toBe('pod/waiting condition met\n');
    expect(await env.ok(['get', 'pod', 'waiting', '-o', 'jsonpath={.spec.nodeName}'])).toBe('worker2');
    await env.ok(['uncordon', 'worker1']);
    await env.ok(['delete', 'pod', 'waiting', '--wait=false']);
  });
});

describe('taint', () => {
  it('adds, refuses duplicates, overwrites and removes taints as kubectl; the scheduler honours them', async () => {
    expect(await env.ok(['taint', 'nodes', 'worker1', 'dedicated=gpu:NoSchedule'])).toBe('node/worker1 tainted\n');
    expect(await sameAsKubectl(['taint', 'nodes', 'worker1', 'dedicated=cpu:NoSchedule'])).toBe('error: node worker1 already has dedicated taint(s) with same effect(s) and --overwrite is false\n');
    expect(await env.ok(['taint', 'nodes', 'worker1', 'dedicated=cpu:NoSchedule', '--overwrite'])).toBe('node/worker1 modified\n');
    const taints = JSON.parse(await env.ok(['get', 'node', 'worker1', '-o', 'jsonpath={.spec.taints}']));
    expect(taints).toEqual([{ key: 'dedicated', value: 'cpu', effect: 'NoSchedule' }]);
    for (const bad of [['taint', 'nodes', 'worker1', 'a=b:Sometimes'], ['taint', 'nodes', 'worker1', 'nope:NoSchedule-'], ['taint', 'nodes', 'worker1', 'a'], ['taint', 'pods', 'x', 'a=b:NoSchedule']]) {
      await sameAsKubectl(bad);
    }

    // Only worker2 is free of taints now: an untolerating pod goes there, a tolerating one may not.
    await env.ok(['taint', 'nodes', 'worker2', 'dedicated=cpu:NoSchedule']);
    await env.ok(['apply', '-f', env.write('plain.yaml', pod('plain'))]);
    await until('plain unschedulable', async () => (await env.ok(['get', 'events', '--field-selector', 'involvedObject.name=plain,reason=FailedScheduling'])).includes('untolerated taint {dedicated: cpu}'));
    await env.ok(['apply', '-f', env.write('tolerating.yaml', pod('tolerating', '  tolerations:\n  - key: dedicated\n    operator: Equal\n    value: cpu\n    effect: NoSchedule\n'))]);
    expect(await env.ok(['wait', '--for=condition=Ready', 'pod/tolerating', '--timeout=60s'], { timeoutMs: 90_000 })).toBe('pod/tolerating condition met\n');
    expect(await env.ok(['get', 'pod', 'tolerating', '-o', 'jsonpath={.spec.nodeName}'])).toMatch(/^worker[12]$/);

    expect(await env.ok(['taint', 'nodes', 'worker1', 'dedicated:NoSchedule-'])).toBe('node/worker1 untainted\n');
    expect(await env.ok(['taint', 'nodes', 'worker2', 'dedicated-'])).toBe('node/worker2 untainted\n');
    expect(await env.ok(['wait', '--for=condition=Ready', 'pod/plain', '--timeout=60s'], { timeoutMs: 90_000 })).toBe('pod/plain condition met\n');
  });
});
