// TCP: accept, connect to a backend (another one when it refuses), then splice both sockets,
// passing half-closes (FIN) and resets (RST) through. Accepted sockets stay paused until the
// backend answers, so nothing the client sends early is lost.
import net from 'node:net';
import type { Balancer } from './balancer.js';
import type { Backend } from './spec.js';

/** Connect timeout when other backends are left to try, and for the last one. */
export const CONNECT_TIMEOUT_MS = 1000;
export const LAST_CONNECT_TIMEOUT_MS = 10_000;

export function clientIp(addr: string | undefined): string {
  if (!addr) return '';
  return addr.startsWith('::ffff:') && addr.includes('.') ? addr.slice(7) : addr;
}

export interface TcpListenerOptions {
  host: string;
  port: number;
  /** The balancer of the Service port this listener serves, looked up per connection. */
  balancer: () => Balancer | undefined;
  /** Connections live here, beyond the listener's life (they outlive endpoint changes). */
  connections: Set<net.Socket>;
  log: (m: string) => void;
}

export class TcpListener {
  private readonly server: net.Server;
  private closed = false;

  constructor(private readonly opts: TcpListenerOptions) {
    this.server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (s) => this.accept(s));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once('error', onError);
      this.server.listen({ host: this.opts.host, port: this.opts.port }, () => {
        this.server.off('error', onError);
        // Accept errors (EMFILE) are reported here; the server goes on.
        this.server.on('error', (e) => this.opts.log(`TCP ${this.opts.port}: ${e.message}`));
        resolve();
      });
    });
  }

  /** Stops accepting; connections already made go on. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // close()'s callback would wait for every connection to end; the port is free at once.
    if (this.server.listening) this.server.close();
    else this.server.once('listening', () => this.server.close());
  }

  private accept(client: net.Socket): void {
    const { connections } = this.opts;
    connections.add(client);
    client.on('error', () => undefined);
    client.once('close', () => connections.delete(client));
    const ip = clientIp(client.remoteAddress);
    const tried = new Set<string>();
    let upstream: net.Socket | undefined;
    const abort = () => upstream?.destroy();
    client.once('close', abort);

    const attempt = (): void => {
      if (client.destroyed) return;
      const balancer = this.opts.balancer();
      const b = balancer?.pick(ip, tried);
      if (!balancer || !b) {
        // No (more) backends: tell the client at once, as a refused connection would.
        client.resetAndDestroy();
        return;
      }
      tried.add(b.key);
      const last = balancer.backends.every((x) => tried.has(x.key));
      const up = net.connect({ host: b.ip, port: b.port, allowHalfOpen: true, noDelay: true });
      upstream = up;
      connections.add(up);
      const timer = setTimeout(() => up.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })), last ? LAST_CONNECT_TIMEOUT_MS : CONNECT_TIMEOUT_MS);
      up.once('close', () => {
        clearTimeout(timer);
        connections.delete(up);
      });
      const onConnectError = (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        balancer.failed(b);
        if (!client.destroyed) this.opts.log(`TCP ${this.opts.port}: backend ${b.key}: ${e.code ?? e.message}; ${last ? 'no other backend' : 'trying another'}`);
        attempt();
      };
      up.once('error', onConnectError);
      up.once('connect', () => {
        clearTimeout(timer);
        up.off('error', onConnectError);
        client.off('close', abort);
        balancer.succeeded(b);
        splice(client, up);
      });
    };
    attempt();
  }
}

/** Pipes both ways; a clean end goes through as a half-close, an error tears both down. */
export function splice(a: net.Socket, b: net.Socket): void {
  const link = (x: net.Socket, y: net.Socket) => {
    x.on('error', () => undefined);
    x.once('close', () => {
      if (y.destroyed) return;
      const err = x.errored as NodeJS.ErrnoException | null;
      if (err) {
        if (err.code === 'ECONNRESET') y.resetAndDestroy();
        else y.destroy();
      } else if (!x.readableEnded || !x.writableFinished) {
        // Destroyed without a FIN both ways (proxy shutting down): end the other side too.
        y.destroy();
      }
      // Otherwise x finished cleanly both ways: y has its FIN queued and closes once flushed.
    });
    x.pipe(y);
  };
  link(a, b);
  link(b, a);
}

export type { Backend };
