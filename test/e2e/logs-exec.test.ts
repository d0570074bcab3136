// logs, exec, attach and `run -i --rm` end to end: a real cluster, real containers, the
// apiserver proxying to the node agents, driven through minik and through the real kubectl
// (WebSocket remotecommand, v5.channel.k8s.io). Pods name their node (no scheduler needed).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { Env, MINIK } from './harness.js';

const env = new Env();
const cluster = `le${process.pid}`;
const PROMPT = "If you don't see a command prompt, try pressing enter.\n";

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 40_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface PodJson {
  status: { phase?: string; containerStatuses?: { ready: boolean; restartCount: number; state: { running?: object } }[] };
}

const podJson = async (name: string): Promise<PodJson> => JSON.parse(await env.ok(['get', 'pod', name, '-o', 'json']));
const running = (name: string) =>
  waitFor(`${name} Running`, async () => {
    const p = await podJson(name);
    return p.status.phase === 'Running' && p.status.containerStatuses?.every((c) => c.ready) ? p : undefined;
  });

const pod = (name: string, spec: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: worker1
${spec}
---
`;

beforeAll(async () => {
  execFileSync('docker', ['image', 'inspect', 'local/busybox:1.35'], { stdio: 'ignore' });
  const r = await env.minik(['start', '--port', '0', '--name', cluster]);
  expect(r.code, r.stderr).toBe(0);
  env.write(
    'pods.yaml',
    pod(
      'ticker',
      `  containers:
  - name: main
    image: local/busybox:1.35
    command: ["sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.3; done"]`,
    ) +
      pod(
        'duo',
        `  containers:
  - name: a
    image: local/busybox:1.35
    command: ["sh", "-c", "echo from-a; exec sleep 3600"]
  - name: b
    image: local/busybox:1.35
    command: ["sh", "-c", "echo from-b >&2; exec sleep 3600"]`,
      ) +
      // Fails once, then runs: the first attempt's log is the `--previous` one.
      pod(
        'restarts',
        `  containers:
  - name: main
    image: local/busybox:1.35
    command: ["sh", "-c", "if [ -f /data/ran ]; then echo second-run; exec sleep 3600; fi; touch /data/ran; echo first-run; exit 1"]
    volumeMounts:
    - {name: data, mountPath: /data}
  volumes:
  - name: data
    emptyDir: {}`,
      ) +
      pod(
        'done',
        `  restartPolicy: Never
  containers:
  - name: main
    image: local/busybox:1.35
    command: ["sh", "-c", "echo finished"]`,
      ) +
      pod(
        'badimg',
        `  containers:
  - name: c
    image: local/does-not-exist:1.0`,
      ) +
      pod(
        'reader',
        `  restartPolicy: Never
  containers:
  - name: main
    image: local/busybox:1.35
    stdin: true
    stdinOnce: true
    command: ["sh", "-c", "while read l; do echo got $l; done; echo eof"]`,
      ),
  );
  await env.ok(['apply', '-f', 'pods.yaml']);
  await Promise.all(['ticker', 'duo', 'reader'].map(running));
}, 120_000);

afterAll(async () => {
  await env.minik(['delete', '--name', cluster]);
  await env.cleanup();
});

describe('logs', () => {
  it('--tail, --timestamps, --limit-bytes', async () => {
    await waitFor('5 ticks', async () => (await env.ok(['logs', 'ticker'])).split('\n').length > 5);
    const tail = await env.ok(['logs', 'ticker', '--tail', '2']);
    expect(tail).toMatch(/^tick (\d+)\ntick \d+\n$/);
    const [a, b] = tail.trim().split('\n').map((l) => Number(l.split(' ')[1]));
    expect(b).toBe(a! + 1);
    const ts = await env.ok(['logs', 'ticker', '--tail=2', '--timestamps']);
    for (const line of ts.trim().split('\n')) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z tick \d+$/);
    expect(await env.ok(['logs', 'ticker', '--limit-bytes', '6'])).toBe('tick 0');
    expect(await env.ok(['logs', 'ticker', '--tail', '0'])).toBe('');
  });

  it('-f streams new lines as they are written', async () => {
    const child = spawn(process.execPath, [MINIK, 'logs', '-f', 'ticker', '--tail', '1'], { env: env.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      await waitFor('4 followed lines', async () => out.split('\n').filter(Boolean).length >= 4, 15_000);
    } finally {
      child.kill();
    }
    const n = out.trim().split('\n').map((l) => Number(l.split(' ')[1]));
    expect(n.slice(0, 4)).toEqual([n[0], n[0]! + 1, n[0]! + 2, n[0]! + 3]);
  });

  it('--previous shows the attempt before a restart', async () => {
    await waitFor('restarts running again', async () => {
      const p = await podJson('restarts');
      const c = p.status.containerStatuses?.[0];
      return c && c.restartCount >= 1 && c.state.running ? p : undefined;
    });
    expect(await env.ok(['logs', 'restarts'])).toBe('second-run\n');
    expect(await env.ok(['logs', 'restarts', '--previous'])).toBe('first-run\n');
    expect((await env.kubectl(['logs', 'restarts', '-p'])).stdout).toBe('first-run\n');
    const none = await env.minik(['logs', 'duo', '-c', 'a', '--previous']);
    expect(none.stderr).toBe('Error from server (BadRequest): previous terminated container "a" in pod "duo" not found\n');
  });

  it('several containers: kubectl’s defaulting, server and client errors, --all-containers', async () => {
    const r = await env.minik(['logs', 'duo']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'from-a\n', 'Defaulted container "a" out of: a, b\n']);
    expect(await env.ok(['logs', 'duo', 'b'])).toBe('from-b\n');
    const raw = await env.minik(['get', '--raw', '/api/v1/namespaces/default/pods/duo/log']);
    expect(raw.stderr).toBe('Error from server (BadRequest): a container name must be specified for pod duo, choose one of: [a b]\n');
    const bad = await env.minik(['logs', 'duo', '-c', 'zz']);
    expect([bad.code, bad.stderr]).toEqual([1, 'error: container zz is not valid for pod duo\n']);
    expect(await env.ok(['logs', 'duo', '--all-containers', '--prefix'])).toBe('[pod/duo/a] from-a\n[pod/duo/b] from-b\n');
    const kubectl = await env.kubectl(['logs', 'duo', '-c', 'b']);
    expect([kubectl.code, kubectl.stdout]).toEqual([0, 'from-b\n']);
  });

  it('deploy/NAME: the logs of (and exec into) one of its pods', async () => {
    env.write(
      'deploy.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      nodeName: worker1
      containers:
      - name: main
        image: local/busybox:1.35
        command: ["sh", "-c", "echo hello from $(hostname); exec sleep 3600"]`,
    );
    await env.ok(['apply', '-f', 'deploy.yaml']);
    const r = await waitFor('web logs', async () => {
      const res = await env.minik(['logs', 'deploy/web']);
      return res.code === 0 && res.stdout && res.stderr.startsWith('Found 2 pods') ? res : undefined;
    });
    const pod = /^Found 2 pods, using pod\/(web-\S+)\n$/.exec(r.stderr)![1];
    expect(r.stdout).toBe(`hello from ${pod}\n`);
    expect(await env.ok(['exec', 'deployment/web', '--', 'hostname'])).toBe(`${pod}\n`);
  });

  it('-l with --prefix, and why a container has no logs yet', async () => {
    await env.ok(['label', 'pod', 'ticker', 'duo', 'group=g']);
    const sel = await env.minik(['logs', '-l', 'group=g', '--prefix', '--tail', '1']);
    expect(sel.code).toBe(0);
    expect(sel.stdout).toMatch(/^\[pod\/ticker\/main\] tick \d+$/m);
    expect(sel.stdout).toContain('[pod/duo/a] from-a\n');
    expect(sel.stderr).toBe('Defaulted container "a" out of: a, b\n');
    const many = await env.minik(['logs', '-f', '-l', 'group=g', '--all-containers', '--max-log-requests', '2']);
    expect(many.stderr).toBe('error: you are attempting to follow 3 log streams, but maximum allowed concurrency is 2, use --max-log-requests to increase the limit\n');
    const bad = await env.minik(['logs', 'badimg']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error from server \(BadRequest\): container "c" in pod "badimg" is waiting to start: (ContainerCreating|image can't be pulled|trying and failing to pull image)\n$/);
    const missing = await env.minik(['logs', 'nope']);
    expect(missing.stderr).toBe('error: error from server (NotFound): pods "nope" not found in namespace "default"\n');
  });
});

