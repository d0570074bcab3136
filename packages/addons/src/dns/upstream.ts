// Forwarding to the nameservers the DNS pod itself uses (CoreDNS' `forward . /etc/resolv.conf`):
// UDP first, TCP when the answer comes back truncated; each server gets `timeoutMs`, then the
// next is tried. A server that just failed is tried last, and with a short timeout, so an
// offline machine answers SERVFAIL at once instead of after every query's full timeout.
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { ipFamily } from './ip.js';
import { decodeMessage, RCODE, rcodeName, type DnsMessage } from './wire.js';

export interface UpstreamServer {
  host: string;
  port: number;
}

/** The `nameserver` lines of a resolv.conf file (none if it cannot be read). */
export function readResolvConf(path = '/etc/resolv.conf'): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m && ipFamily(m[1].split('%')[0])) out.push(m[1]);
  }
  return out;
}

/** `1.2.3.4`, `1.2.3.4:5353`, `::1`, `[::1]:5353` → host and port (53 unless given). */
export function parseServer(s: string): UpstreamServer {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) return { host: bracket[1], port: bracket[2] ? Number(bracket[2]) : 53 };
  const v4port = /^([^:]+):(\d+)$/.exec(s);
  if (v4port) return { host: v4port[1], port: Number(v4port[2]) };
  return { host: s, port: 53 };
}

