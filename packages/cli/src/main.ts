// `minik`: kubectl's verbs against any cluster, plus the cluster lifecycle and the daemons.
import { Command, Option } from 'commander';
import { formatError, CliError } from './errors.js';
import { Kube, type GlobalOptions } from './context.js';
import { DEFAULT_CLUSTER } from './cluster/paths.js';

export type Action = (kube: Kube, args: string[], opts: Record<string, unknown>) => Promise<number | void>;

/** Runs a kubectl-style verb: builds the client from global flags, maps errors to exit codes. */
function kubeAction(load: () => Promise<Action>) {
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

function plainAction(fn: (args: string[], opts: Record<string, unknown>) => Promise<number | void>) {
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

const collect = (v: string, prev: string[] = []) => prev.concat(v);

export function buildProgram(): Command {
  const program = new Command('minik');
  program
    .description('Kubernetes in miniature: a local multi-node cluster with real containers, and a kubectl-compatible CLI')
    .option('--kubeconfig <path>', 'path to the kubeconfig file to use')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('-n, --namespace <namespace>', 'the namespace scope for this request')
    .option('-s, --server <url>', 'the address and port of the Kubernetes API server')
    .option('--token <token>', 'bearer token for authentication to the API server')
    .option('--request-timeout <duration>', 'time to wait for a single request (e.g. 10s, 1m); 0 waits forever', '0')
    .showHelpAfterError()
    .configureOutput({ outputError: (str, write) => write(str.replace(/^error: /, 'error: ')) })
    .exitOverride((err) => {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
      process.exit(1);
    });

  // ---- cluster lifecycle ----
  program
    .command('start')
    .description('Create a cluster (or start a stopped one) and point the kubeconfig at it')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER)
    .option('--port <port>', 'apiserver port on 127.0.0.1 (default 6443, or a free one)', (v) => Number(v))
    .option('--wait <seconds>', 'how long to wait for the cluster to be ready', (v) => Number(v), 60)
    .action(plainAction(async (_a, o) => (await import('./cluster/lifecycle.js')).startCluster({ name: o.name as string, port: o.port as number | undefined, kubeconfig: o.kubeconfig as string | undefined, wait: o.wait as number })));
  program
    .command('stop')
    .description('Stop a cluster, keeping its state')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER)
    .action(plainAction(async (_a, o) => (await import('./cluster/lifecycle.js')).stopCluster(o.name as string)));
  program
    .command('delete-cluster', { hidden: true })
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER)
    .action(plainAction(async (_a, o) => (await import('./cluster/lifecycle.js')).deleteCluster(o.name as string, o.kubeconfig as string | undefined)));
  program
    .command('status')
    .description('Show whether a cluster is running')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER)
    .action(plainAction(async (_a, o) => (await import('./cluster/lifecycle.js')).clusterStatus(o.name as string, o.kubeconfig as string | undefined)));

  // ---- daemons ----
  program
    .command('apiserver', { hidden: true })
    .description('Run the API server in the foreground (started by `minik start`)')
    .requiredOption('--data-dir <dir>')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '6443')
    .option('--token-file <file>')
    .option('--tls-cert-file <file>')
    .option('--tls-private-key-file <file>')
    .option('--client-ca-file <file>', 'CA the in-process controllers trust')
    .action(async (o) => (await import('./commands/daemons.js')).runApiserver(o));

  // ---- kubectl verbs ----
  program
    .command('get')
    .description('Display one or many resources')
    .argument('[type-and-names...]')
    .addOption(new Option('-o, --output <format>', 'output format: wide|yaml|json|name|jsonpath=...|custom-columns=...'))
    .option('-l, --selector <selector>', 'label selector (e.g. -l key1=value1,key2=value2)')
    .option('--field-selector <selector>', 'field selector (e.g. --field-selector status.phase=Running)')
    .option('-A, --all-namespaces', 'list across all namespaces')
    .option('--show-labels', 'show all labels as the last column')
    .option('-L, --label-columns <keys>', 'labels to show as columns', collect)
    .option('--no-headers', "don't print headers")
    .option('-w, --watch', 'after listing, watch for changes')
    .option('--watch-only', 'watch for changes without listing first')
    .option('--sort-by <jsonpath>', 'sort list by this field')
    .option('--ignore-not-found', 'treat "resource not found" as success')
    .option('-f, --filename <file>', 'files identifying the resources', collect)
    .option('-R, --recursive', 'process directories recursively')
    .option('--raw <path>', 'raw URI to request from the server')
    .option('--chunk-size <n>', 'return large lists in chunks', '500')
    .action(kubeAction(async () => (await import('./commands/get.js')).get));

  return program;
}

export async function main(argv = process.argv): Promise<void> {
  const program = buildProgram();
  await program.parseAsync(argv);
}
