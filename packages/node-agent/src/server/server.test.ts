// The agent's API over real HTTP with a fake Docker: token check, container logs (options,
// limits, kubelet's errors), exec and attach through the remotecommand WebSocket client (stdin,
// channels, resizes in order, exit codes), and the answers to refused or SPDY upgrades.
import http from 'node:http';
import { Duplex, PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCodeError, openRemoteCommand, streamRemoteCommand } from '@minik/api';
import type { Docker, LogsOptions, StreamChunk } from '../docker/index.js';
import type { ContainerInfo, RuntimeView } from '../runtime.js';
import { startAgentServer, type AgentServer } from './index.js';

const TOKEN = 'sekret';

function info(p: Partial<ContainerInfo>): ContainerInfo {
  return { id: 'c1', name: 'n', role: 'app', container: 'main', podUid: 'u1', podName: 'p', namespace: 'default', attempt: 0, specHash: '', state: 'running', exitCode: 0, oomKilled: false, imageId: '', image: '', tty: false, ...p };
}

/** Docker's multiplexed frame. */
const frame = (stream: 1 | 2, text: string) => {
  const data = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(data.length, 4);
  return Buffer.concat([h, data]);
};

/** A process behind a hijacked stream: upper-cases stdin to stdout, says bye on stderr at EOF. */
function fakeProcess(tty: boolean): Duplex {
  const toDocker = new PassThrough();
  const fromDocker = new PassThrough();
  toDocker.on('data', (d: Buffer) => fromDocker.write(tty ? d.toString().toUpperCase() : frame(1, d.toString().toUpperCase())));
  toDocker.on('end', () => {
    fromDocker.write(tty ? 'bye' : frame(2, 'bye'));
    fromDocker.end();
  });
  return Duplex.from({ readable: fromDocker, writable: toDocker });
}

class FakeDocker {
  logCalls: { id: string; options: LogsOptions }[] = [];
  resizes: string[] = [];
  execs: { cmd: string[]; tty?: boolean; stdin?: boolean }[] = [];
  exitCode = 0;
  /** What Docker says of the container once attached (the agent's view may lag it). */
  running = true;
  stdinOnce = false;
  attachStreams: Duplex[] = [];
  attachOptions: Record<string, unknown>[] = [];
  /** Whether attached streams carry raw (TTY) bytes rather than multiplexed frames. */
  attachTty = true;

  /** A followed log ends before the last line (Docker 20.10 at a container's exit). */
  followMisses = false;
  async *containerLogs(id: string, options: LogsOptions): AsyncGenerator<StreamChunk> {
    this.logCalls.push({ id, options });
    yield { stream: 'stdout', data: Buffer.from(`log of ${id}\n`) };
    if (options.follow && this.followMisses) return;
    yield { stream: 'stderr', data: Buffer.from('0123456789\n') };
  }
  async execCreate(_id: string, o: { cmd: string[]; tty?: boolean; stdin?: boolean }) {
    this.execs.push(o);
    return 'exec1';
  }
  async execStart(_id: string, o: { tty?: boolean }) {
    return fakeProcess(!!o.tty);
  }
  async execResize(_id: string, rows: number, cols: number) {
    // The first resize is slow: a later one must still be applied last.
    if (!this.resizes.length) await new Promise((r) => setTimeout(r, 30));
    this.resizes.push(`${rows}x${cols}`);
  }
  async execInspect() {
    return { ID: 'exec1', Running: false, ExitCode: this.exitCode, Pid: 1, ContainerID: 'c1' };
  }
  async containerAttach(_id: string, o: Record<string, unknown>) {
    this.attachOptions.push(o);
    const s = fakeProcess(this.attachTty);
    this.attachStreams.push(s);
    return s;
  }
  async containerInspect() {
    return { Id: 'c1', State: { Running: this.running }, Config: { StdinOnce: this.stdinOnce } };
  }
  async containerResize(_id: string, rows: number, cols: number) {
    this.resizes.push(`${rows}x${cols}`);
  }
}

let server: AgentServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(containers: ContainerInfo[]) {
  const docker = new FakeDocker();
  const runtime = { all: () => containers } as unknown as RuntimeView;
  server = await startAgentServer({ docker: docker as unknown as Docker, runtime, token: TOKEN, log: () => {} });
  return { docker, base: `http://127.0.0.1:${server.port}` };
}