const serverLabel = (s: UpstreamServer) => (s.host.includes(':') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`);

export class UpstreamError extends Error {}

/** The time a failed server is treated as down (tried last, with the short timeout). */
const DOWN_MS = 10_000;
const DOWN_TIMEOUT_MS = 500;
const LOG_EVERY_MS = 30_000;

export interface ForwarderOptions {
  timeoutMs?: number;
  log?: (m: string) => void;
  /** Called for every exchange with a server: its label and the rcode name or 'error'. */
  onResult?: (server: string, result: string) => void;
}

export class Forwarder {
  readonly servers: UpstreamServer[];
  private readonly downUntil = new Map<string, number>();
  private readonly timeoutMs: number;
  private readonly log: (m: string) => void;
  private lastLogAt = 0;
  private suppressed = 0;

  constructor(
    servers: string[],
    private readonly opts: ForwarderOptions = {},
  ) {
    this.servers = servers.map(parseServer);
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.log = opts.log ?? (() => undefined);
  }

  /**
   * Sends `query` (a whole message; its ID is replaced on the way and put back) to the servers in
   * turn and returns the first usable response, decoded and as bytes. SERVFAIL and REFUSED make
   * the next server be tried, and are returned if no server does better. Throws UpstreamError when
   * no server answered.
   */
  async exchange(query: Buffer): Promise<{ raw: Buffer; msg: DnsMessage }> {
    if (!this.servers.length) throw new UpstreamError('no upstream nameservers');
    const now = Date.now();
    const up = this.servers.filter((s) => (this.downUntil.get(serverLabel(s)) ?? 0) <= now);
    const down = this.servers.filter((s) => (this.downUntil.get(serverLabel(s)) ?? 0) > now);
    let fallback: { raw: Buffer; msg: DnsMessage } | undefined;
    const errors: string[] = [];
    for (const s of [...up, ...down]) {
      const label = serverLabel(s);
      const timeout = up.includes(s) ? this.timeoutMs : Math.min(this.timeoutMs, DOWN_TIMEOUT_MS);
      try {
        const res = await exchangeWith(s, query, timeout);
        this.downUntil.delete(label);
        this.opts.onResult?.(label, rcodeName(res.msg.rcode));
        if (res.msg.rcode === RCODE.SERVFAIL || res.msg.rcode === RCODE.REFUSED) {
          fallback ??= res;
          continue;
        }
        return res;
      } catch (e) {
        this.downUntil.set(label, Date.now() + DOWN_MS);
        this.opts.onResult?.(label, 'error');
        errors.push(`${label}: ${(e as Error).message}`);
      }
    }
    if (fallback) return fallback;
    const msg = `upstream failed: ${errors.join('; ')}`;
    // An offline machine fails every query: one line per half minute is enough.
    if (Date.now() - this.lastLogAt >= LOG_EVERY_MS) {
      this.log(this.suppressed ? `${msg} (and ${this.suppressed} failed lookups before)` : msg);
      this.lastLogAt = Date.now();
      this.suppressed = 0;
    } else this.suppressed++;
    throw new UpstreamError(msg);
  }
}

/** One server: UDP, then TCP if the UDP answer is truncated. */
export async function exchangeWith(s: UpstreamServer, query: Buffer, timeoutMs: number): Promise<{ raw: Buffer; msg: DnsMessage }> {
  const deadline = Date.now() + timeoutMs;
  const id = randomId();
  const q = Buffer.from(query);
  q.writeUInt16BE(id, 0);
  const origId = query.readUInt16BE(0);
  let raw = await udpExchange(s, q, id, timeoutMs);
  if ((raw[2] & 0x02) !== 0) raw = await tcpExchange(s, q, id, Math.max(deadline - Date.now(), 200));
  const msg = decodeMessage(raw);
  const out = Buffer.from(raw);
  out.writeUInt16BE(origId, 0);
  msg.id = origId;
  return { raw: out, msg };
}

function randomId(): number {
  return Math.floor(Math.random() * 0x10000);
}

function isResponseTo(raw: Buffer, id: number, query: Buffer): boolean {
  if (raw.length < 12 || raw.readUInt16BE(0) !== id || (raw[2] & 0x80) === 0) return false;
  // The question must be the one asked (case aside): a spoofed answer with a guessed ID is not.
  const qEnd = questionEnd(query);
  if (qEnd < 0 || raw.readUInt16BE(4) !== query.readUInt16BE(4)) return false;
  if (raw.length < qEnd) return false;
  return raw.subarray(12, qEnd).toString('latin1').toLowerCase() === query.subarray(12, qEnd).toString('latin1').toLowerCase();
}

/** End offset of the question section of a query we built (uncompressed names). */
function questionEnd(msg: Buffer): number {
  let p = 12;
  for (let i = msg.readUInt16BE(4); i > 0; i--) {
    while (p < msg.length && msg[p] !== 0) {
      if ((msg[p] & 0xc0) !== 0) return -1;
      p += msg[p] + 1;
    }
    p += 5;
  }
  return p <= msg.length ? p : -1;
}

function udpExchange(s: UpstreamServer, query: Buffer, id: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket(ipFamily(s.host.split('%')[0]) === 6 ? 'udp6' : 'udp4');
    let done = false;
    const finish = (err: Error | undefined, raw?: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        sock.close();
      } catch {
        // already closed
      }
      if (err) reject(err);
      else resolve(raw!);
    };
    const timer = setTimeout(() => finish(new Error(`no answer over UDP in ${timeoutMs} ms`)), timeoutMs);
    sock.on('error', (e) => finish(e));
    sock.on('message', (raw) => {
      if (isResponseTo(raw, id, query)) finish(undefined, raw);
    });
    // A connected socket: ICMP port unreachable comes back as an error at once.
    sock.connect(s.port, s.host, () => {
      sock.send(query, (e) => {
        if (e) finish(e);
      });
    });
  });
}

function tcpExchange(s: UpstreamServer, query: Buffer, id: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: s.host, port: s.port });
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (err: Error | undefined, raw?: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(raw!);
    };
    const timer = setTimeout(() => finish(new Error(`no answer over TCP in ${timeoutMs} ms`)), timeoutMs);
    sock.on('error', (e) => finish(e));
    sock.on('close', () => finish(new Error('connection closed before an answer')));
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock.write(Buffer.concat([len, query]));
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2) {
        const n = buf.readUInt16BE(0);
        if (buf.length < 2 + n) break;
        const raw = buf.subarray(2, 2 + n);
        buf = buf.subarray(2 + n);
        if (isResponseTo(raw, id, query)) return finish(undefined, Buffer.from(raw));
      }
    });
  });
}
