// pods/portforward over WebSocket, both ends (kubelet's pkg/kubelet/cri/streaming/portforward/
// websocket.go): the request names ports (`?ports=` to the apiserver, `?port=` to the node);
// per port i the server opens a data channel 2i and an error channel 2i+1 and first writes the
// port, as a little-endian uint16, on each. Data channel bytes are one TCP connection to that
// port in the pod; a failure is text on the error channel. One WebSocket carries one connection
// per port, so a client opens a WebSocket per accepted local connection (as the JavaScript and
// Python clients do); the server closes the WebSocket once every port's connection has ended.
import type { Duplex } from 'node:stream';
import { dialWebSocket, type DialOptions } from './remotecommand-handshake.js';
import { PROTOCOL_V4, channelMessage } from './remotecommand-protocol.js';
import type { WebSocket } from './remotecommand-ws.js';

/** The subprotocol both ends speak (kubelet also accepts none, as binary v4). */
export const PORTFORWARD_PROTOCOL = PROTOCOL_V4;

export function portPrefix(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port, 0);
  return b;
}

/**
 * kubelet's NewV4Options: every `port` value, each possibly comma-separated, as a port number;
 * a string is the error it answers (400).
 */
export function parsePortParams(values: string[], param = 'port'): number[] | string {
  if (!values.length) return `query parameter "${param}" is required`;
  const ports: number[] = [];
  for (const v of values) {
    if (!v) return `query parameter "${param}" cannot be empty`;
    for (const p of v.split(',')) {
      if (!/^\d+$/.test(p)) return `unable to parse "${v}" as a port: strconv.ParseUint: parsing "${p}": invalid syntax`;
      const n = Number(p);
      if (n > 65535) return `unable to parse "${v}" as a port: strconv.ParseUint: parsing "${p}": value out of range`;
      if (n < 1) return `port "${v}" must be > 0`;
      ports.push(n);
    }
  }
  return ports;
}

/** Opens a port-forward WebSocket to one pod port (returned paused, like dialWebSocket). */
export function openPortForward(o: Omit<DialOptions, 'protocols' | 'query' | 'path'> & { namespace: string; pod: string; port: number }): Promise<WebSocket> {
  return dialWebSocket({
    ...o,
    path: `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(o.pod)}/portforward`,
    query: [['ports', String(o.port)]],
    protocols: [PORTFORWARD_PROTOCOL],
  });
}

/**
 * Splices a local connection with a port-forward WebSocket for one port (channels 0 and 1).
 * Resolves once both are done, with the error the server reported, if any. v4 has no way to
 * pass on a half-close, so the local side's EOF ends the whole connection (as the JavaScript
 * client does); the pod side's end is flushed to the local side first.
 */
export function forwardConnection(ws: WebSocket, conn: Duplex): Promise<{ error?: string }> {
  return new Promise((resolve) => {
    // The first message on each channel is the port; anything after it is payload.
    const prefixSeen = [false, false];
    const errorText: Buffer[] = [];
    let done = false;
    const settle = () => {
      if (done) return;
      done = true;
      conn.destroy();
      ws.close();
      const error = Buffer.concat(errorText).toString('utf8');
      resolve(error ? { error } : {});
    };
    ws.on('message', (data) => {
      if (!data.length) return;
      const ch = data[0]!;
      let body = data.subarray(1);
      if (ch > 1) return;
      if (!prefixSeen[ch]) {
        prefixSeen[ch] = true;
        body = body.subarray(2);
      }
      if (!body.length) return;
      if (ch === 1) {
        errorText.push(body);
        return;
      }
      if (!conn.write(body)) {
        ws.socket.pause();
        conn.once('drain', () => ws.socket.resume());
      }
    });
    // The pod side ended: flush what it sent, then close the local connection.
    ws.once('close', () => {
      if (conn.destroyed || !conn.writable) return settle();
      conn.end(() => settle());
      setTimeout(settle, 5000).unref();
    });
    conn.on('data', (chunk: Buffer) => {
      if (!ws.send(channelMessage(0, chunk))) {
        conn.pause();
        ws.socket.once('drain', () => conn.resume());
      }
    });
    conn.on('end', settle);
    conn.on('error', settle);
    conn.on('close', settle);
    ws.resume();
  });
}
