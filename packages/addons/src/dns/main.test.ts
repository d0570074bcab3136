// The DNS pod's entry point: settings from the environment, and the program itself (bundled with
// esbuild, as the add-on image carries it) against a real HTTPS apiserver.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient, issueCertificate } from '@minik/api';
import { startApiserver } from '@minik/apiserver';
import { dnsSettings, SERVICE_ACCOUNT_DIR } from './config.js';
import { decodeMessage, encodeQuery, RCODE, TYPE, type DnsMessage } from './wire.js';

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

describe('dnsSettings', () => {
  it("reads minik's variables and files, with CoreDNS' ports by default", () => {
    const env = { MINIK_APISERVER: 'https://172.30.255.254:6443', MINIK_TOKEN_FILE: '/run/minik/token', MINIK_CA_FILE: '/run/minik/ca.crt' };
    expect(dnsSettings(env, files({ '/run/minik/token': 'abc\n', '/run/minik/ca.crt': 'PEM' }))).toEqual({
      api: { server: 'https://172.30.255.254:6443', token: 'abc', ca: 'PEM' },
      port: 53,
      clusterDomain: 'cluster.local',
      upstream: undefined,
      ttl: 5,
      healthPort: 8080,
      readyPort: 8181,
      metricsPort: 9153,
    });
    expect(() => dnsSettings(env, files({}))).toThrow(/ENOENT/);
  });

  it("falls back to Kubernetes' variables and service account files; takes overrides", () => {
    const sa = { [`${SERVICE_ACCOUNT_DIR}/token`]: 'sa-token', [`${SERVICE_ACCOUNT_DIR}/ca.crt`]: 'CA' };
    expect(dnsSettings({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, files(sa)).api).toEqual({ server: 'https://10.96.0.1:443', token: 'sa-token', ca: 'CA' });
    expect(dnsSettings({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, files({})).api).toEqual({ server: 'https://[fd00::1]:443', token: undefined, ca: undefined });
    expect(() => dnsSettings({}, files(sa))).toThrow(/unable to load in-cluster configuration/);
    const s = dnsSettings({ MINIK_APISERVER: 'https://a:1', MINIK_DNS_PORT: '5353', MINIK_DNS_UPSTREAM: '1.1.1.1, 8.8.8.8:53', MINIK_CLUSTER_DOMAIN: 'corp.internal', MINIK_DNS_TTL: '30' }, files({}));
    expect(s).toMatchObject({ port: 5353, upstream: ['1.1.1.1', '8.8.8.8:53'], clusterDomain: 'corp.internal', ttl: 30 });
    expect(() => dnsSettings({ MINIK_APISERVER: 'https://a:1', MINIK_DNS_PORT: 'x' }, files({}))).toThrow(/MINIK_DNS_PORT/);
  });
});

async function freePort(): Promise<number> {
  for (;;) {
    const u = dgram.createSocket('udp4');
    await new Promise<void>((r) => u.bind(0, '127.0.0.1', r));
    const port = u.address().port;
    u.close();
    const free = await new Promise<boolean>((r) => {
      const s = net.createServer().once('error', () => r(false));
      s.listen(port, '127.0.0.1', () => s.close(() => r(true)));
    });
    if (free) return port;
  }
}

async function ask(port: number, name: string): Promise<DnsMessage> {
  const sock = dgram.createSocket('udp4');
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer')), 2000);
      sock.on('message', (raw) => {
        clearTimeout(timer);
        resolve(decodeMessage(raw));
      });
      sock.send(encodeQuery(1, name, TYPE.A), port, '127.0.0.1');
    });
  } finally {
    sock.close();
  }
}

describe('the DNS program', () => {
  it('serves the cluster with in-cluster settings, logs one line at start, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minik-dns-main-'));
    dirs.push(dir);
    const ca = issueCertificate({ commonName: 'test-ca', usage: 'ca', days: 1 });
    const cert = issueCertificate({ commonName: 'apiserver', hosts: ['127.0.0.1'], usage: 'server', days: 1 }, { ...ca, commonName: 'test-ca' });
    writeFileSync(join(dir, 'token'), 'secret-token\n');
    writeFileSync(join(dir, 'ca.crt'), ca.certPem);
    const server = await startApiserver({ dataDir: join(dir, 'data'), port: 0, token: 'secret-token', controllers: false, log: () => undefined, tls: { cert: cert.certPem, key: cert.keyPem, ca: ca.certPem } });
    const client = new ApiClient({ server: server.url, token: 'secret-token', ca: ca.certPem });
    try {
      await client.resource({ group: '', version: 'v1', resource: 'services' }).create('kube-system', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns' }, spec: { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] } });
      const bundle = join(dir, 'dns.mjs');
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
      const [port, health, ready, metrics] = [await freePort(), await freePort(), await freePort(), await freePort()];
      const child = spawn(process.execPath, [bundle], {
        env: {
          PATH: process.env.PATH,
          MINIK_APISERVER: server.url,
          MINIK_TOKEN_FILE: join(dir, 'token'),
          MINIK_CA_FILE: join(dir, 'ca.crt'),
          MINIK_DNS_PORT: String(port),
          MINIK_DNS_UPSTREAM: '127.0.0.1:9',
          MINIK_DNS_HEALTH_PORT: String(health),
          MINIK_DNS_READY_PORT: String(ready),
          MINIK_DNS_METRICS_PORT: String(metrics),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      try {
        for (let i = 0; i < 250 && !out.includes('cluster DNS'); i++) await new Promise((r) => setTimeout(r, 20));
        expect(out).toContain(`cluster DNS for cluster.local on 0.0.0.0:${port} (UDP, TCP); upstream 127.0.0.1:9; health :${health}/health, ready :${ready}/ready, metrics :${metrics}/metrics; API ${server.url}\n`);
        const m = await ask(port, 'kube-dns.kube-system.svc.cluster.local');
        expect(m.answers.map((a) => 'address' in a && a.address)).toEqual(['10.96.0.10']);
        expect((await ask(port, 'example.com')).rcode).toBe(RCODE.SERVFAIL);
        expect((await fetch(`http://127.0.0.1:${ready}/ready`)).status).toBe(200);
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
      expect(out).toContain('SIGTERM: stopping');
      expect(out.trim().split('\n')).toHaveLength(3); // start, the upstream failure, stop
    } finally {
      await client.close();
      await server.close();
    }
  });
});
