// Client side of exec/attach (client-go's wsStreamExecutor with streamProtocolV5): stdin goes
// out on channel 0 (and, at EOF, v5's CLOSE for it), stdout/stderr come back on 1/2, terminal
// sizes go out on 4, and the outcome is the Status on channel 3, read once the server closes.
import type { Readable, Writable } from 'node:stream';
import { dialWebSocket, type DialOptions } from './remotecommand-handshake.js';
import { Channel, PROTOCOL_V5, channelMessage, closeMessage, decodeStreamStatus, encodeResize, type TerminalSize } from './remotecommand-protocol.js';
import type { WebSocket } from './remotecommand-ws.js';

export * from './remotecommand-protocol.js';
export * from './remotecommand-ws.js';
export * from './remotecommand-handshake.js';

export interface StreamOptions {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /**
   * Subscribes to terminal sizes, calling `send` with the initial size and every change;
   * returns the unsubscribe function (called when the session ends).
   */
  resize?: (send: (size: TerminalSize) => void) => () => void;
}

/** Opens an exec/attach connection (`v5.channel.k8s.io`, as kubectl ≥1.30 asks for). */
export function openRemoteCommand(o: Omit<DialOptions, 'protocols'> & { protocols?: string[] }): Promise<WebSocket> {
  return dialWebSocket({ ...o, protocols: o.protocols ?? [PROTOCOL_V5] });
}

/**
 * Runs the session until the server closes it. Resolves on success; rejects with
 * ExitCodeError for a non-zero exit code, or an Error with the server's message.
 */
export function streamRemoteCommand(ws: WebSocket, o: StreamOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const errorBytes: Buffer[] = [];
    const output = (w: Writable | undefined, data: Buffer) => {
      if (!w || !data.length) return;
      // A slow terminal or pipe holds the socket back rather than buffering without bound.
      if (!w.write(data)) {
        ws.socket.pause();
        w.once('drain', () => ws.socket.resume());
      }
    };
    ws.on('message', (data) => {
      if (!data.length) return;
      const body = data.subarray(1);
      switch (data[0]) {
        case Channel.stdout:
          return output(o.stdout, body);
        case Channel.stderr:
          return output(o.stderr, body);
        case Channel.error:
          errorBytes.push(body);
          return;
        default:
          // The server's CLOSE signals and unknown channels are ignored, as client-go does.
          return;
      }
    });

    let stopStdin = () => {};
    const stdin = o.stdin;
    if (stdin) {
      const onData = (chunk: Buffer | string) => {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        if (!ws.send(channelMessage(Channel.stdin, buf))) {
          stdin.pause();
          ws.socket.once('drain', () => stdin.resume());
        }
      };
      // v4 has no way to say "stdin ended"; v5 half-closes the channel.
      const onEnd = () => {
        if (ws.protocol === PROTOCOL_V5) ws.send(closeMessage(Channel.stdin));
      };
      stdin.on('data', onData);
      // Already at its end (nothing left to read): say so at once.
      if (stdin.readableEnded) onEnd();
      else stdin.once('end', onEnd);
      stopStdin = () => {
        stdin.off('data', onData);
        stdin.off('end', onEnd);
        stdin.pause();
      };
    }
    const unsubscribe = o.resize?.((size) => ws.send(channelMessage(Channel.resize, encodeResize(size)))) ?? (() => {});
    ws.resume();

    ws.once('close', (code, reason) => {
      stopStdin();
      unsubscribe();
      const failure = decodeStreamStatus(Buffer.concat(errorBytes));
      if (failure) return reject(failure);
      if (!errorBytes.length && code !== 1000) {
        return reject(new Error(`error reading from error stream: connection closed (${code}${reason ? ` ${reason}` : ''})`));
      }
      resolve();
    });
  });
}
