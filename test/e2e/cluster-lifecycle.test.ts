// `minik start|stop|status|delete` as a user runs them, with the real kubectl alongside.
import { describe, it, expect, afterAll } from 'vitest';
import { statSync, existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Env } from './harness.js';

const env = new Env();
afterAll(() => env.cleanup());

describe('cluster lifecycle', () => {
  it('start creates a cluster, writes a current kubeconfig context (0600) and is idempotent', async () => {
    const r = await env.minik(['start', '--port', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Creating cluster "minik"');
    const kc = parse(readFileSync(env.env.KUBECONFIG, 'utf8'));
    expect(kc['current-context']).toBe('minik');
    expect(kc.clusters[0].cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(kc.clusters[0].cluster['certificate-authority-data']).toBeTruthy();
    expect(kc.users[0].user.token).toMatch(/.{20,}/);
    expect(statSync(env.env.KUBECONFIG).mode & 0o777).toBe(0o600);
    const again = await env.minik(['start']);
    expect(again.code).toBe(0);
  });

  it('status reports a running cluster with exit code 0', async () => {
    const r = await env.minik(['status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^name: minik\napiserver: Running \(https:\/\/127\.0\.0\.1:\d+, pid \d+\)\nnode master: Ready \(pid \d+\)\nnode worker1: Ready \(pid \d+\)\nnode worker2: Ready \(pid \d+\)\nkubeconfig: Configured \(context "minik"\)\n$/,
    );
  });

  it('the real kubectl works with the kubeconfig minik wrote', async () => {
    const r = await env.kubectl(['get', 'ns']);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['NAME', 'default', 'kube-node-lease', 'kube-public', 'kube-system', '']);
    expect(r.stdout).toMatch(/^default\s+Active\s+\d+s$/m);
  });

  it('stop keeps state; clients then see kubectl\'s connection refused; start brings objects back', async () => {
    expect(await env.ok(['create', 'namespace', 'keepme'])).toBe('namespace/keepme created\n');
    const stop = await env.minik(['stop']);
    expect(stop.code).toBe(0);
    expect(stop.stderr).toContain('Stopped cluster "minik"');
    const st = await env.minik(['status']);
    expect(st.code).toBe(1);
    expect(st.stdout).toContain('apiserver: Stopped');
    expect(st.stdout).toContain('node worker1: Stopped');
    const kc = parse(readFileSync(env.env.KUBECONFIG, 'utf8'));
    const hostPort = new URL(kc.clusters[0].cluster.server).host;
    const get = await env.minik(['get', 'pods']);
    expect(get.code).toBe(1);
    expect(get.stderr).toBe(`The connection to the server ${hostPort} was refused - did you specify the right host or port?\n`);
    expect((await env.minik(['start'])).code).toBe(0);
    expect(await env.ok(['get', 'ns', 'keepme', '-o', 'name'])).toBe('namespace/keepme\n');
  });

  it('delete removes the state directory and the kubeconfig context', async () => {
    const r = await env.minik(['delete']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Deleted cluster "minik"');
    expect(existsSync(env.path('minik', 'minik'))).toBe(false);
    const kc = parse(readFileSync(env.env.KUBECONFIG, 'utf8'));
    expect(kc.contexts).toEqual([]);
    expect(kc['current-context']).toBe('');
  });

  it('rejects a bad cluster name', async () => {
    const r = await env.minik(['start', '--name', 'Bad_Name']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid cluster name "Bad_Name"');
  });
});
