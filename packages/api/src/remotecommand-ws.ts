// WebSocket (RFC 6455) framing and a small connection class: just what Kubernetes' remotecommand
// protocol needs (binary messages, ping/pong, close handshake, fragmented messages), on any
// duplex socket. Written here rather than taken from `ws` so that the api package (which the
// CLI and the node agent share) keeps no dependency, and the CLI loads nothing extra.
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The Sec-WebSocket-Accept answer for a Sec-WebSocket-Key. */
export function wsAcceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

export function wsNewKey(): string {
  return randomBytes(16).toString('base64');
}

export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Close codes used here (RFC 6455 §7.4.1). */
export const CloseCode = { normal: 1000, goingAway: 1001, protocolError: 1002, noStatus: 1005, abnormal: 1006, tooBig: 1009, internal: 1011 } as const;

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** A violation of the framing rules: the connection is closed with `code`. */
export class WsProtocolError extends Error {
  constructor(
    message: string,
    readonly code: number = CloseCode.protocolError,
  ) {
    super(message);
  }
}

/** One frame; clients must mask what they send (RFC 6455 §5.3), servers must not. */
export function encodeFrame(opcode: number, payload: Uint8Array, mask: boolean, fin = true): Buffer {
  const len = payload.length;
  const ext = len < 126 ? 0 : len < 0x10000 ? 2 : 8;
  const head = 2 + ext + (mask ? 4 : 0);
  const out = Buffer.allocUnsafe(head + len);
  out[0] = (fin ? 0x80 : 0) | opcode;
  out[1] = (mask ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) out.writeUInt16BE(len, 2);
  else if (ext === 8) out.writeBigUInt64BE(BigInt(len), 2);
  if (!mask) {
    out.set(payload, head);
    return out;
  }
  const key = randomBytes(4);
  key.copy(out, 2 + ext);
  for (let i = 0; i < len; i++) out[head + i] = payload[i]! ^ key[i & 3]!;
  return out;
}

/**
 * Incremental frame decoder: feed socket chunks, get whole frames (headers and payloads may be
 * split anywhere). `masked` is what the peer must do: true when decoding a client's frames.
 */
export class FrameParser {
  private chunks: Buffer[] = [];
  private length = 0;

  constructor(
    private readonly masked: boolean,
    private readonly maxPayload = 64 * 1024 * 1024,
  ) {}

  push(chunk: Buffer): Frame[] {
    if (chunk.length) {
      this.chunks.push(chunk);
      this.length += chunk.length;
    }
    const frames: Frame[] = [];
    for (;;) {
      const f = this.next();
      if (!f) return frames;
      frames.push(f);
    }
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks, this.length)];
    return this.chunks[0]!;
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const all = this.peek(n);
    const out = all.subarray(0, n);
    this.chunks[0] = all.subarray(n);
    if (!this.chunks[0].length) this.chunks.shift();
    this.length -= n;
    return out;
  }

  private next(): Frame | undefined {
    if (this.length < 2) return undefined;
    const b = this.peek(2);
    const fin = (b[0]! & 0x80) !== 0;
    const opcode = b[0]! & 0x0f;
    const isMasked = (b[1]! & 0x80) !== 0;
    let len = b[1]! & 0x7f;
    if (b[0]! & 0x70) throw new WsProtocolError('reserved bits set (no extension was negotiated)');
    if (![0, 1, 2, 8, 9, 10].includes(opcode)) throw new WsProtocolError(`unknown opcode ${opcode}`);
    if (opcode >= 8 && (!fin || len > 125)) throw new WsProtocolError('fragmented or oversized control frame');
    if (isMasked !== this.masked) throw new WsProtocolError(this.masked ? 'client frames must be masked' : 'server frames must not be masked');
    let head = 2;
    if (len === 126) head = 4;
    else if (len === 127) head = 10;
    const maskAt = head;
    if (isMasked) head += 4;
    if (this.length < head) return undefined;
    const h = this.peek(head);
    if (len === 126) len = h.readUInt16BE(2);
    else if (len === 127) {
      const big = h.readBigUInt64BE(2);
      if (big > BigInt(this.maxPayload)) throw new WsProtocolError('frame too large', CloseCode.tooBig);
      len = Number(big);
    }
    if (len > this.maxPayload) throw new WsProtocolError('frame too large', CloseCode.tooBig);
    if (this.length < head + len) return undefined;
    const key = isMasked ? Buffer.from(h.subarray(maskAt, maskAt + 4)) : undefined;
    this.take(head);
    // Own copy: the caller may keep it, and unmasking must not touch the socket's buffer.
    const payload = Buffer.from(this.take(len));
    if (key) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ key[i & 3]!;
    return { fin, opcode, payload };
  }
}

export interface WebSocketOptions {
  /** 'client' masks outgoing frames and expects unmasked ones. */
  role: 'client' | 'server';
  /** The negotiated subprotocol. */
  protocol?: string;
  /** Bytes already read past the HTTP head (the `head` of an upgrade event). */
  head?: Buffer;
  /** Largest message accepted (reassembled from fragments). */
  maxMessage?: number;
}

export interface WebSocketEvents {
  message: [data: Buffer, binary: boolean];
  /** Once, when the socket is gone; code 1006 when no close frame came. */
  close: [code: number, reason: string];
}

