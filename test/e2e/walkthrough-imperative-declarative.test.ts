// Walkthrough step 18 (walkthroughs.md §4C): imperative create/label vs declarative apply,
// with the book's exact messages. Pods stay Pending until nodes exist.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Env } from './harness.js';

const env = new Env();
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: simple-pod
spec:
  containers:
    - name: simple-pod
      image: rutush10/simple-restapi-server-py:v0.0.1
      ports:
        - containerPort: 8000
`;
const LABELLED = POD.replace('  name: simple-pod\n', '  name: simple-pod\n  labels:\n    app: simple-pod\n');

beforeAll(async () => {
  await env.ok(['start', '--port', '0']);
});
afterAll(() => env.cleanup());

const row = (out: string) => out.split('\n')[1].split(/\s{3,}/);

describe('imperative vs declarative (step 18)', () => {
  it('create -f, label, create again (AlreadyExists), delete -f', async () => {
    const file = env.write('simple-pod/pod.yaml', POD);
    const cwd = env.path('simple-pod');
    expect(await env.ok(['create', '-f', 'pod.yaml'], { cwd })).toBe('pod/simple-pod created\n');
    let out = await env.ok(['get', 'pods', '--show-labels']);
    expect(out.split('\n')[0]).toBe('NAME         READY   STATUS    RESTARTS   AGE   LABELS');
    expect(row(out)[0]).toBe('simple-pod');
    expect(row(out).at(-1)).toBe('<none>');
    expect(await env.ok(['label', 'pod', 'simple-pod', 'app=simple-pod'])).toBe('pod/simple-pod labeled\n');
    out = await env.ok(['get', 'pods', '--show-labels']);
    expect(row(out).at(-1)).toBe('app=simple-pod');
    env.write('simple-pod/pod.yaml', LABELLED);
    const again = await env.minik(['create', '-f', 'pod.yaml'], { cwd });
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe('Error from server (AlreadyExists): error when creating "pod.yaml": pods "simple-pod" already exists\n');
    expect(await env.ok(['delete', '-f', file])).toBe('pod "simple-pod" deleted\n');
    const gone = await env.minik(['get', 'pods']);
    expect(gone.stderr).toBe('No resources found in default namespace.\n');
    expect(gone.code).toBe(0);
  });

  it('apply creates, then configures on a change, and is unchanged when re-applied', async () => {
    const cwd = env.path('simple-pod');
    env.write('simple-pod/pod.yaml', POD);
    expect(await env.ok(['apply', '-f', 'pod.yaml'], { cwd })).toBe('pod/simple-pod created\n');
    expect(row(await env.ok(['get', 'pods', '--show-labels'])).at(-1)).toBe('<none>');
    env.write('simple-pod/pod.yaml', LABELLED);
    expect(await env.ok(['apply', '-f', 'pod.yaml'], { cwd })).toBe('pod/simple-pod configured\n');
    expect(row(await env.ok(['get', 'pods', '--show-labels'])).at(-1)).toBe('app=simple-pod');
    expect(await env.ok(['apply', '-f', 'pod.yaml'], { cwd })).toBe('pod/simple-pod unchanged\n');
    // A label removed from the file is removed from the object (three-way merge).
    env.write('simple-pod/pod.yaml', POD);
    expect(await env.ok(['apply', '-f', 'pod.yaml'], { cwd })).toBe('pod/simple-pod configured\n');
    expect(row(await env.ok(['get', 'pods', '--show-labels'])).at(-1)).toBe('<none>');
    const live = JSON.parse(await env.ok(['get', 'pod', 'simple-pod', '-o', 'json']));
    expect(JSON.parse(live.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'])).toMatchObject({ kind: 'Pod', metadata: { name: 'simple-pod', namespace: 'default' } });
    expect(await env.ok(['delete', '-f', 'pod.yaml'], { cwd })).toBe('pod "simple-pod" deleted\n');
  });

  it('the real kubectl sees the same thing: apply, label, get --show-labels, delete', async () => {
    const cwd = env.path('simple-pod');
    env.write('simple-pod/pod.yaml', POD);
    let r = await env.kubectl(['apply', '-f', 'pod.yaml'], { cwd });
    expect(r.stdout).toBe('pod/simple-pod created\n');
    r = await env.kubectl(['apply', '-f', 'pod.yaml'], { cwd });
    expect(r.stdout).toBe('pod/simple-pod unchanged\n');
    env.write('simple-pod/pod.yaml', LABELLED);
    r = await env.kubectl(['apply', '-f', 'pod.yaml'], { cwd });
    expect(r.stdout).toBe('pod/simple-pod configured\n');
    r = await env.kubectl(['label', 'pod', 'simple-pod', 'tier=backend']);
    expect(r.stdout).toBe('pod/simple-pod labeled\n');
    // The pod is starting (STATUS and AGE move): compare until two runs see the same moment.
    let mine = '';
    for (let i = 0; i < 10; i++) {
      mine = await env.ok(['get', 'pods', '--show-labels']);
      r = await env.kubectl(['get', 'pods', '--show-labels']);
      if (r.stdout === mine) break;
      await new Promise((res) => setTimeout(res, 300));
    }
    expect(r.stdout).toBe(mine);
    expect(row(mine).at(-1)).toBe('app=simple-pod,tier=backend');
    r = await env.kubectl(['delete', '-f', 'pod.yaml'], { cwd });
    expect(r.stdout).toMatch(/^pod "simple-pod" deleted/);
    expect(r.code).toBe(0);
  });
});
