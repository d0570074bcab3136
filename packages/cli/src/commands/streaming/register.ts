// Streaming verbs: `logs`, `exec`, `attach` (and the attach step of `run -it`), `port-forward`.
// Action modules load only when their command runs, as in main.ts.
import type { Command } from 'commander';
import { collect, kubeAction } from '../../command-kit.js';
import { acceptBoolValues } from '../generators/cli.js';

function containerAndTimeout(c: Command, timeout: string): Command {
  return c
    .option('-c, --container <name>', 'container name; defaults to the pod\'s only (or kubectl.kubernetes.io/default-container) container')
    .option('--pod-running-timeout <duration>', 'how long to wait for a pod of a TYPE/NAME to be running (e.g. 5s, 2m)', timeout);
}

export function registerStreaming(program: Command): void {
  acceptBoolValues(
    containerAndTimeout(program.command('logs'), '20s')
      .description('Print the logs for a container in a pod')
      .argument('[args...]', 'POD | TYPE/NAME [CONTAINER]')
      .option('-f, --follow', 'stream the logs')
      .option('--tail <lines>', 'lines of recent log to show (-1: all; 10 with a selector)')
      .option('-p, --previous', 'the logs of the previous instance of the container, if it exists')
      .option('--timestamps', 'include timestamps on each line')
      .option('--since <duration>', 'only logs newer than a relative duration like 5s, 2m, or 3h')
      .option('--since-time <time>', 'only logs after a date (RFC3339)')
      .option('--limit-bytes <bytes>', 'maximum bytes of logs to return')
      .option('-l, --selector <selector>', 'label selector: logs of the matching pods')
      .option('--all-containers', "every container's logs in the pod(s)")
      .option('--all-pods', 'logs of every pod of a TYPE/NAME (sets --prefix)')
      .option('--prefix', 'prefix each line with its source (pod and container name)')
      .option('--max-log-requests <n>', 'how many logs to follow at once with a selector', '5')
      .option('--ignore-errors', 'when following several logs, keep going after an error')
      .option('--insecure-skip-tls-verify-backend', "skip verifying the node's identity (accepted, no effect on minik)"),
  ).action(kubeAction(async () => (await import('./logs.js')).logs));

  const exec = acceptBoolValues(
    containerAndTimeout(program.command('exec'), '1m0s')
      .description('Execute a command in a container')
      .argument('[args...]', '(POD | TYPE/NAME) -- COMMAND [args...]')
      .option('-i, --stdin', 'pass stdin to the container')
      .option('-t, --tty', 'stdin is a TTY')
      .option('-q, --quiet', 'only print output from the remote session'),
  );
  exec.action((...argv: unknown[]) => {
    const cmd = argv[argv.length - 1] as Command;
    // Where `--` was: before it the pod, after it the command (cobra's ArgsLenAtDash).
    let root = cmd;
    while (root.parent) root = root.parent;
    const raw = (root as Command & { rawArgs?: string[] }).rawArgs ?? [];
    const dash = raw.indexOf('--');
    cmd.setOptionValue('argsLenAtDash', dash < 0 ? -1 : Math.max(0, cmd.args.length - (raw.length - dash - 1)));
    return kubeAction(async () => (await import('./exec.js')).exec)(...argv);
  });

  program
    .command('port-forward')
    .description('Forward one or more local ports to a pod')
    .argument('[args...]', 'TYPE/NAME [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]')
    .option('--address <addresses>', 'addresses to listen on (comma-separated): localhost (127.0.0.1 and ::1) or IPs; listening beyond loopback exposes the pod to your network', collect)
    .option('--pod-running-timeout <duration>', 'how long to wait for a pod of a TYPE/NAME to be running (e.g. 5s, 2m)', '1m0s')
    .action(kubeAction(async () => (await import('./port-forward.js')).portForward));

  acceptBoolValues(
    containerAndTimeout(program.command('attach'), '1m0s')
      .description('Attach to a running container')
      .argument('[args...]', 'POD | TYPE/NAME | TYPE NAME')
      .option('-i, --stdin', 'pass stdin to the container')
      .option('-t, --tty', 'stdin is a TTY')
      .option('-q, --quiet', 'only print output from the remote session'),
  ).action(kubeAction(async () => (await import('./attach.js')).attach));
}
