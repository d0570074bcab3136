// WebSocket framing: exact bytes of frames, masking, lengths at the 125/126/65535/65536 edges,
// frames split across chunks, fragmented messages, control frames, and the close handshake
// between two WebSocket ends over an in-memory socket pair.
import { Duplex, PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CloseCode, FrameParser, Opcode, WebSocket, WsProtocolError, encodeFrame, wsAcceptKey } from './remotecommand-ws.js';

/** Two connected in-memory duplexes (what one side writes, the other reads). */
function socketPair(): [Duplex, Duplex] {
  const aToB = new PassThrough();
  const bToA = new PassThrough();
  const a = Duplex.from({ readable: bToA, writable: aToB });
  const b = Duplex.from({ readable: aToB, writable: bToA });
  return [a, b];
}

const once = <T extends unknown[]>(ws: WebSocket, ev: 'message' | 'close') => new Promise<T>((r) => ws.once(ev, ((...a: unknown[]) => r(a as T)) as never));

describe('handshake key', () => {
  it('computes RFC 6455’s example accept key', () => {
    expect(wsAcceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
});

describe('encodeFrame / FrameParser', () => {
  it('writes an unmasked server frame byte for byte', () => {
    expect([...encodeFrame(Opcode.binary, Buffer.from([1, 104, 105]), false)]).toEqual([0x82, 3, 1, 104, 105]);
    expect([...encodeFrame(Opcode.text, Buffer.from('x'), false, false)]).toEqual([0x01, 1, 120]);
  });

  it('masks client frames and the parser unmasks them', () => {
    const f = encodeFrame(Opcode.binary, Buffer.from('hello'), true);
    expect(f[1]! & 0x80).toBe(0x80);
    expect(f.length).toBe(2 + 4 + 5);
    const [frame] = new FrameParser(true).push(f);
    expect(frame).toEqual({ fin: true, opcode: Opcode.binary, payload: Buffer.from('hello') });
  });

  it.each([0, 125, 126, 65535, 65536, 200_000])('round-trips a %i-byte payload', (n) => {
    const payload = Buffer.alloc(n, 7);
    const f = encodeFrame(Opcode.binary, payload, false);
    const header = n < 126 ? 2 : n < 65536 ? 4 : 10;
    expect(f.length).toBe(header + n);
    const frames = new FrameParser(false).push(f);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.payload.equals(payload)).toBe(true);
  });

  it('reassembles frames split at every byte', () => {
    const bytes = Buffer.concat([encodeFrame(Opcode.binary, Buffer.alloc(300, 1), true), encodeFrame(Opcode.ping, Buffer.alloc(0), true)]);
    const p = new FrameParser(true);
    const got = [];
    for (let i = 0; i < bytes.length; i++) got.push(...p.push(bytes.subarray(i, i + 1)));
    expect(got.map((f) => [f.opcode, f.payload.length])).toEqual([
      [Opcode.binary, 300],
      [Opcode.ping, 0],
    ]);
  });

  it('rejects what RFC 6455 forbids', () => {
    expect(() => new FrameParser(true).push(encodeFrame(Opcode.binary, Buffer.from('x'), false))).toThrow('client frames must be masked');
    expect(() => new FrameParser(false).push(encodeFrame(Opcode.binary, Buffer.from('x'), true))).toThrow('server frames must not be masked');
    expect(() => new FrameParser(false).push(Buffer.from([0x83, 0]))).toThrow('unknown opcode 3');
    expect(() => new FrameParser(false).push(Buffer.from([0xc2, 0]))).toThrow('reserved bits');
    expect(() => new FrameParser(false).push(encodeFrame(Opcode.ping, Buffer.alloc(1), false, false))).toThrow('control frame');
    const big = new FrameParser(false, 10);
    expect(() => big.push(encodeFrame(Opcode.binary, Buffer.alloc(11), false))).toThrow(WsProtocolError);
  });
});

describe('WebSocket', () => {
  it('delivers binary messages both ways and reassembles fragments', async () => {
    const [a, b] = socketPair();
    const client = new WebSocket(a, { role: 'client' });
    const server = new WebSocket(b, { role: 'server' });
    const got = once<[Buffer, boolean]>(server, 'message');
    client.send(Buffer.from([1, 2, 3]));
    expect(await got).toEqual([Buffer.from([1, 2, 3]), true]);

    // A message in three frames (gorilla/websocket fragments large writes), a ping in between.
    const got2 = once<[Buffer, boolean]>(client, 'message');
    b.write(encodeFrame(Opcode.binary, Buffer.from('ab'), false, false));
    b.write(encodeFrame(Opcode.ping, Buffer.from('p'), false));
    b.write(encodeFrame(Opcode.continuation, Buffer.from('cd'), false, false));
    b.write(encodeFrame(Opcode.continuation, Buffer.from('e'), false, true));
    expect((await got2)[0].toString()).toBe('abcde');
  });

  it('answers pings with pongs carrying the same data', async () => {
    const [a, b] = socketPair();
    new WebSocket(b, { role: 'server' });
    const pong = new Promise<Buffer>((r) => a.once('data', r));
    a.write(encodeFrame(Opcode.ping, Buffer.from('hb'), true));
    const frames = new FrameParser(false).push(await pong);
    expect(frames).toEqual([{ fin: true, opcode: Opcode.pong, payload: Buffer.from('hb') }]);
  });

  it('runs the close handshake: both ends see the code, the sockets end', async () => {
    const [a, b] = socketPair();
    const client = new WebSocket(a, { role: 'client' });
    const server = new WebSocket(b, { role: 'server' });
    const serverClosed = once<[number, string]>(server, 'close');
    const clientClosed = once<[number, string]>(client, 'close');
    server.send(Buffer.from([1]));
    server.close(CloseCode.normal, 'bye');
    expect(server.open).toBe(false);
    expect(server.send(Buffer.from([1]))).toBe(false);
    expect(await clientClosed).toEqual([1000, 'bye']);
    expect(await serverClosed).toEqual([1000, '']);
  });

  it('holds messages back while paused, including bytes read with the handshake', async () => {
    const [a, b] = socketPair();
    const head = encodeFrame(Opcode.binary, Buffer.from('early'), true);
    const server = new WebSocket(b, { role: 'server', head });
    server.pause();
    const client = new WebSocket(a, { role: 'client' });
    client.send(Buffer.from('second'));
    const seen: string[] = [];
    server.on('message', (d) => seen.push(d.toString()));
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([]);
    server.resume();
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['early', 'second']);
  });

  it('closes with 1002 on a protocol error', async () => {
    const [a, b] = socketPair();
    const server = new WebSocket(b, { role: 'server' });
    const closed = once<[number, string]>(server, 'close');
    const reply = new Promise<Buffer>((r) => a.once('data', r));
    a.write(encodeFrame(Opcode.binary, Buffer.from('x'), false)); // unmasked from a client
    const [frame] = new FrameParser(false).push(await reply);
    expect(frame!.opcode).toBe(Opcode.close);
    expect(frame!.payload.readUInt16BE(0)).toBe(1002);
    a.end();
    await closed;
  });
});
