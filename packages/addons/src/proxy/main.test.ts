// The proxy's entry point: in-cluster settings from the environment, and the program itself
// (bundled with esbuild, as the add-on image carries it) against a real HTTPS apiserver.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient, issueCertificate } from '@minik/api';
import { startApiserver } from '@minik/apiserver';
import { inClusterConfig, SERVICE_ACCOUNT_DIR } from './config.js';

const HOST_IP = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function files(map: Record<string, string>) {
  return (p: string) => {
    if (p in map) return map[p];
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
  };
}

describe('inClusterConfig', () => {
  it("reads minik's variables and files", () => {
    const env = { MINIK_APISERVER: 'https://172.30.255.254:6443', MINIK_TOKEN_FILE: '/run/minik/token', MINIK_CA_FILE: '/run/minik/ca.crt' };
    expect(inClusterConfig(env, files({ '/run/minik/token': 'abc\n', '/run/minik/ca.crt': 'PEM' }))).toEqual({ server: 'https://172.30.255.254:6443', token: 'abc', ca: 'PEM' });
    // A file named explicitly must be there.
    expect(() => inClusterConfig(env, files({}))).toThrow(/ENOENT/);
  });

  it("falls back to Kubernetes' service variables and service account files", () => {
    const sa = { [`${SERVICE_ACCOUNT_DIR}/token`]: 'sa-token', [`${SERVICE_ACCOUNT_DIR}/ca.crt`]: 'CA' };
    expect(inClusterConfig({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, files(sa))).toEqual({ server: 'https://10.96.0.1:443', token: 'sa-token', ca: 'CA' });
    expect(inClusterConfig({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, files({}))).toEqual({ server: 'https://[fd00::1]:443', token: undefined, ca: undefined });
    expect(() => inClusterConfig({}, files(sa))).toThrow(/unable to load in-cluster configuration/);
  });
});

describe.skipIf(!HOST_IP)('the proxy program', () => {
  it('proxies its Service with in-cluster settings, logs listener changes, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minik-proxy-main-'));
    dirs.push(dir);
    const ca = issueCertificate({ commonName: 'test-ca', usage: 'ca', days: 1 });
    const cert = issueCertificate({ commonName: 'apiserver', hosts: ['127.0.0.1'], usage: 'server', days: 1 }, { ...ca, commonName: 'test-ca' });
    writeFileSync(join(dir, 'token'), 'secret-token\n');
    writeFileSync(join(dir, 'ca.crt'), ca.certPem);
    const server = await startApiserver({ dataDir: join(dir, 'data'), port: 0, token: 'secret-token', controllers: false, log: () => undefined, tls: { cert: cert.certPem, key: cert.keyPem, ca: ca.certPem } });
    const client = new ApiClient({ server: server.url, token: 'secret-token', ca: ca.certPem });
    const backend = net.createServer((s) => s.end('backend\n'));
    await new Promise<void>((r) => backend.listen({ port: 0, host: HOST_IP }, r));
    try {
      const port = await new Promise<number>((resolve) => {
        const s = net.createServer().listen({ port: 0, host: '127.0.0.1' }, () => {
          const p = (s.address() as net.AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
      await client.resource({ group: '', version: 'v1', resource: 'services' }).create('default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port }] } });

      const bundle = join(dir, 'proxy.mjs');
      await build({
        entryPoints: [fileURLToPath(new URL('./main.ts', import.meta.url))],
        outfile: bundle,
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        logLevel: 'error',
        alias: { '@minik/api': fileURLToPath(new URL('../../../api/src/index.ts', import.meta.url)) },
        banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      });
      const child = spawn(process.execPath, [bundle], {
        env: {
          PATH: process.env.PATH,
          SERVICE_NAMESPACE: 'default',
          SERVICE_NAME: 'web',
          MINIK_APISERVER: server.url,
          MINIK_TOKEN_FILE: join(dir, 'token'),
          MINIK_CA_FILE: join(dir, 'ca.crt'),
          PROXY_BIND_ADDRESS: '127.0.0.1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      const waitLog = async (text: string) => {
        for (let i = 0; i < 250 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 20));
        expect(out).toContain(text);
      };
      try {
        await waitLog(`port ${port}/TCP: no ready endpoints`);
        // The port is refused until there are endpoints.
        const refused = await new Promise<string>((r) => net.connect({ port, host: '127.0.0.1' }).on('error', (e: NodeJS.ErrnoException) => r(e.code!)).on('connect', () => r('connected')));
        expect(refused).toBe('ECONNREFUSED');
        await client.resource({ group: '', version: 'v1', resource: 'endpoints' }).update('default', {
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: { name: 'web', namespace: 'default' },
          subsets: [{ addresses: [{ ip: HOST_IP! }], ports: [{ port: (backend.address() as net.AddressInfo).port }] }],
        });
        await waitLog(`listening on TCP 127.0.0.1:${port} (port ${port}/TCP, 1 endpoint)`);
        const answer = await new Promise<string>((resolve, reject) => {
          let buf = '';
          net.connect({ port, host: '127.0.0.1' }).on('data', (d) => (buf += d)).on('end', () => resolve(buf)).on('error', reject);
        });
        expect(answer).toBe('backend\n');
        const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        if (process.env.MINIK_TEST_LOGS) console.log(`proxy RSS ${rss} kB\n${out}`);
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
      expect(out).toContain('SIGTERM: stopping');
      expect(out).not.toMatch(/error|watch /i);
    } finally {
      backend.close();
      await client.close();
      await server.close();
    }
  });
});
