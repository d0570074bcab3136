// Port forwarding through the agent's real HTTP server: the WebSocket client from @minik/api
// against a TCP server standing in for the pod (the "pod IP" is 127.0.0.1 here).
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PORTFORWARD_PROTOCOL, channelMessage, dialWebSocket, forwardConnection, parsePortParams, type WebSocket } from '@minik/api';
import type { Docker } from '../docker/index.js';
import type { ContainerInfo, RuntimeView } from '../runtime.js';
import { startAgentServer, type AgentServer } from './index.js';

const TOKEN = 'sekret';
let server: AgentServer | undefined;
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await server?.close();
  server = undefined;
});

function holder(p: Partial<ContainerInfo> = {}): ContainerInfo {
  return { id: 'c0ffee', name: 'n', role: 'app', container: 'main', podUid: 'u1', podName: 'p', namespace: 'default', attempt: 0, specHash: '', state: 'running', exitCode: 0, oomKilled: false, imageId: '', image: '', tty: false, podIP: '127.0.0.1', ...p };
}

async function start(containers: ContainerInfo[]): Promise<string> {
  const runtime = { all: () => containers } as unknown as RuntimeView;
  server = await startAgentServer({ docker: {} as Docker, runtime, token: TOKEN, log: () => {} });
  return `http://127.0.0.1:${server.port}`;
}

/** A "pod" that greets, then upper-cases what it gets; half-close aware. */
async function upperServer(): Promise<number> {
  const srv = net.createServer({ allowHalfOpen: true }, (s) => {
    s.write('hello\n');
    s.on('data', (d) => s.write(d.toString().toUpperCase()));
    s.on('end', () => s.end('bye\n'));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  closers.push(() => srv.close());
  return (srv.address() as net.AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function dial(base: string, path: string, query: [string, string][]): Promise<WebSocket> {
  return dialWebSocket({ client: { server: base, token: TOKEN }, path, query, protocols: [PORTFORWARD_PROTOCOL] });
}

/** Runs one connection: a local socket pair, `send` written, everything read back. */
async function roundTrip(ws: WebSocket, send: string): Promise<{ got: string; error?: string }> {
  const srv = net.createServer({ allowHalfOpen: true });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  closers.push(() => srv.close());
  const accepted = new Promise<net.Socket>((r) => srv.once('connection', r));
  const client = net.connect({ port: (srv.address() as net.AddressInfo).port, host: '127.0.0.1' });
  const conn = await accepted;
  let got = '';
  client.on('data', (d) => (got += d));
  const ended = new Promise<void>((r) => client.once('close', () => r()));
  const forwarded = forwardConnection(ws, conn);
  client.write(send);
  const result = await forwarded;
  await ended;
  return { got, ...result };
}

describe('agent port-forward', () => {
  it('splices a connection to the pod port, prefixes each channel with its port, and ends when the local side closes', async () => {
    const base = await start([holder()]);
    const port = await upperServer();
    const ws = await dial(base, '/portForward/default/p/u1', [['port', String(port)]]);
    const first: Buffer[] = [];
    ws.once('message', (d) => first.push(d));
    const srv = net.createServer({ allowHalfOpen: true });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    closers.push(() => srv.close());
    const accepted = new Promise<net.Socket>((r) => srv.once('connection', r));
    const client = net.connect({ port: (srv.address() as net.AddressInfo).port, host: '127.0.0.1', allowHalfOpen: true });
    const conn = await accepted;
    let got = '';
    client.on('data', (d) => (got += d));
    const forwarded = forwardConnection(ws, conn);
    client.write('abc\n');
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toBe('hello\nABC\n');
    // The first message: data channel 0 carrying the port, little-endian.
    expect([...first[0]!]).toEqual([0, port & 0xff, port >> 8]);
    // The local client closes: the forwarded connection ends cleanly, without an error.
    client.end();
    expect(await forwarded).toEqual({});
  });

  it('flushes what the pod sent before it closed, then closes the local connection', async () => {
    const base = await start([holder()]);
    const srv = net.createServer((s) => s.end('all of it\n'));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    closers.push(() => srv.close());
    const ws = await dial(base, '/portForward/default/p/u1', [['port', String((srv.address() as net.AddressInfo).port)]]);
    expect(await roundTrip(ws, '')).toEqual({ got: 'all of it\n' });
  });

  it('reports a port nothing listens on on the error channel, in kubelet’s words', async () => {
    const base = await start([holder()]);
    const port = await closedPort();
    const ws = await dial(base, '/portForward/default/p/u1', [['port', String(port)]]);
    const r = await roundTrip(ws, 'x');
    expect(r.got).toBe('');
    expect(r.error).toBe(`error forwarding port ${port} to pod c0ffee, uid : dial tcp4 127.0.0.1:${port}: connect: connection refused`);
  });

  it('serves several ports on one WebSocket, channels 2i and 2i+1', async () => {
    const base = await start([holder()]);
    const [a, b] = [await upperServer(), await upperServer()];
    const ws = await dial(base, '/portForward/default/p', [['port', `${a},${b}`]]);
    const byChannel = new Map<number, string>();
    ws.on('message', (d) => byChannel.set(d[0]!, (byChannel.get(d[0]!) ?? '') + d.subarray(1).toString('latin1')));
    ws.resume();
    ws.send(channelMessage(2, Buffer.from('second')));
    await new Promise((r) => setTimeout(r, 100));
    const le = (p: number) => String.fromCharCode(p & 0xff, p >> 8);
    expect(byChannel.get(0)).toBe(`${le(a)}hello\n`);
    expect(byChannel.get(1)).toBe(le(a));
    expect(byChannel.get(2)).toBe(`${le(b)}hello\nSECOND`);
    expect(byChannel.get(3)).toBe(le(b));
    ws.close();
  });

  it('refuses bad ports, pods without a running network holder, and SPDY', async () => {
    const base = await start([holder({ podName: 'stopped', state: 'exited' })]);
    await expect(dial(base, '/portForward/default/p', [])).rejects.toThrow('unable to upgrade connection: query parameter "port" is required');
    await expect(dial(base, '/portForward/default/p', [['port', '0']])).rejects.toThrow('port "0" must be > 0');
    await expect(dial(base, '/portForward/default/stopped', [['port', '80']])).rejects.toThrow('pod stopped_default has no running container holding its network');
    await expect(dialWebSocket({ client: { server: base, token: TOKEN }, path: '/portForward/default/stopped', query: [['port', '80']], protocols: ['SPDY/3.1+portforward.k8s.io'] })).rejects.toThrow(
      /over WebSocket channels only/,
    );
  });

  it('parses port parameters as kubelet does', () => {
    expect(parsePortParams(['80', '81,82'])).toEqual([80, 81, 82]);
    expect(parsePortParams(['x'])).toBe('unable to parse "x" as a port: strconv.ParseUint: parsing "x": invalid syntax');
    expect(parsePortParams(['70000'])).toBe('unable to parse "70000" as a port: strconv.ParseUint: parsing "70000": value out of range');
    expect(parsePortParams([''])).toBe('query parameter "port" cannot be empty');
  });
});
