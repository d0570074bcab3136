import { describe, expect, it } from 'vitest';
import { demux, rawChunks, type StreamChunk } from './demux.js';
import { jsonLines } from './json-lines.js';
import { filtersParam, splitRef, timeParam, toQuery } from './params.js';

function frame(kind: number, text: string): Buffer {
  const data = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = kind;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const text = (chunks: StreamChunk[]) => chunks.map((c) => `${c.stream}:${c.data.toString()}`);

describe('demux', () => {
  const stream = Buffer.concat([frame(1, 'out1\n'), frame(2, 'err1\n'), frame(1, ''), frame(1, 'out2 ünïcode\n'), frame(2, 'x'.repeat(70_000))]);
  const want = ['stdout:out1\n', 'stderr:err1\n', 'stdout:out2 ünïcode\n', `stderr:${'x'.repeat(70_000)}`];

  it.each([1, 3, 7, 8, 9, 4096, stream.length])('splits frames from chunks of %i bytes', async (size) => {
    expect(text(await collect(demux(chunked(stream, size))))).toEqual(want);
  });

  it('copies payloads so callers may keep them', async () => {
    const source = Buffer.concat([frame(1, 'keep'), frame(1, 'also')]);
    const chunks = await collect(demux(chunked(source, 100)));
    source.fill(0); // the reader reuses its buffers
    expect(text(chunks)).toEqual(['stdout:keep', 'stdout:also']);
  });

  it('throws on a stream cut in the middle of a frame', async () => {
    await expect(collect(demux(chunked(frame(1, 'hello').subarray(0, 10), 4)))).rejects.toThrow(/middle of a frame/);
  });

  it('turns a daemon error frame (3) into an error', async () => {
    await expect(collect(demux(chunked(frame(3, 'boom'), 100)))).rejects.toThrow(/boom/);
  });

  it('passes TTY bytes through as stdout', async () => {
    expect(text(await collect(rawChunks(chunked(Buffer.from('a\r\nb'), 2))))).toEqual(['stdout:a\r', 'stdout:\nb']);
  });
});

describe('jsonLines', () => {
  it('parses objects split across chunks, several per chunk, with multi-byte characters split', async () => {
    const src = Buffer.from('{"a":1}\n{"b":"é€"}\n\n{"c":[1,2]}\n{"d":true}');
    for (const size of [1, 2, 5, src.length]) {
      expect(await collect(jsonLines(chunked(src, size)))).toEqual([{ a: 1 }, { b: 'é€' }, { c: [1, 2] }, { d: true }]);
    }
  });

  it('handles CRLF line ends (image import answers end with \\r\\n)', async () => {
    expect(await collect(jsonLines(chunked(Buffer.from('{"status":"sha256:x"}\r\n'), 3)))).toEqual([{ status: 'sha256:x' }]);
  });
});

describe('request parameters', () => {
  it('splits image references, defaulting to latest (the raw API would pull every tag)', () => {
    expect(splitRef('busybox')).toEqual({ name: 'busybox', tag: 'latest' });
    expect(splitRef('local/busybox:1.35')).toEqual({ name: 'local/busybox', tag: '1.35' });
    expect(splitRef('localhost:5000/app')).toEqual({ name: 'localhost:5000/app', tag: 'latest' });
    expect(splitRef('localhost:5000/app:v2')).toEqual({ name: 'localhost:5000/app', tag: 'v2' });
    expect(splitRef('app@sha256:abc')).toEqual({ name: 'app@sha256:abc' });
  });

  it('encodes filters, labels and booleans as Docker reads them', () => {
    expect(filtersParam({ type: ['container'] }, { a: 'b', c: true })).toBe('{"type":["container"],"label":["a=b","c"]}');
    expect(filtersParam({})).toBeUndefined();
    expect(toQuery({ all: true, force: false, t: 0, skip: undefined, changes: ['CMD ["/x"]', 'ENV A=b'] })).toBe(
      'all=1&force=0&t=0&changes=CMD+%5B%22%2Fx%22%5D&changes=ENV+A%3Db',
    );
    expect(timeParam(new Date(1_700_000_000_500))).toBe('1700000000.500');
  });
});
