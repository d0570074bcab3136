// `minik attach (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t]` (kubectl's cmd/attach), and the
// attach step of `minik run -i/-t` (attachToRunningPod).
import type { Pod } from './pod-types.js';
import type { Action } from '../../command-kit.js';
import type { Kube } from '../../context.js';
import { CliError } from '../../errors.js';
import { podRunningTimeout } from './exec.js';
import { assertNotCompleted, attachablePod, findContainer, findOrDefaultContainer, getObject, splitArg } from './pods.js';
import { runRemote, type Stdio } from './remote.js';

export interface AttachRequest {
  container?: string;
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
  /** How to re-attach, in the "Session ended" hint (`minik attach`). */
  commandName: string;
}

/** AttachOptions.Run once the pod is known: the container, TTY rules, the session, the hint. */
export async function attachToRunningPod(kube: Kube, pod: Pod, o: AttachRequest, io?: Stdio): Promise<void> {
  const err = io?.stderr ?? process.stderr;
  const out = io?.stdout ?? process.stdout;
  let container;
  try {
    container = findOrDefaultContainer(pod, o.container, o.quiet, (m) => err.write(m));
  } catch (e) {
    throw new CliError(`error: cannot attach to the container: ${(e as Error).message}`);
  }
  let tty = o.tty;
  if (tty && !container.tty) {
    tty = false;
    if (!o.quiet) err.write(`error: Unable to use a TTY - container ${container.name} did not allocate one\n`);
  } else if (!tty && container.tty) {
    // The container was started with a TTY: its output is not multiplexed, so use one too.
    tty = true;
  }
  const banner = o.quiet ? undefined : "If you don't see a command prompt, try pressing enter.\n";
  const { raw } = await runRemote(kube, { pod, subresource: 'attach', container: container.name, stdin: o.stdin, tty, quiet: o.quiet, nudgeSize: true, banner }, io);
  const ephemeral = findContainer(pod, container.name)?.fieldPath.startsWith('spec.ephemeralContainers');
  if (!o.quiet && o.stdin && raw && pod.spec?.restartPolicy === 'Always') {
    out.write(
      ephemeral
        ? `Session ended, the ephemeral container will not be restarted but may be reattached using '${o.commandName} ${pod.metadata?.name} -c ${container.name} -i -t' if it is still running\n`
        : `Session ended, resume using '${o.commandName} ${pod.metadata?.name} -c ${container.name} -i -t' command when the pod is running\n`,
    );
  }
}

export const attach: Action = async (kube, args, opts) => {
  if (!args.length) throw new CliError('error: at least 1 argument is required for attach');
  if (args.length > 2) throw new CliError(`error: expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${args.length}: [${args.join(' ')}]`);
  const timeoutMs = podRunningTimeout(opts, 'attach', '1m0s');
  const { type, name } = args.length === 2 ? { type: args[0], name: args[1]! } : splitArg(args[0]!);
  const pod = await attachablePod(kube, await getObject(kube, type, name), timeoutMs);
  assertNotCompleted(pod, 'attach');
  await attachToRunningPod(kube, pod, {
    container: opts.container as string | undefined,
    stdin: !!opts.stdin,
    tty: !!opts.tty,
    quiet: !!opts.quiet,
    commandName: 'minik attach',
  });
};
