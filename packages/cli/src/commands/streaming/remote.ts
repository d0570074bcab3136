// One exec/attach session from the CLI: the WebSocket to pods/NAME/{exec,attach} with the
// kubeconfig's credentials, wired to this process's stdio and terminal.
import type { Pod } from './pod-types.js';
import { ExitCodeError, openRemoteCommand, streamRemoteCommand, type TerminalSize } from '@minik/api';
import type { Kube } from '../../context.js';
import { CliError } from '../../errors.js';
import { monitorSize, setupTerminal, terminalSize, type TtyInput, type TtyOutput } from './tty.js';

export interface RemoteRequest {
  pod: Pod;
  subresource: 'exec' | 'attach';
  container: string;
  command?: string[];
  stdin: boolean;
  /** kubectl's -t (before checking that stdin is a terminal). */
  tty: boolean;
  quiet: boolean;
  /** attach sends size+1 first so that the program redraws. */
  nudgeSize?: boolean;
  /** Printed (to stderr) once the terminal is set up, before connecting: attach's prompt hint. */
  banner?: string;
}

export interface Stdio {
  stdin: NodeJS.ReadableStream & TtyInput;
  stdout: NodeJS.WritableStream & TtyOutput;
  stderr: NodeJS.WritableStream;
}

const processStdio = (): Stdio => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

/** Runs the session; returns whether a raw terminal was used. Exit codes become CliError. */
export async function runRemote(kube: Kube, r: RemoteRequest, io: Stdio = processStdio()): Promise<{ raw: boolean }> {
  const term = setupTerminal({ stdin: r.stdin, tty: r.tty, quiet: r.quiet }, io.stdin, (m) => io.stderr.write(m));
  try {
    let resize: ((send: (s: TerminalSize) => void) => () => void) | undefined;
    if (term.raw) {
      const size = terminalSize(io.stdout);
      if (size) resize = monitorSize(io.stdout, r.nudgeSize ? [{ width: size.width + 1, height: size.height + 1 }, size] : [size]);
    }
    if (r.banner) io.stderr.write(r.banner);
    term.enter();
    const query: [string, string][] = [['container', r.container]];
    for (const c of r.command ?? []) query.push(['command', c]);
    if (term.stdin) query.push(['stdin', 'true']);
    query.push(['stdout', 'true']);
    // With a terminal, stderr is merged into stdout remotely (kubectl drops the stream).
    if (!term.raw) query.push(['stderr', 'true']);
    if (term.raw) query.push(['tty', 'true']);
    const client = kube.resolved?.client;
    if (!client) throw new Error('no cluster connection settings (kubeconfig) to attach with');
    const ns = encodeURIComponent(r.pod.metadata?.namespace ?? kube.namespace);
    const name = encodeURIComponent(r.pod.metadata?.name ?? '');
    const ws = await openRemoteCommand({
      client,
      path: `/api/v1/namespaces/${ns}/pods/${name}/${r.subresource}`,
      query,
      userAgent: 'minik',
    });
    try {
      await streamRemoteCommand(ws, {
        stdin: term.stdin ? (io.stdin as unknown as import('node:stream').Readable) : undefined,
        stdout: io.stdout as unknown as import('node:stream').Writable,
        stderr: term.raw ? undefined : (io.stderr as unknown as import('node:stream').Writable),
        resize,
      });
    } catch (e) {
      // kubectl prints the exit error's message as is and exits with the command's code.
      if (e instanceof ExitCodeError) throw new CliError(e.message, e.exitCode);
      throw e;
    }
    return { raw: term.raw };
  } finally {
    term.restore();
    // Stop reading stdin so that the process can exit (the session no longer wants it).
    if (term.stdin) io.stdin.pause();
  }
}