describe('exec', () => {
  it('relays stdout and stderr, and exits with the command’s code', async () => {
    const r = await env.minik(['exec', 'ticker', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect([r.code, r.stdout, r.stderr]).toEqual([3, 'out\n', 'err\ncommand terminated with exit code 3\n']);
    const ok = await env.minik(['exec', 'duo', '-c', 'b', '--', 'hostname']);
    expect([ok.code, ok.stdout, ok.stderr]).toEqual([0, 'duo\n', '']);
  });

  it('-i forwards piped stdin and closes it at its end', async () => {
    const r = await env.minik(['exec', '-i', 'ticker', '--', 'sh', '-c', 'tr a-z A-Z; echo done'], { input: 'hello\nworld\n' });
    expect([r.code, r.stdout]).toEqual([0, 'HELLO\nWORLD\ndone\n']);
  });

  it('refuses pods that are not running, as kubectl does', async () => {
    await waitFor('done Succeeded', async () => (await podJson('done')).status.phase === 'Succeeded');
    const done = await env.minik(['exec', 'done', '--', 'true']);
    expect([done.code, done.stderr]).toEqual([1, 'error: cannot exec into a container in a completed pod; current phase is Succeeded\n']);
    const waiting = await env.minik(['exec', 'badimg', '--', 'true']);
    expect([waiting.code, waiting.stderr]).toEqual([1, 'error: unable to upgrade connection: container not found ("c")\n']);
    const usage = await env.minik(['exec', 'ticker', 'ls']);
    expect(usage.stderr).toBe("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'minik exec -h' for help and examples\n");
  });
});

describe('attach and run', () => {
  it('attach -i feeds the container’s stdin; its output comes back', async () => {
    const r = await env.minik(['attach', '-i', 'reader'], { input: 'a\nb\n' });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'got a\ngot b\neof\n', PROMPT]);
    await waitFor('reader Succeeded', async () => (await podJson('reader')).status.phase === 'Succeeded');
    const again = await env.minik(['attach', 'reader']);
    expect(again.stderr).toBe('error: cannot attach a container in a completed pod; current phase is Succeeded\n');
  });

  it('run -i --rm attaches, returns the exit code and deletes the pod', async () => {
    const r = await env.minik(['run', '-i', '--rm', 'r1', '--image', 'local/busybox:1.35', '--restart=Never', '--overrides', '{"spec":{"nodeName":"worker1"}}', '--', 'sh', '-c', 'tr a-z A-Z; exit 4'], { input: 'abc\n' });
    expect([r.code, r.stdout, r.stderr]).toEqual([4, 'ABC\npod "r1" deleted\n', `${PROMPT}pod default/r1 terminated (Error)\n\n`]);
    const gone = await env.minik(['get', 'pod', 'r1']);
    expect(gone.stderr).toBe('Error from server (NotFound): pods "r1" not found\n');
  });
});

