// `minik`: kubectl's verbs against any cluster, plus the cluster lifecycle and the daemons.
import { Command, Option } from 'commander';
import { DEFAULT_CLUSTER } from './cluster/paths.js';
import { kubeAction, plainAction, collect } from './command-kit.js';
import { registerGenerators } from './commands/generators/register.js';
import { registerStreaming } from './commands/streaming/register.js';

export type { Action } from './command-kit.js';

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
    .option('--nodes <n>', 'number of nodes for a new cluster: master plus workers (default 3)', (v) => Number(v))
    .option('--cpus <cpus>', 'CPU of each node, e.g. 2 or 500m (default: this machine\'s, divided among nodes)')
    .option('--memory <memory>', 'memory of each node, e.g. 4Gi (default: this machine\'s, divided among nodes)')
    .option('--wait <seconds>', 'how long to wait for the cluster to be ready', (v) => Number(v), 60)
    .option('--fast-failover', 'detect a stopped node in 4 s and move its pods 1 s later (Kubernetes: 40 s and 300 s)')
    .action(
      plainAction(async (_a, o) =>
        (await import('./cluster/lifecycle.js')).startCluster({
          name: o.name as string,
          port: o.port as number | undefined,
          kubeconfig: o.kubeconfig as string | undefined,
          wait: o.wait as number,
          nodes: o.nodes as number | undefined,
          cpus: o.cpus as string | undefined,
          memory: o.memory as string | undefined,
          fastFailover: o.fastFailover as boolean | undefined,
        }),
      ),
    );
  program
    .command('stop')
    .description('Stop a cluster, keeping its state')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER)
    .action(plainAction(async (_a, o) => (await import('./cluster/lifecycle.js')).stopCluster(o.name as string)));
  program
    .command('status')
    .description('Show whether a cluster is running')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER)
    .action(plainAction(async (_a, o) => (await import('./cluster/lifecycle.js')).clusterStatus(o.name as string, o.kubeconfig as string | undefined)));

  const node = program.command('node').description('Manage the nodes (simulated laptops) of a cluster');
  node
    .command('list')
    .description('List the nodes and whether their agents run')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER)
    .action(plainAction(async (_a, o) => (await import('./cluster/lifecycle.js')).listNodes(o.name as string)));
  node
    .command('add')
    .description('Add a node (default name: the next workerN)')
    .argument('[node]')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER)
    .option('--control-plane', 'give the node the control-plane role')
    .option('--cpus <cpus>', 'CPU of the node')
    .option('--memory <memory>', 'memory of the node')
    .action(plainAction(async (a, o) => (await import('./cluster/lifecycle.js')).addNode(o.name as string, a[0], o)));
  node
    .command('stop')
    .description('Stop a node as if its laptop went dark: its agent and containers stop, its Node stays')
    .argument('<node>')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER)
    .action(plainAction(async (a, o) => (await import('./cluster/lifecycle.js')).stopNode(o.name as string, a[0])));
  node
    .command('start')
    .description('Start a stopped node again')
    .argument('<node>')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER)
    .option('--wait <seconds>', 'how long to wait for it to be Ready', (v) => Number(v), 60)
    .action(plainAction(async (a, o) => (await import('./cluster/lifecycle.js')).startNode(o.name as string, a[0], { wait: o.wait as number })));
  node
    .command('rm')
    .description('Remove a node: stop its agent, remove its containers and its Node object')
    .argument('<node>')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER)
    .action(plainAction(async (a, o) => (await import('./cluster/lifecycle.js')).removeNode(o.name as string, a[0])));

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
    .option('--advertise-address <ip>', 'also serve on this address (the cluster network gateway), for pods')
    .option('--service-cluster-ip-range <cidr>', 'the Service ClusterIP range')
    .option('--addon-image <image>', 'image of the cluster add-ons (DNS, Service proxies)')
    .option('--node-monitor-grace-period <seconds>', 'a node whose Lease is not renewed for this long becomes NotReady (default 40)')
    .option('--default-toleration-seconds <seconds>', 'tolerationSeconds of the not-ready/unreachable NoExecute tolerations pods get (default 300)')
    .action(async (o) => (await import('./commands/daemons.js')).runApiserver(o));
  program
    .command('node-agent', { hidden: true })
    .description('Run a node agent in the foreground (started by `minik start`)')
    .requiredOption('--cluster <name>')
    .requiredOption('--name <node>')
    .requiredOption('--apiserver <url>')
    .requiredOption('--token-file <file>')
    .option('--ca-file <file>')
    .requiredOption('--network <name>')
    .requiredOption('--pod-cidr <cidr>')
    .requiredOption('--state-dir <dir>')
    .requiredOption('--cpu-milli <n>')
    .requiredOption('--memory-bytes <n>')
    .option('--control-plane')
    .option('--untainted', 'no control-plane taint (single-node clusters)')
    .option('--cluster-dns <ip>', 'the cluster DNS address given to pods')
    .option('--lease-renew-ms <ms>', 'Node Lease renewal period (default 10000)')
    .action(async (o) => (await import('./commands/daemons.js')).runNodeAgent(o));

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
    .option('--output-watch-events', 'with --watch, print the event type (ADDED, MODIFIED, DELETED) as a first column')
    .option('--sort-by <jsonpath>', 'sort list by this field')
    .option('--ignore-not-found', 'treat "resource not found" as success')
    .option('-f, --filename <file>', 'files identifying the resources', collect)
    .option('-R, --recursive', 'process directories recursively')
    .option('--raw <path>', 'raw URI to request from the server')
    .option('--chunk-size <n>', 'return large lists in chunks', '500')
    .action(kubeAction(async () => (await import('./commands/get.js')).get));

  const fileOpts = (c: Command) =>
    c.option('-f, --filename <file>', 'files, directories or - (stdin) with the objects', collect).option('-R, --recursive', 'process directories in -f recursively');
  const dryRunOpt = (c: Command) => c.option('--dry-run [strategy]', 'none, client or server: only print what would be done');
  const validateOpt = (c: Command) => c.option('--validate <mode>', 'strict (true), warn, or ignore (false): how the server treats unknown fields', 'strict');

  dryRunOpt(validateOpt(fileOpts(program.command('apply'))))
    .description('Apply a configuration to resources from files or stdin')
    .option('-o, --output <format>', 'output format: yaml|json|name|...')
    .action(kubeAction(async () => (await import('./commands/apply.js')).apply));

  const create = dryRunOpt(validateOpt(fileOpts(program.command('create'))))
    .description('Create resources from files, or with a generator subcommand')
    .option('-o, --output <format>', 'output format: yaml|json|name|...')
    .action(kubeAction(async () => (await import('./commands/create.js')).createFromFiles));
  void create;

  dryRunOpt(fileOpts(program.command('delete')))
    .description('Delete resources by file, type and name, or selector; with no arguments, delete the cluster')
    .argument('[type-and-names...]')
    .option('-l, --selector <selector>', 'label selector')
    .option('--field-selector <selector>', 'field selector')
    .option('--all', 'delete all resources of the type in the namespace')
    .option('-A, --all-namespaces', 'across all namespaces')
    .option('--cascade [policy]', 'background, foreground or orphan', 'background')
    .option('--grace-period <seconds>', 'seconds given to the resource to terminate gracefully', '-1')
    .option('--now', 'signal resources for immediate shutdown (grace period 1)')
    .option('--force', 'immediately remove resources from the API (grace period 0)')
    .option('--wait [bool]', 'wait for resources to be gone before returning', true)
    .option('--timeout <duration>', 'how long to wait before giving up', '0s')
    .option('--ignore-not-found', 'treat "resource not found" as a successful delete')
    .option('-o, --output <format>', 'name: print only resource/name')
    .option('--name <cluster>', 'cluster to delete (when no resources are given)', DEFAULT_CLUSTER)
    .action(async (...argv: unknown[]) => {
      const cmd = argv[argv.length - 1] as Command;
      const o = cmd.optsWithGlobals();
      if (!cmd.args.length && !o.filename) {
        return plainAction(async () => (await import('./cluster/lifecycle.js')).deleteCluster(o.name as string, o.kubeconfig as string | undefined))(...argv);
      }
      return kubeAction(async () => (await import('./commands/delete.js')).deleteCmd)(...argv);
    });

  for (const [verb, what] of [
    ['label', 'labels'],
    ['annotate', 'annotations'],
  ] as const) {
    dryRunOpt(fileOpts(program.command(verb)))
      .description(`Update the ${what} on resources`)
      .argument('<args...>')
      .option('--overwrite', `allow changing existing ${what}`)
      .option('-l, --selector <selector>', 'label selector')
      .option('--field-selector <selector>', 'field selector')
      .option('--all', 'every resource of the type in the namespace')
      .option('-A, --all-namespaces', 'across all namespaces')
      .option('--list', `list the current ${what}`)
      .option('--resource-version <rv>', 'only update if the resource version matches')
      .option('-o, --output <format>', 'name: print only resource/name')
      .action(kubeAction(async () => (await import('./commands/label.js'))[verb]));
  }

  dryRunOpt(fileOpts(program.command('scale')))
    .description('Set a new size for a deployment, replica set or stateful set')
    .argument('[type-and-names...]')
    .option('--replicas <n>', 'the new desired number of replicas')
    .option('--current-replicas <n>', 'precondition: the current size must match')
    .option('--resource-version <rv>', 'precondition: the resource version must match')
    .option('-l, --selector <selector>', 'label selector')
    .option('--all', 'every resource of the type in the namespace')
    .option('-o, --output <format>', 'name: print only resource/name')
    .action(kubeAction(async () => (await import('./commands/scale.js')).scale));

  const rollout = program.command('rollout').description('Manage the rollout of a deployment (status, history, undo, pause, resume, restart)');
  const rolloutVerb = (name: string, description: string, fn: 'rolloutStatus' | 'rolloutHistory' | 'rolloutUndo' | 'rolloutPause' | 'rolloutResume' | 'rolloutRestart') =>
    rollout
      .command(name)
      .description(description)
      .argument('[type-and-names...]')
      .action(kubeAction(async () => (await import('./commands/rollout.js'))[fn]));
  rolloutVerb('status', 'Show the status of the rollout', 'rolloutStatus')
    .option('-w, --watch [bool]', 'watch the status of the rollout until it is done', true)
    .option('--no-watch', 'print the status once')
    .option('--revision <n>', 'pin to a specific revision for showing its status')
    .option('--timeout <duration>', 'the length of time to wait before ending watch, zero means never (e.g. 1s, 2m, 3h)', '0s');
  rolloutVerb('history', 'View rollout history', 'rolloutHistory').option('--revision <n>', 'see the details, including the pod template, of the revision specified');
  rolloutVerb('undo', 'Undo a previous rollout', 'rolloutUndo').option('--to-revision <n>', 'the revision to roll back to (default: the previous one)');
  rolloutVerb('pause', 'Mark the provided resource as paused', 'rolloutPause');
  rolloutVerb('resume', 'Resume a paused resource', 'rolloutResume');
  rolloutVerb('restart', 'Restart a resource', 'rolloutRestart');

  program
    .command('set')
    .description('Set specific features on objects')
    .command('image')
    .description('Update the image of a pod template: set image (TYPE NAME | TYPE/NAME) CONTAINER=IMAGE ...')
    .argument('<args...>')
    .action(kubeAction(async () => (await import('./commands/rollout.js')).setImage));

  fileOpts(program.command('wait'))
    .description('Wait for a specific condition on one or many resources')
    .argument('[type-and-names...]')
    .option('--for <condition>', 'delete, create, condition=NAME[=VALUE] or jsonpath=\'{.path}\'[=VALUE]')
    .option('--timeout <duration>', 'how long to wait; zero checks once, negative waits a week', '30s')
    .option('-l, --selector <selector>', 'label selector')
    .option('--all', 'every resource of the type in the namespace')
    .option('-A, --all-namespaces', 'across all namespaces')
    .action(kubeAction(async () => (await import('./commands/wait.js')).wait));

  for (const verb of ['cordon', 'uncordon'] as const) {
    program
      .command(verb)
      .description(verb === 'cordon' ? 'Mark node as unschedulable' : 'Mark node as schedulable')
      .argument('[nodes...]')
      .option('-l, --selector <selector>', 'label selector')
      .option('--dry-run [strategy]', 'none, client or server')
      .action(kubeAction(async () => (await import('./commands/node-admin.js'))[verb]));
  }
  program
    .command('taint')
    .description('Update the taints on one or more nodes: taint nodes NODE KEY[=VALUE]:EFFECT ... (KEY[:EFFECT]- removes)')
    .argument('<args...>')
    .option('-l, --selector <selector>', 'label selector')
    .option('--all', 'every node')
    .option('--overwrite', 'replace taints with the same key and effect')
    .action(kubeAction(async () => (await import('./commands/node-admin.js')).taint));

  fileOpts(program.command('describe'))
    .description('Show details of a resource or group of resources')
    .argument('[type-and-names...]')
    .option('-l, --selector <selector>', 'label selector')
    .option('-A, --all-namespaces', 'across all namespaces')
    .option('--show-events <bool>', 'show events related to the described object', true)
    .action(kubeAction(async () => (await import('./commands/describe.js')).describe));

  fileOpts(program.command('edit'))
    .description('Edit a resource in your editor ($KUBE_EDITOR, $EDITOR or vi)')
    .argument('[type-and-names...]')
    .option('-o, --output <format>', 'yaml (default) or json: the format to edit in, and print the result in')
    .option('--validate <mode>', 'strict (true), warn, or ignore (false): how the server treats unknown fields', 'strict')
    .option('--output-patch', 'print the patch that was sent')
    .option('--windows-line-endings', 'use CRLF line endings')
    .action(kubeAction(async () => (await import('./commands/edit.js')).edit));

  program
    .command('api-resources')
    .description('Print the supported API resources on the server')
    .option('-o, --output <format>', 'wide or name')
    .option('--api-group <group>', 'limit to resources in this API group')
    .option('--namespaced <bool>', 'true for namespaced resources, false for cluster-scoped ones')
    .option('--verbs <verbs>', 'limit to resources that support these verbs')
    .option('--categories <categories>', 'limit to resources in these categories')
    .option('--sort-by <field>', 'name or kind')
    .option('--no-headers', "don't print headers")
    .action(kubeAction(async () => (await import('./commands/api-resources.js')).apiResources));

  program
    .command('version')
    .description('Print the client and server version information')
    .option('--client', 'client version only')
    .option('-o, --output <format>', 'yaml or json')
    .action(async (...argv: unknown[]) => {
      const cmd = argv[argv.length - 1] as Command;
      if (cmd.optsWithGlobals().client) {
        const { version } = await import('./commands/version.js');
        return plainAction(async (_a, o) => version(undefined as never, [], o))(...argv);
      }
      return kubeAction(async () => (await import('./commands/version.js')).version)(...argv);
    });

  const config = program.command('config').description('Modify kubeconfig files');
  config
    .command('view')
    .description('Display merged kubeconfig settings')
    .option('--minify', 'only the current context and what it uses')
    .option('--raw', 'show secrets (tokens, certificates) instead of redacting them')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .action(plainAction(async (_a, o) => (await import('./commands/config.js')).configView(o)));
  config
    .command('current-context')
    .description('Display the current context')
    .action(plainAction(async (_a, o) => (await import('./commands/config.js')).currentContext(o)));
  config
    .command('use-context')
    .description('Set the current context in a kubeconfig file')
    .argument('<name>')
    .action(plainAction(async (a, o) => (await import('./commands/config.js')).useContext(a[0], o)));
  config
    .command('get-contexts')
    .description('Describe one or many contexts')
    .argument('[names...]')
    .option('-o, --output <format>', 'name')
    .option('--no-headers', "don't print headers")
    .action(plainAction(async (a, o) => (await import('./commands/config.js')).getContexts(a, o)));
  config
    .command('set-context')
    .description('Set a context entry in kubeconfig')
    .argument('[name]')
    .option('--current', 'modify the current context')
    .option('--cluster <name>')
    .option('--user <name>')
    .action(plainAction(async (a, o) => (await import('./commands/config.js')).setContext(a[0], o)));

  registerGenerators(program);
  registerStreaming(program);
  return program;
}

export async function main(argv = process.argv): Promise<void> {
  const program = buildProgram();
  await program.parseAsync(argv);
}
