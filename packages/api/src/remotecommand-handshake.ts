// The WebSocket opening handshake, both sides: a client dialing an exec/attach URL (with the
// cluster's TLS settings and bearer token) and a server accepting an upgrade request.
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ConnectionError, type ClientOptions } from './client.js';
import { ApiError, isStatus } from './errors.js';
import { WebSocket, wsAcceptKey, wsNewKey } from './remotecommand-ws.js';

export interface DialOptions {
  client: ClientOptions;
  /** Path below the server URL, e.g. /api/v1/namespaces/default/pods/web/exec. */
  path: string;
  /** Query pairs; repeated keys (`command`) allowed. */
  query?: [string, string][];
  /** Subprotocols in preference order. */
  protocols: string[];
  userAgent?: string;
}

/**
 * Dials a WebSocket, returned paused (resume() once listening). A refused upgrade becomes the server's Status (ApiError) when the body is
 * one, else client-go's SPDY wording `unable to upgrade connection: <body>`, so the messages
 * match kubectl's (which retries a refused WebSocket upgrade over SPDY and reports that).
 */
export function dialWebSocket(o: DialOptions): Promise<WebSocket> {
  const base = new URL(o.client.server);
  const tls = base.protocol === 'https:';
  const qs = new URLSearchParams(o.query ?? []).toString();
  const path = base.pathname.replace(/\/$/, '') + o.path + (qs ? `?${qs}` : '');
  const key = wsNewKey();
  const headers: Record<string, string> = {
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': key,
    'sec-websocket-protocol': o.protocols.join(', '),
    'user-agent': o.userAgent ?? 'minik',
  };
  if (o.client.token) headers.authorization = `Bearer ${o.client.token}`;
  const options: https.RequestOptions = {
    protocol: base.protocol,
    hostname: base.hostname.replace(/^\[|\]$/g, ''),
    port: base.port,
    path,
    method: 'GET',
    headers,
    agent: false,
  };
  if (tls) Object.assign(options, { ca: o.client.ca, cert: o.client.cert, key: o.client.key, rejectUnauthorized: !o.client.insecureSkipTLSVerify });
  return new Promise<WebSocket>((resolve, reject) => {
    const req = (tls ? https : http).request(options);
    req.on('upgrade', (res: IncomingMessage, socket: Duplex, head: Buffer) => {
      const protocol = String(res.headers['sec-websocket-protocol'] ?? '');
      if (String(res.headers.upgrade ?? '').toLowerCase() !== 'websocket' || res.headers['sec-websocket-accept'] !== wsAcceptKey(key)) {
        socket.destroy();
        return reject(new Error('unable to upgrade connection: bad WebSocket handshake'));
      }
      if (!o.protocols.includes(protocol)) {
        socket.destroy();
        return reject(new Error(`unable to upgrade connection: invalid protocol, expected one of ${JSON.stringify(o.protocols)}, got ${JSON.stringify(protocol)}`));
      }
      // Paused: the server may talk at once, and nobody listens yet (streamRemoteCommand resumes).
      const ws = new WebSocket(socket, { role: 'client', protocol, head });
      ws.pause();
      resolve(ws);
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8').trim();
        let status: unknown;
        try {
          status = JSON.parse(text);
        } catch {
          /* plain text */
        }
        if (isStatus(status)) reject(new ApiError(status));
        else reject(new Error(`unable to upgrade connection: ${text || `${res.statusCode} ${res.statusMessage ?? ''}`.trim()}`));
      });
      res.on('error', reject);
    });
    req.on('error', (e) => reject(new ConnectionError(o.client.server, e)));
    req.end();
  });
}

/** Writes a plain HTTP answer on a socket that asked for an upgrade, then closes it. */
export function refuseUpgrade(socket: Duplex, code: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  if (socket.destroyed) return;
  const text = Buffer.from(body);
  const head = `HTTP/1.1 ${code} ${http.STATUS_CODES[code] ?? ''}\r\nContent-Type: ${contentType}\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head), text]));
  socket.once('finish', () => socket.destroy());
}

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** Subprotocols the client offers, in its order. */
export function offeredProtocols(req: IncomingMessage): string[] {
  return String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * Completes a server-side handshake with the first offered protocol that is supported (the
 * client's order decides, as apimachinery's wsstream does). Refuses (and returns undefined)
 * when the request is not a valid WebSocket upgrade or no protocol matches.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, supported: string[]): WebSocket | undefined {
  const key = req.headers['sec-websocket-key'];
  if (!isWebSocketUpgrade(req) || typeof key !== 'string' || req.headers['sec-websocket-version'] !== '13') {
    refuseUpgrade(socket, 400, 'bad WebSocket upgrade request');
    return undefined;
  }
  const offered = offeredProtocols(req);
  // '' in `supported`: a client that offers no subprotocol is accepted too (kubelet's wsstream).
  const protocol = offered.length ? offered.find((p) => p && supported.includes(p)) : supported.includes('') ? '' : undefined;
  if (protocol === undefined) {
    refuseUpgrade(socket, 400, `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${supported.filter(Boolean).join(' ')}]`);
    return undefined;
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${wsAcceptKey(key)}\r\n${protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : ''}\r\n`,
  );
  return new WebSocket(socket, { role: 'server', protocol, head });
}
