// Against the real Docker Engine: every container and network is labelled io.minik.test=1
// plus this run's id, and removed in afterAll.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Docker } from './client.js';
import { demux, rawChunks } from './demux.js';
import { DockerError, DockerUnavailableError, ImagePullError, NoSuchImageError } from './errors.js';
import type { ContainerCreateBody, DockerEvent } from './types.js';

const BUSYBOX = 'local/busybox:1.35';
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const LABELS = { 'io.minik.test': '1', 'io.minik.test.run': RUN };
const SHARED_ENV = join(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/env');

const docker = new Docker();
let seq = 0;
const uniq = (what: string) => `minik-test-${what}-${RUN}-${++seq}`;

/** Creates and starts a busybox container; returns its id. */
async function run(cmd: string[] | string, extra: Partial<ContainerCreateBody> = {}): Promise<string> {
  const id = await docker.containerCreate(uniq('c'), {
    Image: BUSYBOX,
    Cmd: typeof cmd === 'string' ? ['sh', '-c', cmd] : cmd,
    Labels: LABELS,
    ...extra,
    HostConfig: { NetworkMode: 'none', ...extra.HostConfig },
  });
  await docker.containerStart(id);
  return id;
}

/** Everything a hijacked stream (exec, attach) says until it ends. */
async function drain(socket: Duplex, tty = false): Promise<{ stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  for await (const chunk of tty ? rawChunks(socket) : demux(socket)) out[chunk.stream] += chunk.data.toString();
  return out;
}

async function exec(id: string, cmd: string[], stdin?: string) {
  const execId = await docker.execCreate(id, { cmd, stdin: stdin !== undefined });
  const socket = await docker.execStart(execId);
  if (stdin !== undefined) socket.end(stdin); // end() half-closes: the process sees EOF
  const out = await drain(socket);
  return { ...out, ...(await docker.execInspect(execId)) };
}

beforeAll(async () => {
  try {
    await docker.ping();
  } catch {
    execFileSync(join(SHARED_ENV, 'ensure-docker'), { stdio: 'inherit' });
  }
  if (!(await docker.imageInspect(BUSYBOX))) {
    if (!existsSync(join(SHARED_ENV, 'offline-busybox-image'))) throw new Error(`${BUSYBOX} is missing`);
    execFileSync(join(SHARED_ENV, 'offline-busybox-image'), [BUSYBOX], { stdio: 'inherit' });
  }
}, 180_000);

afterAll(async () => {
  for (const c of await docker.containerList({ all: true, labels: { 'io.minik.test.run': RUN } })) {
    await docker.containerRemove(c.Id, { force: true, volumes: true });
  }
  for (const n of await docker.networkList({ labels: { 'io.minik.test.run': RUN } })) await docker.networkRemove(n.Id);
  await docker.close();
}, 60_000);

describe('system', () => {
  it('pings, and reports version and info', async () => {
    await docker.ping();
    const version = await docker.version();
    expect(Number(version.ApiVersion)).toBeGreaterThanOrEqual(1.41);
    expect(version.Arch).toMatch(/^(amd64|arm64)$/);
    const info = await docker.info();
    expect(info.ServerVersion).toBeTruthy();
    expect(info.NCPU).toBeGreaterThan(0);
  });

  it('says how to start Docker when nothing answers on the socket, quickly', async () => {
    const missing = new Docker({ socketPath: '/nonexistent/docker.sock' });
    const started = Date.now();
    const err = await missing.ping().catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(err).toBeInstanceOf(DockerUnavailableError);
    expect((err as Error).message).toBe(
      'Cannot connect to the Docker daemon at unix:///nonexistent/docker.sock. Is the docker daemon running? ' +
        'Start Docker (Docker Desktop, or `sudo systemctl start docker`) and try again.',
    );
    // Any other call fails the same way rather than with a raw ENOENT.
    await expect(missing.containerList()).rejects.toBeInstanceOf(DockerUnavailableError);
    await missing.close();
  });
});

describe('images', () => {
  it('inspects a local image, undefined when absent', async () => {
    const image = await docker.imageInspect(BUSYBOX);
    expect(image?.RepoTags).toContain(BUSYBOX);
    expect(await docker.imageInspect('minik-test/absent:0')).toBeUndefined();
  });

  it('fails a pull with Docker’s message when the registry cannot be reached', async () => {
    const err = await docker.imagePull('127.0.0.1:1/minik-test/absent:1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagePullError);
    expect((err as ImagePullError).ref).toBe('127.0.0.1:1/minik-test/absent:1');
    expect((err as Error).message).toMatch(/127\.0\.0\.1:1.*connection refused/);
  });

  it('refuses to create a container from an image that is not local', async () => {
    const err = await docker.containerCreate(uniq('noimg'), { Image: 'minik-test/absent:0', Labels: LABELS }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoSuchImageError);
    expect(err).toMatchObject({ status: 404, message: 'No such image: minik-test/absent:0' });
  });
});

describe('containers', () => {
  it('creates, lists by label, inspects, stops with the grace period, waits, removes', async () => {
    // sh as PID 1 ignores SIGTERM unless trapped: the trap makes stop return at once, exit 0.
    const id = await run(`trap 'exit 0' TERM; sleep 30 & wait`);
    const running = await docker.containerInspect(id);
    expect(running?.State.Running).toBe(true);
    expect(running?.Config.Labels).toMatchObject(LABELS);

    const listed = await docker.containerList({ labels: { 'io.minik.test.run': RUN, 'io.minik.test': true } });
    expect(listed.map((c) => c.Id)).toContain(id);

    const waited = docker.containerWait(id);
    const started = Date.now();
    await docker.containerStop(id, 10);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await waited).toMatchObject({ StatusCode: 0 });
    await docker.containerStop(id, 10); // already stopped: fine
    expect((await docker.containerList({ labels: { 'io.minik.test.run': RUN } })).map((c) => c.Id)).not.toContain(id);
    expect((await docker.containerList({ all: true, labels: { 'io.minik.test.run': RUN } })).map((c) => c.Id)).toContain(id);

    await docker.containerRemove(id, { volumes: true });
    expect(await docker.containerInspect(id)).toBeUndefined();
    await docker.containerRemove(id); // already gone: fine
  });

  it('kills with a signal; stop -t 0 kills at once', async () => {
    const a = await run(['sleep', '30']);
    await docker.containerKill(a, 'SIGKILL');
    expect((await docker.containerWait(a)).StatusCode).toBe(137);
    await expect(docker.containerKill(a)).rejects.toMatchObject({ status: 409 });

    const b = await run(['sleep', '30']);
    const started = Date.now();
    await docker.containerStop(b, 0);
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await docker.containerInspect(b))?.State).toMatchObject({ Running: false, ExitCode: 137 });
  });

  it('demultiplexes interleaved stdout and stderr logs; tail and timestamps', async () => {
    const id = await run('for i in 1 2 3; do echo out$i; sleep 0.02; echo err$i >&2; sleep 0.02; done');
    expect((await docker.containerWait(id)).StatusCode).toBe(0);
    const lines: string[] = [];
    for await (const c of docker.containerLogs(id)) lines.push(`${c.stream}:${c.data.toString()}`);
    expect(lines).toEqual(['stdout:out1\n', 'stderr:err1\n', 'stdout:out2\n', 'stderr:err2\n', 'stdout:out3\n', 'stderr:err3\n']);

    const tail: string[] = [];
    for await (const c of docker.containerLogs(id, { tail: 2, timestamps: true })) tail.push(c.data.toString());
    expect(tail).toHaveLength(2);
    expect(tail[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z out3\n$/);
    expect(tail[1]).toMatch(/ err3\n$/);

    // Docker 20.10 takes the tail of both streams together, then filters: of the last two
    // lines (out3, err3) only out3 is stdout.
    const stdoutTail: string[] = [];
    for await (const c of docker.containerLogs(id, { tail: 2, stderr: false })) stdoutTail.push(c.data.toString());
    expect(stdoutTail).toEqual(['out3\n']);
  });

  it('gives raw bytes for a TTY container', async () => {
    const id = await run('echo hi; echo err >&2', { Tty: true });
    await docker.containerWait(id);
    let all = '';
    for await (const c of docker.containerLogs(id)) {
      expect(c.stream).toBe('stdout');
      all += c.data.toString();
    }
    expect(all).toBe('hi\r\nerr\r\n'); // the terminal merges the streams and adds \r
  });

  it('follows logs: sees lines written later, ends quietly on abort', async () => {
    const id = await run('echo first; sleep 30');
    const abort = new AbortController();
    const seen: string[] = [];
    for await (const c of docker.containerLogs(id, { follow: true }, abort.signal)) {
      seen.push(c.data.toString());
      // Write to PID 1's stdout from an exec: a line that did not exist when following began.
      if (seen.length === 1) await exec(id, ['sh', '-c', 'echo second > /proc/1/fd/1']);
      if (seen.length === 2) abort.abort();
    }
    expect(seen).toEqual(['first\n', 'second\n']);
  });

  it('ends a followed log when the container exits', async () => {
    const id = await run('echo bye; sleep 0.3');
    const seen: string[] = [];
    for await (const c of docker.containerLogs(id, { follow: true })) seen.push(c.data.toString());
    expect(seen).toEqual(['bye\n']);
  });

  it('throws a DockerError for logs of an unknown container', async () => {
    await expect(docker.containerLogs('minik-test-nope').next()).rejects.toMatchObject({ status: 404 });
  });

  it('attaches to a shell: stdin in, demultiplexed output out, its exit code', async () => {
    const id = await run(['sh'], { OpenStdin: true, StdinOnce: true, AttachStdin: true });
    const socket = await docker.containerAttach(id, { stdin: true });
    socket.write('echo hi; echo oops >&2; exit 3\n');
    expect(await drain(socket)).toEqual({ stdout: 'hi\n', stderr: 'oops\n' });
    expect((await docker.containerWait(id)).StatusCode).toBe(3);
  });

  it('resizes a TTY container', async () => {
    const id = await run(['sh'], { OpenStdin: true, StdinOnce: true, Tty: true });
    const socket = await docker.containerAttach(id, { stdin: true });
    await docker.containerResize(id, 41, 121);
    socket.write('stty size; exit\n');
    expect((await drain(socket, true)).stdout).toContain('41 121');
  });
});

