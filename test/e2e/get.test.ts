// `minik get` as scripts and people use it: every output format, selectors, namespaces,
// several kinds at once, type/name, and -w streaming changes.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { Env, MINIK } from './harness.js';

const env = new Env();
const CMS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: alpha
  labels:
    app: web
    tier: front
data:
  k: v
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: beta
  labels:
    app: db
data:
  k: w
---
apiVersion: v1
kind: Namespace
metadata:
  name: other
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: gamma
  namespace: other
  labels:
    app: web
`;

beforeAll(async () => {
  await env.ok(['start', '--port', '0']);
  env.write('cms.yaml', CMS);
  expect(await env.ok(['apply', '-f', 'cms.yaml'])).toBe('configmap/alpha created\nconfigmap/beta created\nnamespace/other created\nconfigmap/gamma created\n');
});
afterAll(() => env.cleanup());

describe('get', () => {
  it('-o name, -l, -A, --no-headers, custom-columns, jsonpath', async () => {
    expect(await env.ok(['get', 'cm', '-o', 'name', '-l', 'app'])).toBe('configmap/alpha\nconfigmap/beta\n');
    expect(await env.ok(['get', 'cm', '-o', 'name', '-l', 'app=web', '-A'])).toBe('configmap/alpha\nconfigmap/gamma\n');
    expect(await env.ok(['get', 'cm', '-n', 'other', '-o', 'name', '-l', 'app'])).toBe('configmap/gamma\n');
    expect(await env.ok(['get', 'configmaps', '-l', 'app in (web,db)', '-o', 'custom-columns=NAME:.metadata.name,APP:.metadata.labels.app'])).toBe('NAME    APP\nalpha   web\nbeta    db\n');
    expect(await env.ok(['get', 'cm', '-l', 'app', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.data.k}{"\\n"}{end}'])).toBe('alpha=v\nbeta=w\n');
    expect(await env.ok(['get', 'cm', 'alpha', '-o', 'jsonpath={.metadata.labels.tier}'])).toBe('front');
    const noHeaders = await env.ok(['get', 'cm', '-l', 'app', '--no-headers']);
    expect(noHeaders.split('\n')[0]).toMatch(/^alpha\s+1\s+\d+s$/);
    const all = await env.ok(['get', 'cm', '-A', '-l', 'app=web']);
    expect(all.split('\n')[0]).toBe('NAMESPACE   NAME    DATA   AGE');
    expect(all).toMatch(/^other\s+gamma\s+0\s+\d+s$/m);
  });

  it('-o yaml and -o json: an object for a name, a List for a type', async () => {
    const one = await env.ok(['get', 'cm', 'alpha', '-o', 'yaml']);
    expect(one).toMatch(/^apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n/);
    const list = JSON.parse(await env.ok(['get', 'cm', '-l', 'app', '-o', 'json']));
    expect(list.kind).toBe('List');
    expect(list.items.map((i: { kind: string; metadata: { name: string } }) => `${i.kind}/${i.metadata.name}`)).toEqual(['ConfigMap/alpha', 'ConfigMap/beta']);
    // -o yaml round-trips into apply. Its resourceVersion is a precondition (as with kubectl):
    // once the object has moved on, applying the old copy again is a conflict.
    env.write('alpha.yaml', one);
    expect(await env.ok(['apply', '-f', 'alpha.yaml'])).toBe('configmap/alpha configured\n');
    const stale = await env.minik(['apply', '-f', 'alpha.yaml']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('Operation cannot be fulfilled on configmaps "alpha": the object has been modified');
    env.write('alpha.yaml', one.replace(/^  resourceVersion: .*\n/m, ''));
    expect(await env.ok(['apply', '-f', 'alpha.yaml'])).toBe('configmap/alpha configured\n');
    expect(await env.ok(['apply', '-f', 'alpha.yaml'])).toBe('configmap/alpha unchanged\n');
  });

  it('several kinds at once and type/name print kind-prefixed sections', async () => {
    const out = await env.ok(['get', 'cm/alpha', 'ns/other']);
    expect(out).toMatch(/^NAME\s+DATA\s+AGE\nconfigmap\/alpha\s+1\s+\d+s\n\nNAME\s+STATUS\s+AGE\nnamespace\/other\s+Active\s+\d+s\n$/);
    const missing = await env.minik(['get', 'cm', 'alpha', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/^NAME\s+DATA\s+AGE\nalpha\s+1\s+\d+s\n$/);
    expect(missing.stderr).toBe('Error from server (NotFound): configmaps "nope" not found\n');
    const ignored = await env.minik(['get', 'cm', 'nope', '--ignore-not-found']);
    expect(ignored).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('-w prints the list, then a row per change', async () => {
    const child = spawn(process.execPath, [MINIK, 'get', 'cm', '-w', '-l', 'watch=me'], { env: env.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 100 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toMatch(re);
    };
    await new Promise((r) => setTimeout(r, 500));
    env.write('w.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\n  labels:\n    watch: me\n');
    await env.ok(['apply', '-f', 'w.yaml']);
    await waitFor(/watched\s+0\s+\d+s\n/);
    await env.ok(['delete', 'cm', 'watched']);
    await waitFor(/watched\s+0\s+\d+s\n[\s\S]*watched\s+0\s+\d+s\n/);
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    expect(out.split('\n')[0]).toMatch(/^NAME\s+DATA\s+AGE$/);
  });
});
