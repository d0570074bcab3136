#!/usr/bin/env node
// bench/api: latency and throughput of the minik apiserver (create, get, list, update) at 1, 10
// and 100 concurrent clients, next to a bare Fastify route measured in the same run, over the
// same transport (HTTPS with keep-alive, as kubectl and controllers use it).
//   node bench/api.mjs [--smoke] [--seconds N]
// Requires a build (`pnpm run build`).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { Agent, request } from 'undici';
import { issueCertificate } from '../packages/api/dist/index.js';
import { load, paced, table, fmt } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const seconds = Number(args[args.indexOf('--seconds') + 1]) || (smoke ? 0.3 : 3);
const levels = smoke ? [1, 10] : [1, 10, 100];

const freePort = () =>
  new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });

async function waitReady(url, dispatcher) {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await request(`${url}/readyz`, { dispatcher });
      const t = await r.body.text();
      if (t === 'ok') return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not become ready`);
}

const dir = mkdtempSync(join(tmpdir(), 'minik-bench-'));
const ca = issueCertificate({ commonName: 'bench-ca', usage: 'ca', days: 1 });
const cert = issueCertificate({ commonName: 'bench', usage: 'server', hosts: ['127.0.0.1'], days: 1 }, { ...ca, commonName: 'bench-ca' });
for (const [f, v] of [['ca.crt', ca.certPem], ['tls.crt', cert.certPem], ['tls.key', cert.keyPem], ['token', 'bench\n']]) writeFileSync(join(dir, f), v);

const children = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

// The baseline: Fastify with the same TLS, one route answering a small JSON body.
const barePort = await freePort();
children.push(
  spawn(process.execPath, ['--input-type=module', '-e', `
    import Fastify from 'fastify';
    import { readFileSync } from 'node:fs';
    const app = Fastify({ https: { cert: readFileSync('${dir}/tls.crt'), key: readFileSync('${dir}/tls.key') } });
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default', resourceVersion: '1' }, data: { a: 'b' } };
    app.get('/readyz', async () => 'ok');
    app.get('/obj', async () => obj);
    app.post('/obj', async (req, reply) => reply.code(201).send(req.body));
    await app.listen({ port: ${barePort}, host: '127.0.0.1' });
  `], { stdio: 'inherit', cwd: ROOT }),
);

const apiPort = await freePort();
children.push(
  spawn(process.execPath, [join(ROOT, 'bin/minik'), 'apiserver', '--data-dir', join(dir, 'data'), '--port', String(apiPort), '--token-file', join(dir, 'token'), '--tls-cert-file', join(dir, 'tls.crt'), '--tls-private-key-file', join(dir, 'tls.key'), '--client-ca-file', join(dir, 'ca.crt')], { stdio: ['ignore', 'ignore', 'inherit'] }),
);

const dispatcher = new Agent({ connect: { ca: ca.certPem }, connections: 128, pipelining: 1 });
const api = `https://127.0.0.1:${apiPort}`;
const bare = `https://127.0.0.1:${barePort}`;
await waitReady(api, dispatcher);
await waitReady(bare, dispatcher);
const headers = { authorization: 'Bearer bench', 'content-type': 'application/json', accept: 'application/json' };

async function call(method, url, body) {
  const r = await request(url, { method, headers, body: body ? JSON.stringify(body) : undefined, dispatcher });
  const text = await r.body.text();
  if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${text.slice(0, 200)}`);
  return text;
}

const cm = (name, i = 0) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i), payload: 'x'.repeat(200) } });
const base = `${api}/api/v1/namespaces/default/configmaps`;
// `list` reads a namespace of exactly 100 objects; one object per client for `get` and `update`.
await call('POST', `${api}/api/v1/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'listed' } });
const listBase = `${api}/api/v1/namespaces/listed/configmaps`;
for (let i = 0; i < 100; i++) await call('POST', listBase, cm(`list-${i}`));
const rvs = new Map();
for (let c = 0; c < 100; c++) rvs.set(c, JSON.parse(await call('POST', base, cm(`own-${c}`))).metadata.resourceVersion);
let seq = 0;

const ops = {
  create: (c) => call('POST', base, cm(`new-${process.pid}-${seq++}`)),
  get: (c) => call('GET', `${base}/own-${c}`),
  list: () => call('GET', listBase),
  update: async (c, i) => {
    const obj = cm(`own-${c}`, i);
    obj.metadata.resourceVersion = rvs.get(c);
    rvs.set(c, JSON.parse(await call('PUT', `${base}/own-${c}`, obj)).metadata.resourceVersion);
  },
};
const bareOps = { create: () => call('POST', `${bare}/obj`, cm('x')), get: () => call('GET', `${bare}/obj`) };

// Closed loop: each client sends its next request as soon as the previous one is answered,
// so the cells show saturation (latency ≈ clients / throughput, by Little's law).
const rows = [['op', 'clients', 'minik p50 ms', 'minik p99 ms', 'minik req/s', 'bare p50 ms', 'bare p99 ms', 'bare req/s', 'p99 ratio', 'req/s ratio']];
for (const [name, op] of Object.entries(ops)) {
  for (const concurrency of levels) {
    const m = await load({ concurrency, durationMs: seconds * 1000, op });
    const b = await load({ concurrency, durationMs: seconds * 1000, op: name === 'get' || name === 'list' ? bareOps.get : bareOps.create });
    rows.push([name, concurrency, fmt(m.p50), fmt(m.p99), fmt(m.rps, 0), fmt(b.p50), fmt(b.p99), fmt(b.rps, 0), fmt(m.p99 / b.p99, 1) + 'x', fmt(m.rps / b.rps, 2) + 'x']);
    if (m.errors) rows[rows.length - 1].push(`errors=${m.errors}`);
  }
}
console.log(`bench/api: ${seconds}s per cell, HTTPS keep-alive, configmaps of ~250 bytes; list = 100 objects; bare = Fastify echo route (same TLS)`);
console.log('closed loop (saturation):');
console.log(table(rows));

// Open loop: 100 clients each sending one request every 100 ms (1000 req/s in all), the load
// of many controllers and users; latency here is what each client waits.
const open = [['op', 'clients', 'rate req/s', 'minik p50 ms', 'minik p99 ms', 'bare p50 ms', 'bare p99 ms', 'p99 ratio']];
for (const name of ['create', 'update', 'get']) {
  const m = await paced(100, 100, seconds * 1000, ops[name]);
  const b = await paced(100, 100, seconds * 1000, name === 'get' ? bareOps.get : bareOps.create);
  open.push([name, 100, 1000, fmt(m.p50), fmt(m.p99), fmt(b.p50), fmt(b.p99), fmt(m.p99 / b.p99, 1) + 'x']);
}
console.log('open loop (100 clients x 10 req/s):');
console.log(table(open));
const mut = open.slice(1).filter((r) => r[0] === 'create' || r[0] === 'update');
console.log(`goal: mutating p99 <= 10 ms at 100 clients -> ${mut.map((r) => `${r[0]} ${r[4]} ms`).join(', ')}`);
await dispatcher.close();
process.exit(0);