describe('exec', () => {
  let id: string;
  beforeAll(async () => {
    id = await run(['sleep', '60']);
  });

  it('runs with stdin, separate streams and the exit code', async () => {
    const r = await exec(id, ['sh', '-c', 'cat; echo done >&2; exit 7'], 'hello\nworld\n');
    expect(r).toMatchObject({ stdout: 'hello\nworld\n', stderr: 'done\n', ExitCode: 7, Running: false });
  });

  it('passes env, working dir and user', async () => {
    const execId = await docker.execCreate(id, { cmd: ['sh', '-c', 'echo $GREETING $(pwd) $(id -u)'], env: ['GREETING=hey'], workingDir: '/tmp', user: '65534' });
    expect((await drain(await docker.execStart(execId))).stdout).toBe('hey /tmp 65534\n');
  });

  it('runs with a TTY and resizes it', async () => {
    const execId = await docker.execCreate(id, { cmd: ['sh', '-c', 'sleep 0.3; stty size'], tty: true });
    const socket = await docker.execStart(execId, { tty: true });
    await docker.execResize(execId, 33, 111);
    expect((await drain(socket, true)).stdout).toBe('33 111\r\n');
    expect((await docker.execInspect(execId)).ExitCode).toBe(0);
  });

  it('reports Docker’s message when a hijack is refused', async () => {
    await expect(docker.execStart('0000000000000000000000000000000000000000000000000000000000000000')).rejects.toMatchObject({
      name: 'DockerError',
      status: 404,
      message: expect.stringMatching(/No such exec instance/),
    });
    const stopped = await run('true');
    await docker.containerWait(stopped);
    await expect(docker.execCreate(stopped, { cmd: ['true'] })).rejects.toMatchObject({ status: 409 });
    await expect(docker.containerAttach('minik-test-nope')).rejects.toBeInstanceOf(DockerError);
  });
});

