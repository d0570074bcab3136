// The remotecommand protocol: Status bytes as kubelet writes them and client-go's decoding,
// resize messages, and the client session against an in-process WebSocket server (stdin with
// v5's CLOSE, output channels, exit codes, refused upgrades).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import {
  Channel,
  ExitCodeError,
  PROTOCOL_V4,
  PROTOCOL_V5,
  acceptWebSocket,
  channelMessage,
  closeMessage,
  decodeResize,
  decodeStreamStatus,
  encodeResize,
  exitCodeStatusJson,
  internalErrorStatusJson,
  openRemoteCommand,
  refuseUpgrade,
  streamRemoteCommand,
  successStatusJson,
  type WebSocket,
} from './remotecommand.js';

describe('status on the error channel', () => {
  it('is byte for byte what kubelet marshals', () => {
    expect(successStatusJson()).toBe('{"metadata":{},"status":"Success"}');
    expect(exitCodeStatusJson(3, ['sh', '-c', 'exit 3'])).toBe(
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
    );
    expect(JSON.parse(internalErrorStatusJson('boom'))).toMatchObject({ status: 'Failure', reason: 'InternalError', code: 500, message: 'Internal error occurred: boom' });
  });

  it('decodes as client-go’s errorDecoderV4', () => {
    expect(decodeStreamStatus(Buffer.alloc(0))).toBeUndefined();
    expect(decodeStreamStatus(Buffer.from(successStatusJson()))).toBeUndefined();
    const exit = decodeStreamStatus(Buffer.from(exitCodeStatusJson(42, ['false'])));
    expect(exit).toBeInstanceOf(ExitCodeError);
    expect(exit).toMatchObject({ exitCode: 42, message: 'command terminated with exit code 42' });
    expect(decodeStreamStatus(Buffer.from(internalErrorStatusJson('no such container')))?.message).toBe('Internal error occurred: no such container');
    expect(decodeStreamStatus(Buffer.from('{"status":"Failure","reason":"NonZeroExitCode"}'))?.message).toBe('error stream protocol error: details must be set');
    expect(decodeStreamStatus(Buffer.from('{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"999"}]}}'))?.message).toBe(
      'error stream protocol error: invalid exit code value "999"',
    );
    expect(decodeStreamStatus(Buffer.from('{"status":"Weird"}'))?.message).toBe('error stream protocol error: unknown error');
    expect(decodeStreamStatus(Buffer.from('not json'))?.message).toMatch(/^error stream protocol error: .* in "not json"$/);
  });
});

describe('channel messages', () => {
  it('prefix the channel byte; CLOSE names the channel', () => {
    expect([...channelMessage(Channel.stdout, Buffer.from('hi'))]).toEqual([1, 104, 105]);
    expect([...channelMessage(Channel.error)]).toEqual([3]);
    expect([...closeMessage(Channel.stdin)]).toEqual([255, 0]);
  });

  it('carry terminal sizes as json.Encoder writes them', () => {
    expect(encodeResize({ width: 80, height: 24 }).toString()).toBe('{"Width":80,"Height":24}\n');
    expect(decodeResize(Buffer.from('{"Width":81,"Height":25}\n{"Width":80,"Height":24}\n'))).toEqual([
      { width: 81, height: 25 },
      { width: 80, height: 24 },
    ]);
    expect(decodeResize(Buffer.from('garbage\n{"Width":-1,"Height":2}'))).toEqual([]);
  });
});

/** A server whose exec endpoint runs `session` on each accepted WebSocket. */
async function server(session: (ws: WebSocket, url: URL) => void, supported = [PROTOCOL_V5, PROTOCOL_V4]): Promise<{ url: string; close: () => Promise<void> }> {
  const srv = http.createServer((_req, res) => res.end('plain'));
  srv.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname.endsWith('/status')) return refuseUpgrade(socket, 400, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'BadRequest', message: 'container x is not valid for pod p', code: 400 }), 'application/json');
    if (url.pathname.endsWith('/text')) return refuseUpgrade(socket, 500, 'container not found ("c")');
    const ws = acceptWebSocket(req, socket, head, supported);
    if (ws) session(ws, url);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => srv.close(() => r())) };
}