/**
 * A WebSocket over an already upgraded socket. Emits whole messages; answers pings; close()
 * runs the close handshake (and destroys the socket if the peer does not answer in time).
 */
export class WebSocket extends EventEmitter<WebSocketEvents> {
  readonly protocol: string;
  private readonly parser: FrameParser;
  private readonly mask: boolean;
  private readonly maxMessage: number;
  private fragments: Buffer[] = [];
  private fragmentBytes = 0;
  private fragmentOpcode = -1;
  private closeSent = false;
  private closeReceived = false;
  private closeCode: number = CloseCode.abnormal;
  private closeReason = '';
  private finished = false;
  private closeTimer?: NodeJS.Timeout;
  private paused = false;
  private held: Buffer[] = [];

  constructor(
    readonly socket: Duplex,
    opts: WebSocketOptions,
  ) {
    super();
    this.protocol = opts.protocol ?? '';
    this.mask = opts.role === 'client';
    this.maxMessage = opts.maxMessage ?? 64 * 1024 * 1024;
    this.parser = new FrameParser(opts.role === 'server', this.maxMessage);
    (socket as Duplex & { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('end', () => {
      // The peer half-closed: nothing more will come; finish our side too.
      if (!socket.destroyed) socket.end();
    });
    socket.on('close', () => this.finish());
    if (opts.head?.length) queueMicrotask(() => this.onData(opts.head!));
  }

  get open(): boolean {
    return !this.closeSent && !this.finished;
  }

  /** Sends one message; false when the socket's buffer is full (wait for its 'drain'). */
  send(data: Uint8Array | string, binary = true): boolean {
    if (!this.open) return false;
    const payload = typeof data === 'string' ? Buffer.from(data) : data;
    return this.socket.write(encodeFrame(binary ? Opcode.binary : Opcode.text, payload, this.mask));
  }

  ping(data: Uint8Array = Buffer.alloc(0)): void {
    if (this.open) this.socket.write(encodeFrame(Opcode.ping, data, this.mask));
  }

  /** Starts the close handshake; the socket goes when the peer answers (or after timeoutMs). */
  close(code: number = CloseCode.normal, reason = '', timeoutMs = 5000): void {
    if (this.closeSent || this.finished) return;
    this.closeSent = true;
    const r = Buffer.from(reason).subarray(0, 123);
    const payload = Buffer.allocUnsafe(2 + r.length);
    payload.writeUInt16BE(code, 0);
    r.copy(payload, 2);
    this.socket.write(encodeFrame(Opcode.close, payload, this.mask));
    this.closeTimer = setTimeout(() => this.socket.destroy(), timeoutMs);
    this.closeTimer.unref();
  }

  /** Holds incoming messages back (e.g. until the receiver is set up); close still works. */
  pause(): void {
    this.paused = true;
    this.socket.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    const held = this.held;
    this.held = [];
    for (const chunk of held) this.onData(chunk);
    this.socket.resume();
  }

  /** Drops the connection without a handshake. */
  terminate(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.finished) return;
    if (this.paused) {
      this.held.push(chunk);
      return;
    }
    let frames: Frame[];
    try {
      frames = this.parser.push(chunk);
    } catch (e) {
      const err = e as WsProtocolError;
      this.fail(err.code ?? CloseCode.protocolError, err.message);
      return;
    }
    for (const f of frames) {
      if (this.finished || this.closeReceived) return;
      this.onFrame(f);
    }
  }

  private onFrame(f: Frame): void {
    switch (f.opcode) {
      case Opcode.ping:
        if (this.open) this.socket.write(encodeFrame(Opcode.pong, f.payload, this.mask));
        return;
      case Opcode.pong:
        return;
      case Opcode.close: {
        this.closeReceived = true;
        this.closeCode = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : CloseCode.noStatus;
        this.closeReason = f.payload.subarray(2).toString('utf8');
        if (!this.closeSent) {
          // Echo the close, then the TCP connection can go.
          this.closeSent = true;
          const echo = f.payload.length >= 2 ? f.payload.subarray(0, 2) : Buffer.alloc(0);
          this.socket.write(encodeFrame(Opcode.close, echo, this.mask));
        }
        this.socket.end();
        return;
      }
      case Opcode.continuation:
        if (this.fragmentOpcode < 0) return this.fail(CloseCode.protocolError, 'continuation without a start frame');
        this.collect(f.payload, f.fin);
        return;
      default:
        if (this.fragmentOpcode >= 0) return this.fail(CloseCode.protocolError, 'new message inside a fragmented one');
        this.fragmentOpcode = f.opcode;
        this.collect(f.payload, f.fin);
    }
  }

  private collect(payload: Buffer, fin: boolean): void {
    this.fragments.push(payload);
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > this.maxMessage) return this.fail(CloseCode.tooBig, 'message too large');
    if (!fin) return;
    const data = this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments, this.fragmentBytes);
    const binary = this.fragmentOpcode === Opcode.binary;
    this.fragments = [];
    this.fragmentBytes = 0;
    this.fragmentOpcode = -1;
    this.emit('message', data, binary);
  }

  private fail(code: number, reason: string): void {
    this.close(code, reason, 1000);
    this.socket.end();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.emit('close', this.closeCode, this.closeReason);
  }
}
