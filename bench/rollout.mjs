#!/usr/bin/env node
// bench/rollout: what a rollout and a node failure take, measured in one run on this machine.
//   1. A rolling update of a 10-replica Deployment (maxSurge 1, maxUnavailable 0) until
//      complete, against doing the same with Docker directly: 10 times, start a new container
//      and then stop and remove an old one (the order that strategy imposes).
//   2. With `--fast-failover`: `minik node stop` of a worker running pods of a 3-replica
//      Deployment until all 3 are Ready on other nodes (goal < 10 s).
//   node bench/rollout.mjs [--smoke]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Docker } from '../packages/node-agent/dist/index.js';
import { ApiClient, resolveContext } from '../packages/api/dist/index.js';
import { parse } from 'yaml';
import { table, fmt } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MINIK = join(ROOT, 'bin', 'minik');
const smoke = process.argv.includes('--smoke');
const replicas = smoke ? 4 : 10;
const IMAGE = 'local/busybox:1.35';
const name = `benchro${process.pid}`;
const home = mkdtempSync(join(tmpdir(), 'minik-bench-rollout-'));
const env = { ...process.env, MINIK_HOME: join(home, 'minik'), KUBECONFIG: join(home, 'kubeconfig'), HOME: home };

function minik(...args) {
  const r = spawnSync(process.execPath, [MINIK, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`minik ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const deployment = (n, version) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bench
spec:
  replicas: ${n}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  selector: {matchLabels: {app: bench}}
  template:
    metadata: {labels: {app: bench}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: c
        image: ${IMAGE}
        command: ["sleep", "3600"]
        env: [{name: VERSION, value: "${version}"}]
`;

async function until(fn, ms = 120_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const rows = [['measure', 'minik', 'baseline', 'ratio', 'goal']];
const docker = new Docker();
try {
  execFileSync('docker', ['image', 'inspect', IMAGE], { stdio: 'ignore' });
  minik('start', '--name', name, '--port', '0', '--nodes', '3', '--fast-failover');
  const kc = parse(readFileSync(env.KUBECONFIG, 'utf8'));
  const client = new ApiClient(resolveContext(kc, {}).client);
  const deploys = client.resource({ group: 'apps', version: 'v1', resource: 'deployments' });
  const podsApi = client.resource({ group: '', version: 'v1', resource: 'pods' });
  const complete = async (n) => {
    const d = await deploys.get('default', 'bench');
    const s = d.status ?? {};
    return d.metadata.generation <= (s.observedGeneration ?? 0) && s.updatedReplicas === n && s.replicas === n && s.availableReplicas === n;
  };

  // 1. rolling update
  const file = join(home, 'deploy.yaml');
  writeFileSync(file, deployment(replicas, 'v1'));
  minik('apply', '-f', file);
  await until(() => complete(replicas));
  writeFileSync(file, deployment(replicas, 'v2'));
  const t0 = performance.now();
  minik('apply', '-f', file);
  await until(() => complete(replicas));
  const rollout = (performance.now() - t0) / 1000;

  const direct = async () => {
    const old = [];
    for (let i = 0; i < replicas; i++) {
      const id = await docker.containerCreate(`${name}-old-${i}`, { Image: IMAGE, Cmd: ['sleep', '3600'], Labels: { 'io.minik.bench': name } });
      await docker.containerStart(id);
      old.push(id);
    }
    const fresh = [];
    const t = performance.now();
    for (let i = 0; i < replicas; i++) {
      const id = await docker.containerCreate(`${name}-new-${i}`, { Image: IMAGE, Cmd: ['sleep', '3600'], Labels: { 'io.minik.bench': name } });
      await docker.containerStart(id);
      fresh.push(id);
      await docker.containerStop(old[i], 0);
      await docker.containerRemove(old[i], { force: true });
    }
    const secs = (performance.now() - t) / 1000;
    await Promise.all(fresh.map((id) => docker.containerRemove(id, { force: true })));
    return secs;
  };
  const baseline = await direct();
  rows.push([`rolling update, ${replicas} replicas, surge 1 (s)`, fmt(rollout), fmt(baseline), fmt(rollout / baseline) + 'x', '<= 1.3x']);
  minik('delete', 'deployment', 'bench');
  await until(async () => (await podsApi.list('default', { labelSelector: 'app=bench' })).items.length === 0);

  // 2. node failure with --fast-failover
  writeFileSync(file, deployment(3, 'v1'));
  minik('apply', '-f', file);
  await until(() => complete(3));
  const placed = (await podsApi.list('default', { labelSelector: 'app=bench' })).items;
  const victim = placed.some((p) => p.spec.nodeName === 'worker1') ? 'worker1' : 'worker2';
  const t1 = performance.now();
  minik('node', 'stop', victim, '--name', name);
  await until(async () => {
    const ps = (await podsApi.list('default', { labelSelector: 'app=bench' })).items.filter((p) => !p.metadata.deletionTimestamp);
    return ps.length === 3 && ps.every((p) => p.spec.nodeName !== victim && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  });
  const failover = (performance.now() - t1) / 1000;
  rows.push(['node stop until its pods are Ready elsewhere (s)', fmt(failover), '', '', '< 10 s']);
  await client.close();
} finally {
  spawnSync(process.execPath, [MINIK, 'delete', '--name', name], { env });
  for (const c of await docker.containerList({ all: true, labels: { 'io.minik.bench': name } })) await docker.containerRemove(c.Id, { force: true });
  await docker.close();
  rmSync(home, { recursive: true, force: true });
}
console.log(`bench/rollout (${replicas} replicas${smoke ? ', smoke' : ''}), image ${IMAGE}, ${new Date().toISOString()}`);
console.log(table(rows));