function sink(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(c, _e, cb) {
      chunks.push(c as Buffer);
      cb();
    },
  });
  return Object.assign(w, { text: () => Buffer.concat(chunks).toString() });
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('client session', () => {
  it('forwards stdin, half-closes it at EOF, relays output and reports the exit code', async () => {
    const seen: { query?: string[]; stdin: string; closed: boolean; resize: string[] } = { stdin: '', closed: false, resize: [] };
    const s = await server((ws, url) => {
      seen.query = url.searchParams.getAll('command');
      ws.send(channelMessage(Channel.stdout));
      ws.on('message', (d) => {
        if (d[0] === Channel.stdin) seen.stdin += d.subarray(1).toString();
        if (d[0] === Channel.resize) seen.resize.push(d.subarray(1).toString());
        if (d[0] === Channel.close && d[1] === Channel.stdin) {
          seen.closed = true;
          ws.send(channelMessage(Channel.stdout, Buffer.from(`got ${seen.stdin}`)));
          ws.send(channelMessage(Channel.stderr, Buffer.from('warn')));
          ws.send(channelMessage(Channel.error, Buffer.from(exitCodeStatusJson(3, ['cat']))));
          ws.close();
        }
      });
    });
    stop = s.close;
    const ws = await openRemoteCommand({ client: { server: s.url }, path: '/exec', query: [['command', 'sh'], ['command', '-c']] });
    expect(ws.protocol).toBe(PROTOCOL_V5);
    const out = sink();
    const err = sink();
    const run = streamRemoteCommand(ws, {
      stdin: Readable.from([Buffer.from('a'), Buffer.from('b')]),
      stdout: out,
      stderr: err,
      resize: (send) => {
        send({ width: 10, height: 5 });
        return () => {};
      },
    });
    await expect(run).rejects.toMatchObject({ exitCode: 3 });
    expect(seen).toEqual({ query: ['sh', '-c'], stdin: 'ab', closed: true, resize: ['{"Width":10,"Height":5}\n'] });
    expect(out.text()).toBe('got ab');
    expect(err.text()).toBe('warn');
  });

  it('resolves on a Success status', async () => {
    const s = await server((ws) => {
      ws.send(channelMessage(Channel.stdout, Buffer.from('hi\n')));
      ws.send(channelMessage(Channel.error, Buffer.from(successStatusJson())));
      ws.close();
    });
    stop = s.close;
    const out = sink();
    await streamRemoteCommand(await openRemoteCommand({ client: { server: s.url }, path: '/exec' }), { stdout: out });
    expect(out.text()).toBe('hi\n');
  });

  it('fails when the connection drops without a status', async () => {
    const s = await server((ws) => ws.terminate());
    stop = s.close;
    await expect(streamRemoteCommand(await openRemoteCommand({ client: { server: s.url }, path: '/exec' }), {})).rejects.toThrow(/connection closed \(1006/);
  });

  it('reports refused upgrades as kubectl does', async () => {
    const s = await server(() => {});
    stop = s.close;
    const status = openRemoteCommand({ client: { server: s.url }, path: '/status' });
    await expect(status).rejects.toBeInstanceOf(ApiError);
    await expect(status).rejects.toMatchObject({ message: 'container x is not valid for pod p', code: 400 });
    await expect(openRemoteCommand({ client: { server: s.url }, path: '/text' })).rejects.toThrow('unable to upgrade connection: container not found ("c")');
  });

  it('refuses a subprotocol the server does not speak', async () => {
    const s = await server(() => {}, [PROTOCOL_V4]);
    stop = s.close;
    await expect(openRemoteCommand({ client: { server: s.url }, path: '/exec' })).rejects.toThrow(
      'unable to upgrade connection: requested protocol(s) are not supported: [v5.channel.k8s.io]; supports [v4.channel.k8s.io]',
    );
  });
});
