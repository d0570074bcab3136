/**
 * Docker's stream multiplexing, used by logs, attach and exec of containers without a TTY:
 * each frame is an 8-byte header `[stream, 0, 0, 0, size (uint32 big-endian)]` followed by
 * `size` bytes of payload. stream is 0 stdin (written back by some daemons as stdout),
 * 1 stdout, 2 stderr, 3 a daemon error (newer API versions only).
 * With a TTY there are no frames: the bytes are the terminal's, use {@link rawChunks}.
 */

export type StdStream = 'stdout' | 'stderr';

export interface StreamChunk {
  stream: StdStream;
  data: Buffer;
}

const HEADER = 8;

/** Splits a multiplexed byte stream into frames; robust to headers and payloads split across chunks. */
export async function* demux(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<StreamChunk> {
  // Pending bytes as a list of chunks, joined only when a whole header or payload is there,
  // so a large frame arriving in many small chunks is copied once, not once per chunk.
  const pending: Buffer[] = [];
  let length = 0;
  const take = (n: number): Buffer => {
    const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending, length);
    pending.length = 0;
    if (all.length > n) pending.push(all.subarray(n));
    length -= n;
    return all.subarray(0, n);
  };
  let want = -1; // payload size of the frame whose header was read, or -1 while waiting for a header
  let kind = 0;
  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (buf.length === 0) continue;
    pending.push(buf);
    length += buf.length;
    for (;;) {
      if (want < 0) {
        if (length < HEADER) break;
        const header = take(HEADER);
        kind = header[0]!;
        want = header.readUInt32BE(4);
      }
      if (length < want) break;
      const data = Buffer.from(take(want)); // own copy: callers may keep it
      want = -1;
      if (kind === 3) throw new Error(`docker stream error: ${data.toString('utf8').trim()}`);
      if (data.length > 0) yield { stream: kind === 2 ? 'stderr' : 'stdout', data };
    }
  }
  if (want >= 0 || length > 0) throw new Error('docker stream ended in the middle of a frame');
}

/** A TTY stream: everything is stdout (the terminal merges stderr into it). */
export async function* rawChunks(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<StreamChunk> {
  for await (const chunk of source) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    if (data.length > 0) yield { stream: 'stdout', data };
  }
}
