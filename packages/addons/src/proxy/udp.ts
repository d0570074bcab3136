// UDP: a session per client address (ip:port), each with its own socket connected to the backend
// chosen when it started; replies go back to the client from the service port's socket. A
// session ends after an idle timeout, when its backend errors (ICMP port unreachable: the next
// datagram picks another) or leaves the Endpoints (as kube-proxy clears stale UDP conntrack).
import dgram from 'node:dgram';
import net from 'node:net';
import type { Balancer } from './balancer.js';
import type { Backend } from './spec.js';

export const UDP_IDLE_TIMEOUT_MS = 30_000;
/** Beyond this many sessions on one port, the oldest is dropped (sockets are file descriptors). */
export const MAX_UDP_SESSIONS = 4096;
/** Datagrams held per session while its socket connects. */
const MAX_QUEUED = 64;

export interface UdpListenerOptions {
  host: string;
  port: number;
  balancer: () => Balancer | undefined;
  idleTimeoutMs?: number;
  log: (m: string) => void;
}

class Session {
  readonly sock: dgram.Socket;
  private queue: Buffer[] | undefined = [];
  private readonly timer: NodeJS.Timeout;
  closed = false;

  constructor(
    private readonly listener: UdpListener,
    readonly key: string,
    readonly client: { address: string; port: number },
    readonly backend: Backend,
    idleMs: number,
  ) {
    this.timer = setTimeout(() => this.close(), idleMs);
    this.sock = dgram.createSocket(net.isIPv6(backend.ip) ? 'udp6' : 'udp4');
    this.sock.on('error', (e: NodeJS.ErrnoException) => {
      if (!this.closed) listener.log(`UDP ${listener.port}: backend ${backend.key}: ${e.code ?? e.message}`);
      this.close();
    });
    this.sock.on('message', (msg) => {
      this.timer.refresh();
      listener.reply(msg, client);
    });
    this.sock.connect(backend.port, backend.ip, () => {
      const q = this.queue ?? [];
      this.queue = undefined;
      for (const m of q) this.send(m);
    });
  }

  send(msg: Buffer): void {
    if (this.closed) return;
    this.timer.refresh();
    if (this.queue) {
      if (this.queue.length < MAX_QUEUED) this.queue.push(msg);
      return;
    }
    this.sock.send(msg, (e) => e && this.sock.emit('error', e));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.listener.forget(this);
    try {
      this.sock.close();
    } catch {
      /* already closed */
    }
  }
}

export class UdpListener {
  private readonly sock: dgram.Socket;
  private readonly sessions = new Map<string, Session>();
  private closed = false;
  readonly port: number;
  readonly log: (m: string) => void;

  constructor(private readonly opts: UdpListenerOptions) {
    this.port = opts.port;
    this.log = opts.log;
    this.sock = dgram.createSocket(net.isIPv6(opts.host) ? 'udp6' : 'udp4');
    this.sock.on('message', (msg, rinfo) => this.receive(msg, rinfo));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => {
        this.closed = true;
        try {
          this.sock.close();
        } catch {
          /* not bound */
        }
        reject(e);
      };
      this.sock.once('error', onError);
      this.sock.bind({ address: this.opts.host, port: this.opts.port }, () => {
        this.sock.off('error', onError);
        this.sock.on('error', (e) => this.log(`UDP ${this.port}: ${e.message}`));
        resolve();
      });
    });
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  private receive(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.closed) return;
    const key = `${rinfo.address}|${rinfo.port}`;
    let s = this.sessions.get(key);
    if (!s) {
      const b = this.opts.balancer()?.pick(clientAddress(rinfo.address));
      if (!b) return;
      if (this.sessions.size >= MAX_UDP_SESSIONS) this.sessions.values().next().value?.close();
      s = new Session(this, key, { address: rinfo.address, port: rinfo.port }, b, this.opts.idleTimeoutMs ?? UDP_IDLE_TIMEOUT_MS);
      this.sessions.set(key, s);
    }
    s.send(msg);
  }

  reply(msg: Buffer, to: { address: string; port: number }): void {
    if (!this.closed) this.sock.send(msg, to.port, to.address, () => undefined);
  }

  forget(s: Session): void {
    if (this.sessions.get(s.key) === s) this.sessions.delete(s.key);
  }

  /** Ends the sessions whose backend is no longer among the ready endpoints. */
  prune(): void {
    const b = this.opts.balancer();
    for (const s of [...this.sessions.values()]) if (!b?.has(s.backend.key)) s.close();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const s of [...this.sessions.values()]) s.close();
    return new Promise((resolve) => this.sock.close(() => resolve()));
  }
}

function clientAddress(addr: string): string {
  return addr.startsWith('::ffff:') && addr.includes('.') ? addr.slice(7) : addr;
}
