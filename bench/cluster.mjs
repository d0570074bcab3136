#!/usr/bin/env node
// bench/cluster: the cost of minik's cluster against Docker doing the same work directly,
// measured in one run on this machine:
//   1. `minik start --nodes 3` until every node is Ready, vs one `docker run -d` of a small image;
//   2. a 30-replica Deployment until every pod is Running, vs the same containers created and
//      started through the Engine API (30 app containers; and 30 pause+app pairs, which is what
//      a pod is);
//   3. idle CPU of the whole cluster (apiserver + agents) over 30 s;
//   4. memory of the apiserver and agents: RSS (counts the shared node binary once per process)
//      and PSS (shared pages split between processes: the memory really used).
//   node bench/cluster.mjs [--smoke]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
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
const replicas = smoke ? 6 : 30;
const idleSeconds = smoke ? 3 : 30;
const IMAGE = 'local/busybox:1.35';
const name = `bench${process.pid}`;
const home = mkdtempSync(join(tmpdir(), 'minik-bench-'));
const env = { ...process.env, MINIK_HOME: join(home, 'minik'), KUBECONFIG: join(home, 'kubeconfig'), HOME: home };

function minik(...args) {
  const r = spawnSync(process.execPath, [MINIK, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`minik ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function ensureImage() {
  try {
    execFileSync('docker', ['image', 'inspect', IMAGE], { stdio: 'ignore' });
  } catch {
    for (const s of [join(ROOT, '..', 'shared/env/offline-busybox-image'), '/work/shared/env/offline-busybox-image']) {
      try {
        execFileSync(s, [], { stdio: 'inherit' });
        return;
      } catch {}
    }
    throw new Error(`${IMAGE} is missing`);
  }
}

const time = (fn) => {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
};

ensureImage();
const docker = new Docker();
const rows = [['measure', 'minik', 'baseline', 'ratio', 'goal']];
try {
  // 1. cluster start vs one docker run
  const runOnce = time(() => execFileSync('docker', ['run', '-d', '--rm', '--name', `${name}-one`, IMAGE, 'sleep', '30'], { stdio: 'ignore' }));
  execFileSync('docker', ['rm', '-f', `${name}-one`], { stdio: 'ignore' });
  const start = time(() => minik('start', '--name', name, '--port', '0', '--nodes', '3'));
  rows.push(['start --nodes 3 until Ready (s)', fmt(start), fmt(runOnce), fmt(start / runOnce, 1) + 'x', '<= 3x']);

  // 2. 30-replica deployment vs direct Engine API
  const manifest = join(home, 'deploy.yaml');
  writeFileSync(manifest, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bench
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: bench}}
  template:
    metadata: {labels: {app: bench}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: c
        image: ${IMAGE}
        command: ["sleep", "3600"]
`);
  // Poll through one in-process client (spawning the CLI in a loop would load the machine).
  const kc = parse(readFileSync(env.KUBECONFIG, 'utf8'));
  const ctx = resolveContext(kc, {});
  const client = new ApiClient(ctx.client);
  const podsApi = client.resource({ group: '', version: 'v1', resource: 'pods' });
  const t0 = performance.now();
  minik('apply', '-f', manifest);
  for (;;) {
    const items = (await podsApi.list('default', { labelSelector: 'app=bench' })).items;
    if (items.length === replicas && items.every((p) => p.status?.phase === 'Running')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const deploy = (performance.now() - t0) / 1000;
  await client.close();

  const direct = async (pairs) => {
    const ids = [];
    const t = performance.now();
    await Promise.all(
      Array.from({ length: replicas }, async (_, i) => {
        let netMode;
        if (pairs) {
          const sb = await docker.containerCreate(`${name}-sb-${i}`, { Image: 'minik/pause:3.10', Labels: { 'io.minik.bench': name } });
          await docker.containerStart(sb);
          ids.push(sb);
          netMode = `container:${sb}`;
        }
        const id = await docker.containerCreate(`${name}-c-${i}`, { Image: IMAGE, Cmd: ['sleep', '3600'], Labels: { 'io.minik.bench': name }, HostConfig: netMode ? { NetworkMode: netMode } : {} });
        await docker.containerStart(id);
        ids.push(id);
      }),
    );
    const secs = (performance.now() - t) / 1000;
    await Promise.all(ids.map((id) => docker.containerRemove(id, { force: true })));
    return secs;
  };
  const bare = await direct(false);
  const pairs = await direct(true);
  rows.push([`${replicas}-replica deployment Running (s)`, fmt(deploy), fmt(bare), fmt(deploy / bare, 2) + 'x', '<= 1.2x']);
  rows.push([`  same, vs ${replicas} pause+app pairs (s)`, fmt(deploy), fmt(pairs), fmt(deploy / pairs, 2) + 'x', '']);

  // 3. idle CPU and 4. memory of the cluster's processes
  const pids = readdirSync(join(env.MINIK_HOME, name, 'run')).map((f) => JSON.parse(readFileSync(join(env.MINIK_HOME, name, 'run', f), 'utf8')).pid);
  const ticks = () => pids.reduce((s, p) => s + readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0), 0);
  minik('delete', 'deployment', 'bench');
  // Let the deletion settle (pods terminate, the garbage collector finishes) before measuring idle.
  await new Promise((r) => setTimeout(r, smoke ? 2000 : 15_000));
  const c0 = ticks();
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const cpu = ((ticks() - c0) / 100 / idleSeconds) * 100;
  rows.push([`idle CPU over ${idleSeconds}s (% of a core)`, fmt(cpu, 2) + '%', '', '', '< 0.5%']);
  let rss = 0;
  let pss = 0;
  for (const p of pids) {
    const s = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8');
    rss += Number(/^Rss:\s+(\d+)/m.exec(s)[1]);
    pss += Number(/^Pss:\s+(\d+)/m.exec(s)[1]);
  }
  rows.push([`memory, ${pids.length} processes, RSS (MB)`, fmt(rss / 1024, 0), '', '', '< 200']);
  rows.push([`memory, ${pids.length} processes, PSS (MB)`, fmt(pss / 1024, 0), '', '', '< 200']);
} finally {
  spawnSync(process.execPath, [MINIK, 'delete', '--name', name], { env });
  for (const c of await docker.containerList({ all: true, labels: { 'io.minik.bench': name } })) await docker.containerRemove(c.Id, { force: true });
  await docker.close();
  rmSync(home, { recursive: true, force: true });
}
console.log(`bench/cluster (${replicas} replicas${smoke ? ', smoke' : ''}), image ${IMAGE}, ${new Date().toISOString()}`);
console.log(table(rows));
