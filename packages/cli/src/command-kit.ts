// How a verb becomes a commander action: global flags → client, errors → kubectl's messages
// and exit codes. Modules that register commands use these.
import type { Command } from 'commander';
import { formatError, CliError } from './errors.js';
import { Kube, type GlobalOptions } from './context.js';

export type Action = (kube: Kube, args: string[], opts: Record<string, unknown>) => Promise<number | void>;

/** Runs a kubectl-style verb: builds the client from global flags, maps errors to exit codes. */
export function kubeAction(load: () => Promise<Action>) {
  return async (...argv: unknown[]) => {
    const cmd = argv[argv.length - 1] as Command;
    const opts = cmd.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
    const args = (cmd.args ?? []) as string[];
    let kube: Kube | undefined;
    try {
      kube = new Kube(opts);
      const code = await (await load())(kube, args, opts);
      process.exitCode = code ?? 0;
    } catch (e) {
      process.stderr.write(formatError(e) + '\n');
      process.exitCode = e instanceof CliError ? e.exitCode : 1;
    } finally {
      await kube?.close();
    }
  };
}

export function plainAction(fn: (args: string[], opts: Record<string, unknown>) => Promise<number | void>) {
  return async (...argv: unknown[]) => {
    const cmd = argv[argv.length - 1] as Command;
    try {
      const code = await fn((cmd.args ?? []) as string[], cmd.optsWithGlobals());
      process.exitCode = code ?? 0;
    } catch (e) {
      process.stderr.write(formatError(e) + '\n');
      process.exitCode = e instanceof CliError ? e.exitCode : 1;
    }
  };
}

export const collect = (v: string, prev: string[] = []) => prev.concat(v);