describe('the real kubectl', () => {
  it('logs, exec with an exit code, exec -i with stdin', async () => {
    const logs = await env.kubectl(['logs', 'ticker', '--tail', '1']);
    expect([logs.code, logs.stdout]).toEqual([0, expect.stringMatching(/^tick \d+\n$/)]);
    const exec = await env.kubectl(['exec', 'ticker', '--', 'sh', '-c', 'echo hi; exit 3']);
    expect([exec.code, exec.stdout, exec.stderr]).toEqual([3, 'hi\n', 'command terminated with exit code 3\n']);
    const stdin = await env.kubectl(['exec', '-i', 'ticker', '--', 'cat'], { input: 'piped\n' });
    expect([stdin.code, stdin.stdout]).toEqual([0, 'piped\n']);
    const waiting = await env.kubectl(['exec', 'badimg', '--', 'true']);
    expect([waiting.code, waiting.stderr]).toEqual([1, 'error: unable to upgrade connection: container not found ("c")\n']);
  });

  it('run -i --rm', async () => {
    const r = await env.kubectl(['run', '-i', '--rm', 'r2', '--image', 'local/busybox:1.35', '--restart=Never', '--overrides', '{"spec":{"nodeName":"worker1"}}', '--', 'sh', '-c', 'tr a-z A-Z'], { input: 'xyz\n' });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'XYZ\npod "r2" deleted\n', PROMPT]);
  });
});
