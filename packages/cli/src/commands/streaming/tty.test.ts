// The terminal side of exec/attach with a fake TTY: raw mode on and back off, kubectl's message
// when stdin is not a terminal, sizes (attach's +1 nudge, SIGWINCH changes), and a whole session
// against an in-process WebSocket server seeing tty=1, no stderr stream, and the resizes.
import http from 'node:http';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Channel, acceptWebSocket, channelMessage, successStatusJson } from '@minik/api';
import type { Kube } from '../../context.js';
import { monitorSize, setupTerminal, terminalSize } from './tty.js';
import { runRemote, type Stdio } from './remote.js';

class FakeTtyIn extends PassThrough {
  isTTY = true;
  modes: boolean[] = [];
  setRawMode(m: boolean) {
    this.modes.push(m);
    return this;
  }
}

class FakeTtyOut extends PassThrough {
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  /** What a SIGWINCH does to process.stdout. */
  resizeTo(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

describe('setupTerminal', () => {
  it('goes raw only for -i -t on a terminal, and restores once', () => {
    const input = new FakeTtyIn();
    const t = setupTerminal({ stdin: true, tty: true, quiet: false }, input, () => {});
    expect(t).toMatchObject({ stdin: true, raw: true });
    expect(input.modes).toEqual([]);
    t.enter();
    t.restore();
    t.restore();
    expect(input.modes).toEqual([true, false]);
    expect(setupTerminal({ stdin: false, tty: true, quiet: false }, input, () => {})).toMatchObject({ stdin: false, raw: false });
    expect(input.modes).toEqual([true, false]);
  });

  it('falls back without a terminal, saying so unless quiet', () => {
    const msgs: string[] = [];
    const pipe = { isTTY: false };
    expect(setupTerminal({ stdin: true, tty: true, quiet: false }, pipe, (m) => msgs.push(m))).toMatchObject({ stdin: true, raw: false });
    setupTerminal({ stdin: true, tty: true, quiet: true }, pipe, (m) => msgs.push(m));
    expect(msgs).toEqual(['Unable to use a TTY - input is not a terminal or the right kind of file\n']);
  });
});

describe('monitorSize', () => {
  it('sends the initial sizes, then changes only, until unsubscribed', () => {
    const out = new FakeTtyOut(80, 24);
    expect(terminalSize(out)).toEqual({ width: 80, height: 24 });
    const sent: string[] = [];
    const stop = monitorSize(out, [{ width: 81, height: 25 }, { width: 80, height: 24 }])((s) => sent.push(`${s.width}x${s.height}`));
    out.resizeTo(80, 24); // unchanged: not sent
    out.resizeTo(100, 30);
    stop();
    out.resizeTo(120, 40);
    expect(sent).toEqual(['81x25', '80x24', '100x30']);
    expect(terminalSize(Object.assign(new EventEmitter(), { isTTY: false, columns: 1, rows: 1, off() {} }) as never)).toBeUndefined();
  });
});

let close: (() => void) | undefined;
afterEach(() => close?.());

describe('runRemote with a terminal', () => {
  it('asks for a TTY without stderr, sends resizes, forwards raw keys, restores the terminal', async () => {
    const got: { query?: URLSearchParams; resizes: string[]; stdin: string } = { resizes: [], stdin: '' };
    const srv = http.createServer();
    srv.on('upgrade', (req, socket, head) => {
      got.query = new URL(req.url!, 'http://x').searchParams;
      const ws = acceptWebSocket(req, socket, head, ['v5.channel.k8s.io'])!;
      ws.on('message', (d) => {
        if (d[0] === Channel.resize) got.resizes.push(d.subarray(1).toString().trim());
        if (d[0] === Channel.stdin) {
          got.stdin += d.subarray(1).toString();
          // Ctrl-D ends the remote shell.
          if (d.includes(4)) {
            ws.send(channelMessage(Channel.stdout, Buffer.from('bye\r\n')));
            ws.send(channelMessage(Channel.error, Buffer.from(successStatusJson())));
            ws.close();
          }
        }
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    close = () => srv.close();
    const kube = { namespace: 'default', resolved: { client: { server: `http://127.0.0.1:${(srv.address() as AddressInfo).port}` } } } as unknown as Kube;
    const stdin = new FakeTtyIn();
    const stdout = new FakeTtyOut(80, 24);
    let out = '';
    stdout.on('data', (d) => (out += d));
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d) => (err += d));
    const io = { stdin, stdout, stderr } as unknown as Stdio;
    const pod = { metadata: { name: 'p', namespace: 'default' } };
    const run = runRemote(kube, { pod, subresource: 'attach', container: 'c', stdin: true, tty: true, quiet: false, nudgeSize: true, banner: 'hint\n' }, io);
    await new Promise((r) => setTimeout(r, 50));
    stdout.resizeTo(100, 30);
    stdin.write('ls\r');
    await new Promise((r) => setTimeout(r, 30));
    stdin.write(Buffer.from([4]));
    expect(await run).toEqual({ raw: true });
    expect(Object.fromEntries(got.query!)).toEqual({ container: 'c', stdin: 'true', stdout: 'true', tty: 'true' });
    expect(got.resizes).toEqual(['{"Width":81,"Height":25}', '{"Width":80,"Height":24}', '{"Width":100,"Height":30}']);
    expect(got.stdin).toBe('ls\r\u0004');
    expect(out).toBe('bye\r\n');
    expect(err).toBe('hint\n');
    expect(stdin.modes).toEqual([true, false]);
  });
});
