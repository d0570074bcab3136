// The pause image against the real Docker Engine, under a tag of its own (removed afterwards);
// containers are labelled io.minik.test=1 plus this run's id and removed in afterAll.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Docker } from './client.js';
import { ensurePauseImage } from './pause-image.js';
import type { HostConfig } from './types.js';

const RUN = `${process.pid}-${Date.now().toString(36)}`;
const LABELS = { 'io.minik.test': '1', 'io.minik.test.run': RUN };
const TAG = `minik-test/pause:${RUN}`;
const BUSYBOX = 'local/busybox:1.35';
const SHARED_ENV = join(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/env');

const docker = new Docker();
let seq = 0;

async function runPause(hostConfig: HostConfig = {}): Promise<string> {
  const id = await docker.containerCreate(`minik-test-pause-${RUN}-${++seq}`, {
    Image: TAG,
    Labels: LABELS,
    HostConfig: { NetworkMode: 'none', ...hostConfig },
  });
  await docker.containerStart(id);
  return id;
}

beforeAll(async () => {
  try {
    await docker.ping();
  } catch {
    execFileSync(join(SHARED_ENV, 'ensure-docker'), { stdio: 'inherit' });
  }
  if (!(await docker.imageInspect(BUSYBOX)) && existsSync(join(SHARED_ENV, 'offline-busybox-image'))) {
    execFileSync(join(SHARED_ENV, 'offline-busybox-image'), [BUSYBOX], { stdio: 'inherit' });
  }
}, 180_000);

afterAll(async () => {
  for (const c of await docker.containerList({ all: true, labels: { 'io.minik.test.run': RUN } })) {
    await docker.containerRemove(c.Id, { force: true });
  }
  await docker.imageRemove(TAG, { force: true });
  await docker.close();
}, 60_000);

describe('pause image', () => {
  it('is built once, locally, a few hundred bytes, running /pause', async () => {
    const first = ensurePauseImage(docker, TAG);
    expect(ensurePauseImage(docker, TAG)).toBe(first); // concurrent callers share the build
    expect(await first).toBe(TAG);
    const image = await docker.imageInspect(TAG);
    expect(image!.Size).toBeGreaterThan(200);
    expect(image!.Size).toBeLessThan(400);
    expect(image!.Config.Cmd).toEqual(['/pause']);
    expect(image!.Architecture).toBe((await docker.version()).Arch);
    expect(await ensurePauseImage(docker, TAG)).toBe(TAG); // present: nothing to do
    expect((await docker.imageInspect(TAG))!.Id).toBe(image!.Id);
  });

  it('stays up as PID 1, asleep, in well under 1 MiB', async () => {
    await ensurePauseImage(docker, TAG);
    const id = await runPause();
    await new Promise((r) => setTimeout(r, 300));
    const state = (await docker.containerInspect(id))!.State;
    expect(state).toMatchObject({ Running: true, Status: 'running' });
    // Same host as the engine (not Docker Desktop's VM): look at the process itself.
    const proc = `/proc/${state.Pid}`;
    if (existsSync(proc)) {
      const status = readFileSync(`${proc}/status`, 'utf8');
      expect(status).toMatch(/^State:\s+S \(sleeping\)/m);
      const rssKiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]);
      expect(rssKiB).toBeLessThan(1024);
      // Asleep means no CPU time accrues: utime + stime (clock ticks, fields 14 and 15, after
      // the parenthesised name) do not move. (Start-up cost varies with machine load.)
      const ticks = () => {
        const stat = readFileSync(`${proc}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return Number(stat[11]) + Number(stat[12]);
      };
      const t0 = ticks();
      await new Promise((r) => setTimeout(r, 500));
      expect(ticks()).toBe(t0);
    }
  });

  it('holds a namespace other containers join', async () => {
    await ensurePauseImage(docker, TAG);
    // Docker 20.10's default IPC mode is private: a sandbox must be 'shareable' to be joined.
    const sandbox = await runPause({ IpcMode: 'shareable' });
    const app = await docker.containerCreate(`minik-test-pause-app-${RUN}`, {
      Image: BUSYBOX,
      Cmd: ['sh', '-c', 'ip -o link | cut -d: -f2'],
      Labels: LABELS,
      HostConfig: { NetworkMode: `container:${sandbox}`, IpcMode: `container:${sandbox}` },
    });
    await docker.containerStart(app);
    expect((await docker.containerWait(app)).StatusCode).toBe(0);
    let out = '';
    for await (const c of docker.containerLogs(app)) out += c.data.toString();
    expect(out.trim()).toBe('lo'); // the sandbox's (empty) network namespace
  });

  it('exits 0 at once on docker stop, and dies on SIGKILL', async () => {
    await ensurePauseImage(docker, TAG);
    const a = await runPause();
    const started = Date.now();
    await docker.containerStop(a, 10); // SIGTERM is handled: no 10 s wait for SIGKILL
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await docker.containerInspect(a))!.State.ExitCode).toBe(0);

    const b = await runPause();
    await docker.containerKill(b, 'SIGKILL');
    expect((await docker.containerWait(b)).StatusCode).toBe(137);
  });

  it('prints nothing', async () => {
    await ensurePauseImage(docker, TAG);
    const id = await runPause();
    await docker.containerStop(id, 0);
    const chunks = [];
    for await (const c of docker.containerLogs(id)) chunks.push(c);
    expect(chunks).toEqual([]);
  });
});
