// Generator verbs (`create namespace|deployment|service|configmap|secret`, `run`, `expose`).
// Action modules are imported only when their command runs, to keep startup fast.
import type { Command } from 'commander';
import { collect } from '../../command-kit.js';
import { acceptBoolValues, genAction, type GenAction } from './cli.js';

const lazy = (load: () => Promise<GenAction>) => genAction(load);

/** Flags every generator has (kubectl's PrintFlags, --save-config, --field-manager). */
function common(c: Command, fieldManager: string): Command {
  return c
    .option('--save-config', "store the object's configuration in an annotation, for later `apply`")
    .option('--field-manager <name>', 'name of the manager used to track field ownership', fieldManager)
    .option('--show-managed-fields', 'keep managedFields in -o json|yaml output');
}

/** -o and --dry-run for verbs whose parent does not define them. */
function printing(c: Command): Command {
  return c
    .option('-o, --output <format>', 'json|yaml|name|jsonpath=...: print the object instead of a message')
    .option('--dry-run [strategy]', 'none, client or server: only print what would be created');
}

/** kubectl's DefaultSubCommandRun for `create service` / `create secret` without a known subcommand. */
function group(c: Command): Command {
  return c.argument('[args...]').action((args: string[], _opts: unknown, cmd: Command) => {
    if (args.length) {
      const path = `${cmd.parent?.parent?.name()} ${cmd.parent?.name()} ${cmd.name()}`;
      process.stderr.write(`error: unknown command "${args.join(' ')}"\nSee '${path} -h' for help and examples\n`);
    } else {
      cmd.outputHelp({ error: true });
    }
    process.exitCode = 1;
  });
}

function registerCreate(create: Command): void {
  common(create.command('namespace').alias('ns'), 'kubectl-create')
    .description('Create a namespace with the specified name')
    .argument('[name...]')
    .action(lazy(async () => (await import('./create-namespace.js')).createNamespace));

  common(create.command('deployment').alias('deploy'), 'kubectl-create')
    .description('Create a deployment with the specified name')
    .argument('[name-and-command...]', 'NAME [-- COMMAND [args...]]')
    .option('--image <image>', 'image to run (repeat for several containers)', collect)
    .option('-r, --replicas <n>', 'number of replicas (default 1)')
    .option('--port <port>', 'the containerPort this deployment exposes')
    .action(lazy(async () => (await import('./create-deployment.js')).createDeployment));

  const service = group(create.command('service').alias('svc').description('Create a service using a specified subcommand'));
  const types = [
    ['clusterip', 'ClusterIP'],
    ['nodeport', 'NodePort'],
    ['loadbalancer', 'LoadBalancer'],
    ['externalname', 'ExternalName'],
  ] as const;
  for (const [sub, type] of types) {
    const c = common(service.command(sub), 'kubectl-create')
      .description(`Create ${type === 'ExternalName' ? 'an' : 'a'} ${type} service`)
      .argument('[name...]')
      .option('--tcp <port:targetPort>', "port pairs, '<port>:<targetPort>' (repeatable)", collect);
    if (type === 'ClusterIP') c.option('--clusterip <ip>', "assign your own ClusterIP, or 'None' for a headless service");
    if (type === 'NodePort') c.option('--node-port <port>', 'port used to expose the service on each node');
    if (type === 'ExternalName') c.option('--external-name <name>', 'external name of the service');
    c.action(lazy(async () => (await import('./create-service.js')).createService(type)));
  }

  const dataSources = (c: Command) =>
    c
      .option('--from-file <[key=]source>', 'a file (key = its name, or the key given) or a directory (repeatable)', collect)
      .option('--from-literal <key=value>', 'a key and literal value (repeatable)', collect)
      .option('--from-env-file <file>', 'a file of key=value lines (repeatable)', collect)
      .option('--append-hash', 'append a hash of the content to the name');

  dataSources(common(create.command('configmap').alias('cm'), 'kubectl-create'))
    .description('Create a config map from a local file, directory or literal value')
    .argument('[name...]')
    .action(lazy(async () => (await import('./create-data.js')).createConfigMap));

  const secret = group(create.command('secret').description('Create a secret using a specified subcommand'));
  dataSources(common(secret.command('generic'), 'kubectl-create'))
    .description('Create a secret from a local file, directory, or literal value')
    .argument('[name...]')
    .option('--type <type>', 'the type of secret to create')
    .action(lazy(async () => (await import('./create-data.js')).createSecret));
}

