// One exec or attach session: the client's WebSocket channels on one side, Docker's hijacked
// stream on the other. Mirrors kubelet's remotecommand server: the requested channels, an
// empty first message to say the stream is up, stdin (and v5's half-close) into the process,
// output out, resizes to the runtime; the caller then writes the final Status and closes.
import type { Duplex } from 'node:stream';
import { Channel, channelMessage, decodeResize, type TerminalSize, type WebSocket } from '@minik/api';
import { demux, rawChunks, type StreamChunk } from '../docker/index.js';

export interface StreamRequest {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** Query flags as kubelet reads them (`1`; `true` also accepted), with its rules applied. */
export function parseStreamRequest(q: URLSearchParams): StreamRequest | string {
  const flag = (k: string) => q.get(k) === '1' || q.get(k) === 'true';
  const r = { stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr'), tty: flag('tty') };
  if (!r.stdin && !r.stdout && !r.stderr) return 'you must specify at least 1 of stdin, stdout, stderr';
  // A terminal merges stderr into stdout (kubelet drops the stderr stream).
  if (r.tty) r.stderr = false;
  return r;
}

export interface SessionOptions {
  ws: WebSocket;
  /** Docker's stream: raw bytes when the process has a TTY, multiplexed frames otherwise. */
  stream?: Duplex;
  /** The output from elsewhere (a followed log) instead of `stream`, which then takes stdin only. */
  output?: AsyncIterable<StreamChunk>;
  /** Called when the client goes away (to stop reading `output`). */
  onGone?: () => void;
  request: StreamRequest;
  /** Whether Docker's output is a TTY's (decides the demultiplexing). */
  tty: boolean;
  resize: (size: TerminalSize) => void;
}

/** Resolves when the process's output has ended (or the client went away). */
export async function runSession(o: SessionOptions): Promise<void> {
  const { ws, stream, request } = o;
  // The empty message on the lowest writable channel tells the client the streams are ready.
  ws.send(channelMessage(request.stdout ? Channel.stdout : request.stderr ? Channel.stderr : Channel.error));

  ws.on('message', (data) => {
    if (!data.length) return;
    const body = data.subarray(1);
    switch (data[0]) {
      case Channel.stdin:
        if (request.stdin && body.length && stream?.writable) stream.write(body);
        return;
      case Channel.resize:
        for (const size of decodeResize(body)) o.resize(size);
        return;
      case Channel.close:
        // v5: the client's stdin ended; half-closing makes Docker close the process's stdin.
        if (body[0] === Channel.stdin && request.stdin && stream?.writable) stream.end();
        return;
    }
  });
  const gone = () => {
    stream?.destroy();
    o.onGone?.();
  };
  ws.on('close', gone);
  ws.resume();

  const channelOf = { stdout: Channel.stdout, stderr: Channel.stderr } as const;
  try {
    for await (const chunk of o.output ?? (o.tty ? rawChunks(stream!) : demux(stream!))) {
      if (!ws.open) break;
      if (!request[chunk.stream]) continue;
      if (!ws.send(channelMessage(channelOf[chunk.stream], chunk.data))) await drained(ws);
    }
  } catch {
    // The stream was cut (client gone, container removed): nothing more to relay.
  } finally {
    ws.off('close', gone);
  }
}

function drained(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      ws.socket.off('drain', done);
      ws.off('close', done);
      resolve();
    };
    ws.socket.once('drain', done);
    ws.once('close', done);
  });
}
