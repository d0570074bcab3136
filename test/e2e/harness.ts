// End-to-end harness: a real cluster started with `bin/minik start` in a temporary MINIK_HOME,
// driven through the real CLI (and the real kubectl) as a user would.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const MINIK = join(ROOT, 'bin', 'minik');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
}

export class Env {
  readonly home: string;
  readonly env: Record<string, string>;

  constructor(prefix = 'minik-e2e-') {
    this.home = mkdtempSync(join(tmpdir(), prefix));
    mkdirSync(join(this.home, 'home'), { recursive: true });
    this.env = {
      ...(process.env as Record<string, string>),
      MINIK_HOME: join(this.home, 'minik'),
      KUBECONFIG: join(this.home, 'kubeconfig'),
      // kubectl caches discovery under $HOME/.kube: keep each test's cache apart.
      HOME: join(this.home, 'home'),
      NO_COLOR: '1',
    };
  }

  path(...p: string[]): string {
    return join(this.home, ...p);
  }

  write(name: string, content: string): string {
    const p = this.path(name);
    mkdirSync(resolve(p, '..'), { recursive: true });
    writeFileSync(p, content);
    return p;
  }

  run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return new Promise((res, rej) => {
      const child = spawn(cmd, args, { env: { ...this.env, ...opts.env }, cwd: opts.cwd ?? this.home });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
      child.on('error', rej);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        res({ code: code ?? (signal ? 128 : 1), stdout, stderr });
      });
      if (opts.input !== undefined) child.stdin.end(opts.input);
      else child.stdin.end();
    });
  }

  minik(args: string[], opts?: RunOptions): Promise<RunResult> {
    return this.run(process.execPath, [MINIK, ...args], opts);
  }

  kubectl(args: string[], opts?: RunOptions): Promise<RunResult> {
    return this.run('kubectl', args, opts);
  }

  /** Runs minik and fails with its output when the exit code is not 0. */
  async ok(args: string[], opts?: RunOptions): Promise<string> {
    const r = await this.minik(args, opts);
    if (r.code !== 0) throw new Error(`minik ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  }

  async cleanup(): Promise<void> {
    await this.minik(['delete']).catch(() => undefined);
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** Replaces AGE-like cells so tables can be compared exactly. */
export function normalizeAges(text: string): string {
  return text.replace(/\b\d+(s|m\d*s?|h\d*m?|d\d*h?)\b(?=\s|$)/g, '<age>');
}

/** Polls `fn` until it returns something truthy; fails with `what` (and the last error) after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
