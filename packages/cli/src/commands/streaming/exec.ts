// `minik exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [args...]` (kubectl's
// cmd/exec): the command's output, its stdin with -i, a terminal with -t, its exit code as ours.
import type { Action } from '../../command-kit.js';
import { CliError, usageError } from '../../errors.js';
import { parseGoDuration } from '../generators/parse.js';
import { assertNotCompleted, attachablePod, findOrDefaultContainer, getObject, splitArg } from './pods.js';
import { runRemote } from './remote.js';

/** --pod-running-timeout, as a duration flag (cobra's message when it does not parse). */
export function podRunningTimeout(opts: Record<string, unknown>, verb: string, def: string): number {
  const v = String(opts.podRunningTimeout ?? def);
  let ms: number;
  try {
    ms = parseGoDuration(v);
  } catch (e) {
    throw new CliError(`Error: invalid argument "${v}" for "--pod-running-timeout" flag: ${(e as Error).message}\nSee 'minik ${verb} --help' for usage.`);
  }
  if (ms <= 0) throw new CliError(`error: --pod-running-timeout must be higher than zero\nSee 'minik ${verb} -h' for help and examples`);
  return ms;
}

export const exec: Action = async (kube, args, opts) => {
  // Set by the command's registration (commander does not say where `--` was).
  const dash = typeof opts.argsLenAtDash === 'number' ? opts.argsLenAtDash : -1;
  let resource = '';
  let command: string[] = [];
  if (args.length && dash !== 0) resource = args[0]!;
  if (dash > -1) command = args.slice(dash);
  else if (args.length > 1) throw new CliError("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'minik exec -h' for help and examples");
  const timeoutMs = podRunningTimeout(opts, 'exec', '1m0s');
  if (!resource) throw usageError('pod, type/name or --filename must be specified');
  if (!command.length) throw usageError('you must specify at least one command for the container');

  const { type, name } = splitArg(resource);
  const pod = await attachablePod(kube, await getObject(kube, type, name), timeoutMs);
  assertNotCompleted(pod, 'exec into');
  const quiet = !!opts.quiet;
  let container = opts.container as string | undefined;
  if (!container) container = findOrDefaultContainer(pod, undefined, quiet, (m) => process.stderr.write(m)).name;
  await runRemote(kube, { pod, subresource: 'exec', container, command, stdin: !!opts.stdin, tty: !!opts.tty, quiet });
};