describe('events', () => {
  it('streams container start and die with labels and exit code', async () => {
    const abort = new AbortController();
    const since = Math.floor(Date.now() / 1000) - 1; // Docker replays from here: no race with the subscription
    const events = docker.events(
      { filters: { type: ['container'], event: ['start', 'die'] }, labels: { 'io.minik.test.run': RUN }, since },
      abort.signal,
    );
    const name = uniq('ev');
    const id = await docker.containerCreate(name, { Image: BUSYBOX, Cmd: ['sh', '-c', 'exit 5'], Labels: LABELS, HostConfig: { NetworkMode: 'none' } });
    await docker.containerStart(id);
    const mine: DockerEvent[] = [];
    const timer = setTimeout(() => abort.abort(), 10_000);
    for await (const e of events) {
      if (e.Actor.ID !== id) continue;
      mine.push(e);
      if (e.Action === 'die') abort.abort();
    }
    clearTimeout(timer);
    expect(mine.map((e) => e.Action)).toEqual(['start', 'die']);
    expect(mine[1]!.Actor.Attributes).toMatchObject({ exitCode: '5', name, 'io.minik.test': '1' });
    expect(mine[1]!.Type).toBe('container');
  });
});

describe('networks', () => {
  it('creates a network with a subnet, gives a container a fixed IP, and shares its namespace', async () => {
    // A /24 in 10.213.0.0/16 that no other network on this host uses.
    let name = '';
    let net = '';
    let third = 0;
    for (let attempt = 0; !net; attempt++) {
      third = Math.floor(Math.random() * 250) + 1;
      name = uniq('net');
      try {
        net = await docker.networkCreate(name, {
          subnets: [{ subnet: `10.213.${third}.0/24`, gateway: `10.213.${third}.1`, ipRange: `10.213.${third}.128/25` }],
          labels: LABELS,
        });
      } catch (err) {
        if (attempt > 5 || !/overlap/i.test((err as Error).message)) throw err;
      }
    }
    const inspected = await docker.networkInspect(name);
    expect(inspected).toMatchObject({ Id: net, Driver: 'bridge', Labels: LABELS });
    expect(inspected!.IPAM.Config).toEqual([{ Subnet: `10.213.${third}.0/24`, Gateway: `10.213.${third}.1`, IPRange: `10.213.${third}.128/25` }]);
    expect((await docker.networkList({ labels: { 'io.minik.test.run': RUN } })).map((n) => n.Name)).toContain(name);

    // A fixed IP outside the dynamic range, like a pod IP chosen by the agent.
    const ip = `10.213.${third}.10`;
    const sandbox = await run(['httpd', '-f', '-p', '127.0.0.1:8080', '-h', '/etc'], {
      HostConfig: { NetworkMode: name },
      NetworkingConfig: { EndpointsConfig: { [name]: { IPAMConfig: { IPv4Address: ip } } } },
    });
    expect((await docker.containerInspect(sandbox))?.NetworkSettings.Networks[name]?.IPAddress).toBe(ip);

    // A second container in the first one's network namespace: same IP, same localhost.
    const app = await run(['sleep', '60'], { HostConfig: { NetworkMode: `container:${sandbox}` } });
    const addr = await exec(app, ['ip', '-4', 'addr', 'show', 'eth0']);
    expect(addr.stdout).toContain(`inet ${ip}/24`);
    const fetched = await exec(app, ['wget', '-qO-', 'http://127.0.0.1:8080/passwd']);
    expect(fetched).toMatchObject({ ExitCode: 0, stdout: expect.stringContaining('root:x:0:0') });

    // Connect and disconnect a container to a second network.
    const other = uniq('net');
    await docker.networkCreate(other, { subnets: [{ subnet: `10.214.${third}.0/24` }], labels: LABELS });
    await docker.networkConnect(other, sandbox, { ipv4Address: `10.214.${third}.20`, aliases: ['sandbox'] });
    let nets = (await docker.containerInspect(sandbox))!.NetworkSettings.Networks;
    expect(nets[other]?.IPAddress).toBe(`10.214.${third}.20`);
    expect(nets[other]?.Aliases).toContain('sandbox');
    await docker.networkDisconnect(other, sandbox);
    nets = (await docker.containerInspect(sandbox))!.NetworkSettings.Networks;
    expect(Object.keys(nets)).toEqual([name]);

    await docker.networkRemove(other);
    expect(await docker.networkInspect(other)).toBeUndefined();
    await docker.networkRemove(other); // already gone: fine
    // A network with containers cannot go.
    await expect(docker.networkRemove(name)).rejects.toMatchObject({ status: 403 });
  });
});