function registerRun(program: Command): void {
  const overrides = (c: Command) =>
    c
      .option('--overrides <json>', 'an inline JSON patch for the generated object')
      .option('--override-type <type>', 'json, merge or strategic: how --overrides applies', 'merge');
  overrides(printing(common(program.command('run'), 'kubectl-run')))
    .description('Run a particular image on the cluster (a bare pod)')
    .argument('[name-and-args...]', 'NAME [-- COMMAND [args...]]')
    .option('--image <image>', 'the image for the container to run')
    .option('--port <port>', 'the port that this container exposes')
    .option('--env <key=value>', 'environment variables to set in the container (repeatable)', collect)
    .option('-l, --labels <labels>', 'comma separated labels for the pod (replace run=NAME)')
    .option('--annotations <key=value>', 'annotations for the pod (repeatable)', collect)
    .option('--restart <policy>', 'Always, OnFailure or Never', 'Always')
    .option('--command', 'use the extra arguments as the command, not as its args')
    .option('-i, --stdin', 'keep stdin open on the container')
    .option('-t, --tty', 'allocate a TTY for the container')
    .option('--attach', 'wait for the pod to run, then attach to it (default with -i)')
    .option('--leave-stdin-open', 'leave stdin open after the first attach completes')
    .option('--rm', 'delete the pod after it exits (only with --attach or -i)')
    .option('--expose', 'also create a ClusterIP service for the pod (needs --port)')
    .option('-q, --quiet', 'suppress prompt messages')
    .option('--privileged', 'run the container in privileged mode')
    .option('--image-pull-policy <policy>', 'Always, IfNotPresent or Never (default: the server decides)')
    .option('--pod-running-timeout <duration>', 'how long to wait for the pod to run (e.g. 5s, 2m)', '1m0s')
    .action(lazy(async () => (await import('./run.js')).run));

  overrides(printing(common(program.command('expose'), 'kubectl-expose')))
    .description('Expose a pod, service, deployment, replica set or replication controller as a new service')
    .argument('[type-and-names...]')
    .option('-f, --filename <file>', 'files identifying the resource to expose', collect)
    .option('-R, --recursive', 'process directories in -f recursively')
    .option('--port <port>', 'the port the service serves on (default: the resource’s ports)')
    .option('--target-port <port>', 'name or number of the container port traffic goes to')
    .option('--protocol <protocol>', 'TCP, UDP or SCTP (default TCP)')
    .option('--type <type>', 'ClusterIP, NodePort, LoadBalancer or ExternalName')
    .option('--name <name>', 'the name of the new service')
    .option('--selector <selector>', 'label selector for the service (default: the resource’s)')
    .option('-l, --labels <labels>', 'labels for the service (default: the resource’s)')
    .option('--external-ip <ip>', 'an additional external IP the service accepts traffic on')
    .option('--load-balancer-ip <ip>', 'IP for a LoadBalancer service')
    .option('--session-affinity <affinity>', 'None or ClientIP')
    .option('--cluster-ip <ip>', "ClusterIP to assign, or 'None' for a headless service")
    .action(lazy(async () => (await import('./expose.js')).expose));
}

/** Boolean flags of every generator also accept kubectl's `--flag=true|false`; help shows inherited flags. */
function acceptBoolValuesBelow(c: Command): void {
  if (c.commands.length) c.commands.forEach(acceptBoolValuesBelow);
  // Help lists the parents' options too: `create`'s -o, --dry-run, --validate and the global ones.
  else acceptBoolValues(c).configureHelp({ showGlobalOptions: true });
}

export function registerGenerators(program: Command): void {
  const create = program.commands.find((c) => c.name() === 'create');
  if (create) {
    const before = new Set(create.commands);
    registerCreate(create);
    create.commands.filter((c) => !before.has(c)).forEach(acceptBoolValuesBelow);
  }
  registerRun(program);
  for (const verb of ['run', 'expose']) acceptBoolValuesBelow(program.commands.find((c) => c.name() === verb)!);
}
