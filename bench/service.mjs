#!/usr/bin/env node
// bench/service: what a Service costs on the way to a pod, measured in one run on this machine.
//   1. From a client pod to one backend pod (examples' backend:v0.0.1, a Node.js HTTP server):
//      through the Service's ClusterIP (minik's proxy) vs straight to the pod's IP.
//   2. From the host: through the Service's NodePort on 127.0.0.1 vs the same image run with
//      `docker run -p 127.0.0.1:PORT:8080` (Docker's published port).
// Each pair runs the same load program, alternating the two sides over three rounds, (a Node.js HTTP client, run inside the client pod for 1
// and on the host for 2) with three loads:
//   latency     one client, sequential requests on a kept-alive connection: p50/p99 ms
//   connect     one client, a new TCP connection per request: p50/p99 ms
//   throughput  16 clients on kept-alive connections: requests/s
// Goals (issue 4): ClusterIP latency <= 1.5x the pod IP's, throughput >= 0.7x.
//   node bench/service.mjs [--smoke]     (needs examples/build-images first)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { table, fmt } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MINIK = join(ROOT, 'bin', 'minik');
const smoke = process.argv.includes('--smoke');
const seconds = smoke ? 1 : 6;
const IMAGE = 'backend:v0.0.1';
const name = `benchsvc${process.pid}`;
const home = mkdtempSync(join(tmpdir(), 'minik-bench-svc-'));
const env = { ...process.env, MINIK_HOME: join(home, 'minik'), KUBECONFIG: join(home, 'kubeconfig'), HOME: home };

// The load program: `node -e LOAD URL MODE CLIENTS MS` prints {p50, p99, rps, errors}.
const LOAD = `
const http = require('node:http');
const [url, mode, clients, ms] = process.argv.slice(1);
const agent = mode === 'connect' ? false : new http.Agent({ keepAlive: true, maxSockets: Number(clients) });
const get = () => new Promise((resolve, reject) => {
  http.get(url, { agent }, (res) => { res.resume(); res.on('end', resolve); res.on('error', reject); }).on('error', reject);
});
(async () => {
  const lat = []; let errors = 0; let measuring = false; let stop = false;
  const loops = Array.from({ length: Number(clients) }, async () => {
    while (!stop) {
      const t0 = performance.now();
      try { await get(); if (measuring) lat.push(performance.now() - t0); } catch { errors++; }
    }
  });
  await new Promise((r) => setTimeout(r, 500));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, Number(ms)));
  measuring = false;
  const elapsed = performance.now() - t0;
  stop = true;
  await Promise.all(loops);
  lat.sort((a, b) => a - b);
  const pct = (p) => lat[Math.max(0, Math.min(lat.length - 1, Math.ceil(p / 100 * lat.length) - 1))];
  console.log(JSON.stringify({ p50: pct(50), p99: pct(99), rps: lat.length / elapsed * 1000, errors }));
})();
`;

