// `minik describe` and `minik edit` against a real cluster: edits made by small editor
// scripts (EDITOR), and describe output compared with the real kubectl when it is installed.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env } from './harness.js';

const env = new Env('minik-describe-edit-');
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: fast}
`;

/** An editor script: `sh` code run with the file as $1; STEP counts the invocations. */
function editor(name: string, body: string): string {
  const path = env.write(`${name}.sh`, `#!/bin/sh\nSTEP=$(($(cat "$0.step" 2>/dev/null || echo 0) + 1)); echo $STEP > "$0.step"\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Runs `minik edit` with the editor settings given and temp files kept in the test's directory. */
const edit = (args: string[], editorEnv: Record<string, string>) => env.minik(['edit', ...args], { env: { KUBE_EDITOR: '', TMPDIR: env.path('tmp'), ...editorEnv } });

const labels = async () => JSON.parse(await env.ok(['get', 'deploy', 'web', '-o', 'json'])).metadata.labels;

beforeAll(async () => {
  const start = await env.minik(['start']);
  if (start.code !== 0) throw new Error(start.stderr);
  await env.ok(['apply', '-f', env.write('app.yaml', DEPLOYMENT)]);
  mkdirSync(env.path('tmp'));
});
afterAll(() => env.cleanup());

describe('minik edit', () => {
  it('applies a label added in $EDITOR and reports the object edited', async () => {
    const ed = editor('add-label', `sed -i 's/^    app: web$/    app: web\\n    tier: frontend/' "$1"`);
    const r = await edit(['deployment', 'web', '--output-patch'], { EDITOR: ed });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Patch: {"metadata":{"labels":{"tier":"frontend"}}}\ndeployment.apps/web edited\n');
    expect(r.code).toBe(0);
    expect(await labels()).toEqual({ app: 'web', tier: 'frontend' });
  });

  it('prefers KUBE_EDITOR, runs editor strings with arguments, and shows the kubectl header', async () => {
    // Quoted editor strings go through the shell with the file appended: $1 is "slow", $2 the file.
    const ed = editor('copy', `cp "$2" "$0.buffer"; sed -i "s/mode: fast/mode: $1/" "$2"`);
    const r = await edit(['cm/settings'], { KUBE_EDITOR: `'${ed}' slow`, EDITOR: 'false' });
    expect(r).toEqual({ code: 0, stdout: 'configmap/settings edited\n', stderr: '' });
    expect(JSON.parse(await env.ok(['get', 'cm', 'settings', '-o', 'json'])).data).toEqual({ mode: 'slow' });
    const buffer = spawnSync('cat', [`${ed}.buffer`], { encoding: 'utf8' }).stdout;
    expect(buffer.startsWith("# Please edit the object below. Lines beginning with a '#' will be ignored,\n")).toBe(true);
    expect(buffer).toContain('\nkind: ConfigMap\n');
  });

  it('cancels when nothing changed', async () => {
    const r = await edit(['svc', 'web'], { EDITOR: 'true' });
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'Edit cancelled, no changes made.\n' });
  });

  it('reopens the editor with the server\'s reasons when the change is invalid', async () => {
    const ed = editor(
      'invalid-then-fixed',
      `cp "$1" "$0.buffer.$STEP"
if [ $STEP = 1 ]; then sed -i 's/^  replicas: 2$/  replicas: -1/' "$1"; else sed -i 's/^  replicas: -1$/  replicas: 3/' "$1"; fi`,
    );
    const r = await edit(['deploy/web'], { EDITOR: ed });
    expect(r.stderr).toBe('error: deployments.apps "web" is invalid\n');
    expect(r.stdout).toBe('deployment.apps/web edited\n');
    const second = spawnSync('cat', [`${ed}.buffer.2`], { encoding: 'utf8' }).stdout;
    expect(second).toContain('#\n# deployments.apps "web" was not valid:\n# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n#\n');
    expect(JSON.parse(await env.ok(['get', 'deploy', 'web', '-o', 'json'])).spec.replicas).toBe(3);
  });

  it('keeps a copy of the file when the user gives up after an error', async () => {
    const ed = editor('emptied', ': > "$1"');
    const r = await edit(['deploy', 'web'], { EDITOR: ed });
    expect(r.code).toBe(1);
    // As with kubectl, both passes' files stay; the message names the last one.
    const kept = readdirSync(env.path('tmp'));
    expect(kept).toEqual([expect.stringMatching(/^minik-edit-\d+\.yaml$/), expect.stringMatching(/^minik-edit-\d+\.yaml$/)]);
    const m = /^error: deployments\.apps "web" is invalid\nA copy of your changes has been stored to "(.+)"\nerror: Edit cancelled, no valid changes were saved\.\n$/.exec(r.stderr);
    expect(kept.map((f) => env.path('tmp', f))).toContain(m?.[1]);
  });

  it('fails like kubectl for a missing object', async () => {
    const r = await edit(['deploy', 'nope'], { EDITOR: 'true' });
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n' });
  });
});

describe('minik describe', () => {
  it('describes a deployment, its pod template and events section', async () => {
    const out = await env.ok(['describe', 'deployment', 'web']);
    expect(out).toMatch(/^Name:\s+web\nNamespace:\s+default\nCreationTimestamp:\s+\w{3}, \d\d \w{3} \d{4} [\d:]{8} [+-]\d{4}\n/);
    expect(out).toContain('\nLabels:                 app=web\n                        tier=frontend\n');
    expect(out).toContain('\nPod Template:\n  Labels:  app=web\n  Containers:\n   nginx:\n    Image:         nginx:1.25\n');
  });

  it('separates several objects with two blank lines and describes by name prefix', async () => {
    const all = await env.ok(['describe', 'ns']);
    expect(all.split('\n\n\nName:').length).toBeGreaterThanOrEqual(4);
    const prefix = await env.ok(['describe', 'ns', 'kube-']);
    expect(prefix.match(/^Name:/gm)?.length).toBe(3);
    expect(prefix.endsWith('\n\n')).toBe(true);
  });

  it('reports missing objects and empty results as kubectl does', async () => {
    expect(await env.minik(['describe', 'pod', 'nope'])).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    expect(await env.minik(['describe', 'pods', '-l', 'none=here'])).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
  });

  it.skipIf(!hasKubectl)('prints what the real kubectl prints', async () => {
    // Without events: their ages could tick between the two runs.
    for (const args of [['describe', 'deploy', 'web', '--show-events=false'], ['describe', 'svc', 'web'], ['describe', 'cm', 'settings'], ['describe', 'ns', 'default'], ['describe', 'sa']]) {
      const [k, m] = [await env.kubectl(args), await env.minik(args)];
      expect({ args, stdout: m.stdout, stderr: m.stderr }).toEqual({ args, stdout: k.stdout, stderr: k.stderr });
    }
  });
});