function get(url: string, token = TOKEN): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

const collect = () => {
  let text = '';
  const w = new PassThrough();
  w.on('data', (d) => (text += d));
  return { w, text: () => text };
};

describe('agent server', () => {
  it('requires the cluster token', async () => {
    const { base } = await start([]);
    expect(await get(`${base}/containerLogs/default/p/main`, 'wrong')).toEqual({ code: 401, body: 'Unauthorized' });
    expect(await get(`${base}/healthz`)).toEqual({ code: 200, body: 'ok' });
  });

  it('serves container logs with kubelet’s options and errors', async () => {
    const { base, docker } = await start([info({ id: 'old', attempt: 0, state: 'exited' }), info({ id: 'cur', attempt: 1 })]);
    expect(await get(`${base}/containerLogs/default/p/main?tailLines=5&timestamps=true&follow=true`)).toEqual({ code: 200, body: 'log of cur\n0123456789\n' });
    expect(docker.logCalls[0]).toMatchObject({ id: 'cur', options: { follow: true, timestamps: true, tail: 5, tty: false } });
    expect(await get(`${base}/containerLogs/default/p/main?previous=true&limitBytes=15`)).toEqual({ code: 200, body: 'log of old\n0123' });
    expect(await get(`${base}/containerLogs/default/p/other`)).toEqual({ code: 400, body: 'container "other" in pod "p" is waiting to start: ContainerCreating' });
    expect((await get(`${base}/containerLogs/default/p/main?tailLines=x`)).code).toBe(400);
  });

  it('runs exec: stdin in, stdout and stderr out, resizes in order, exit code in the status', async () => {
    const { base, docker } = await start([info({})]);
    docker.exitCode = 3;
    const ws = await openRemoteCommand({ client: { server: base, token: TOKEN }, path: '/exec/default/p/u1/main', query: [['command', 'cat'], ['stdin', '1'], ['stdout', '1'], ['stderr', '1']] });
    const out = collect();
    const err = collect();
    const run = streamRemoteCommand(ws, { stdin: Readable.from([Buffer.from('hi')]), stdout: out.w, stderr: err.w });
    await expect(run).rejects.toBeInstanceOf(ExitCodeError);
    await expect(run).rejects.toMatchObject({ exitCode: 3 });
    expect(out.text()).toBe('HI');
    expect(err.text()).toBe('bye');
    expect(docker.execs).toEqual([{ cmd: ['cat'], tty: false, stdin: true }]);
  });

  it('gives a TTY exec the terminal size changes, last one winning', async () => {
    const { base, docker } = await start([info({})]);
    const ws = await openRemoteCommand({ client: { server: base, token: TOKEN }, path: '/exec/default/p/u1/main', query: [['command', 'sh'], ['stdin', '1'], ['stdout', '1'], ['stderr', '1'], ['tty', '1']] });
    const out = collect();
    const stdin = new PassThrough();
    const run = streamRemoteCommand(ws, {
      stdin,
      stdout: out.w,
      resize: (send) => {
        send({ width: 81, height: 25 });
        send({ width: 80, height: 24 });
        return () => {};
      },
    });
    stdin.write('ls');
    await new Promise((r) => setTimeout(r, 80));
    stdin.end();
    await run;
    expect(out.text()).toBe('LSbye');
    expect(docker.resizes).toEqual(['25x81', '24x80']);
    expect(docker.execs[0]).toEqual({ cmd: ['sh'], tty: true, stdin: true });
  });

  it('refuses exec into a container that is not running, as kubelet words it', async () => {
    const { base } = await start([info({ state: 'exited' })]);
    await expect(openRemoteCommand({ client: { server: base, token: TOKEN }, path: '/exec/default/p/u1/main', query: [['command', 'true'], ['stdout', '1']] })).rejects.toThrow(
      'unable to upgrade connection: container not found ("main")',
    );
    await expect(openRemoteCommand({ client: { server: base, token: TOKEN }, path: '/attach/default/p/u1/main', query: [['stdout', '1']] })).rejects.toThrow(
      'unable to upgrade connection: container main not found in pod p_default',
    );
  });

  it('answers SPDY upgrades with a Status saying WebSocket is needed', async () => {
    const { base } = await start([info({})]);
    const res = await new Promise<http.IncomingMessage>((resolve) => {
      const req = http.request(`${base}/exec/default/p/u1/main?command=true&stdout=1`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, connection: 'Upgrade', upgrade: 'SPDY/3.1' } });
      req.on('response', resolve);
      req.end();
    });
    let body = '';
    for await (const c of res) body += c;
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(body)).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: expect.stringContaining('WebSocket only') });
  });

  it('attaches with the container’s TTY setting and reports Success', async () => {
    const { base, docker } = await start([info({ tty: true })]);
    const ws = await openRemoteCommand({ client: { server: base, token: TOKEN }, path: '/attach/default/p/u1/main', query: [['stdin', '1'], ['stdout', '1'], ['stderr', '1']] });
    const out = collect();
    await streamRemoteCommand(ws, {
      stdin: Readable.from([Buffer.from('x')]),
      stdout: out.w,
      resize: (send) => {
        send({ width: 10, height: 3 });
        return () => {};
      },
    });
    expect(out.text()).toBe('Xbye');
    expect(docker.resizes).toEqual(['3x10']);
  });

  it('refuses an attach when the container exited after the agent last looked (Docker would wait for a restart)', async () => {
    const { base, docker } = await start([info({ tty: true })]);
    docker.running = false;
    await expect(openRemoteCommand({ client: { server: base, token: TOKEN }, path: '/attach/default/p/u1/main', query: [['stdin', '1'], ['stdout', '1']] })).rejects.toThrow(
      'unable to upgrade connection: container main is not running',
    );
    expect(docker.attachStreams).toHaveLength(1);
    expect(docker.attachStreams[0]!.destroyed).toBe(true);
  });

  it('the first attach to a non-TTY stdinOnce container (run -i) streams its followed log, stdin through an attach; later ones attach', async () => {
    const { base, docker } = await start([info({ tty: false })]);
    docker.stdinOnce = true;
    const ws = await openRemoteCommand({ client: { server: base, token: TOKEN }, path: '/attach/default/p/u1/main', query: [['stdin', '1'], ['stdout', '1'], ['stderr', '1']] });
    const out = collect();
    const err = collect();
    await streamRemoteCommand(ws, { stdin: Readable.from([Buffer.from('x')]), stdout: out.w, stderr: err.w });
    expect(out.text()).toBe('log of c1\n');
    expect(err.text()).toBe('0123456789\n');
    expect(docker.logCalls).toEqual([
      { id: 'c1', options: { follow: true, stdout: true, stderr: true, tty: false } },
      { id: 'c1', options: { follow: false, stdout: true, stderr: true, tty: false } },
    ]);
    expect(docker.attachOptions).toEqual([{ stdin: true, stdout: false, stderr: false, stream: true }]);

    docker.attachTty = false;
    const again = await openRemoteCommand({ client: { server: base, token: TOKEN }, path: '/attach/default/p/u1/main', query: [['stdin', '1'], ['stdout', '1'], ['stderr', '1']] });
    const live = collect();
    await streamRemoteCommand(again, { stdin: Readable.from([Buffer.from('y')]), stdout: live.w, stderr: collect().w });
    expect(live.text()).toBe('Y');
    expect(docker.logCalls).toHaveLength(2);
    expect(docker.attachOptions[1]).toMatchObject({ stdin: true, stdout: true, stream: true });
  });

  it("what a followed log missed at the container's exit is read again, not lost", async () => {
    const { base, docker } = await start([info({ tty: false })]);
    docker.stdinOnce = true;
    docker.followMisses = true;
    const ws = await openRemoteCommand({ client: { server: base, token: TOKEN }, path: '/attach/default/p/u1/main', query: [['stdout', '1'], ['stderr', '1']] });
    const out = collect();
    const err = collect();
    await streamRemoteCommand(ws, { stdout: out.w, stderr: err.w });
    expect(out.text()).toBe('log of c1\n');
    expect(err.text()).toBe('0123456789\n');
  });
});