function minik(...args) {
  const r = spawnSync(process.execPath, [MINIK, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`minik ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, fn, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {}
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * The three loads against `urlA` and `urlB`, alternating A and B over several rounds so drift on
 * this machine (CPU placement, other work) hits both alike; each figure is the median round.
 * `run(args)` runs the load program somewhere and returns its stdout.
 */
function measurePair(run, urlA, urlB) {
  const rounds = smoke ? 1 : 3;
  const ms = String(Math.round((seconds * 1000) / rounds));
  const out = [{}, {}];
  for (const [mode, clients] of [['latency', 1], ['connect', 1], ['throughput', 16]]) {
    const got = [[], []];
    for (let r = 0; r < rounds; r++) {
      [urlA, urlB].forEach((url, i) => {
        const res = JSON.parse(run([url, mode, String(clients), ms]));
        if (res.errors) console.error(`  ${mode} ${url}: ${res.errors} errors`);
        got[i].push(res);
      });
    }
    out.forEach((o, i) => (o[mode] = Object.fromEntries(['p50', 'p99', 'rps'].map((f) => [f, median(got[i].map((x) => x[f]))]))));
  }
  return out;
}

function compare(rows, label, got, base, baseLabel) {
  rows.push([`${label}: latency p50 (ms)`, fmt(got.latency.p50, 3), fmt(base.latency.p50, 3), fmt(got.latency.p50 / base.latency.p50) + 'x', '<= 1.5x', baseLabel]);
  rows.push([`${label}: latency p99 (ms)`, fmt(got.latency.p99, 3), fmt(base.latency.p99, 3), fmt(got.latency.p99 / base.latency.p99) + 'x', '', baseLabel]);
  rows.push([`${label}: new connection + request p50 (ms)`, fmt(got.connect.p50, 3), fmt(base.connect.p50, 3), fmt(got.connect.p50 / base.connect.p50) + 'x', '', baseLabel]);
  rows.push([`${label}: throughput, 16 clients (req/s)`, fmt(got.throughput.rps, 0), fmt(base.throughput.rps, 0), fmt(got.throughput.rps / base.throughput.rps) + 'x', '>= 0.7x', baseLabel]);
}

const rows = [['measure', 'minik', 'baseline', 'ratio', 'goal', 'baseline is']];
const baselineContainer = `${name}-published`;
try {
  execFileSync('docker', ['image', 'inspect', IMAGE], { stdio: 'ignore' });
} catch {
  console.error(`bench/service: ${IMAGE} is missing; run examples/build-images first`);
  process.exit(1);
}
try {
  minik('start', '--name', name, '--port', '0', '--nodes', '3');
  const manifest = join(home, 'backend.yaml');
  writeFileSync(
    manifest,
    `apiVersion: v1
kind: Pod
metadata:
  name: backend
  labels: {app: backend}
spec:
  containers:
  - name: backend
    image: ${IMAGE}
    ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: client
    image: ${IMAGE}
    command: ["node", "-e", "setInterval(() => {}, 1 << 30)"]
---
apiVersion: v1
kind: Service
metadata:
  name: backend
spec:
  type: NodePort
  selector: {app: backend}
  ports:
  - port: 80
    targetPort: 8080
`,
  );
  minik('apply', '-f', manifest);
  const podIP = await until('the backend pod', () => {
    const p = JSON.parse(minik('get', 'pod', 'backend', '-o', 'json'));
    return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && p.status.podIP;
  });
  await until('the client pod', () => JSON.parse(minik('get', 'pod', 'client', '-o', 'json')).status?.phase === 'Running');
  const svc = JSON.parse(minik('get', 'svc', 'backend', '-o', 'json'));
  const clusterIP = svc.spec.clusterIP;
  const nodePort = svc.spec.ports[0].nodePort;
  const inPod = (args) => minik('exec', 'client', '--', 'node', '-e', LOAD, ...args);
  // The Service's proxy is a pod too: wait until it answers.
  await until('the ClusterIP', () => JSON.parse(inPod([`http://${clusterIP}/`, 'latency', '1', '100'])).errors === 0);

  const [direct, viaService] = measurePair(inPod, `http://${podIP}:8080/`, `http://${clusterIP}/`);
  compare(rows, 'pod -> ClusterIP', viaService, direct, 'pod -> pod IP');

  // 2. From the host: NodePort vs a port Docker publishes.
  const port = await freePort();
  execFileSync('docker', ['run', '-d', '--rm', '--name', baselineContainer, '-p', `127.0.0.1:${port}:8080`, IMAGE], { stdio: 'ignore' });
  const onHost = (args) => execFileSync(process.execPath, ['-e', LOAD, ...args], { encoding: 'utf8' });
  await until('the published port', () => JSON.parse(onHost([`http://127.0.0.1:${port}/`, 'latency', '1', '100'])).errors === 0);
  await until('the NodePort', () => JSON.parse(onHost([`http://127.0.0.1:${nodePort}/`, 'latency', '1', '100'])).errors === 0);
  const [published, viaNodePort] = measurePair(onHost, `http://127.0.0.1:${port}/`, `http://127.0.0.1:${nodePort}/`);
  compare(rows, 'host -> NodePort', viaNodePort, published, 'docker -p 127.0.0.1');
} finally {
  spawnSync('docker', ['rm', '-f', baselineContainer], { stdio: 'ignore' });
  spawnSync(process.execPath, [MINIK, 'delete', '--name', name], { env });
  rmSync(home, { recursive: true, force: true });
}
console.log(`bench/service (${seconds} s per load${smoke ? ', smoke' : ''}), image ${IMAGE}, ${new Date().toISOString()}`);
console.log(table(rows));
