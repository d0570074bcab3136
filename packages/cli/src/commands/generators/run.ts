// `minik run NAME --image=I [flags] [-- args...]`: a bare Pod labelled run=NAME, as kubectl
// 1.32's run-pod/v1 generator builds it; --expose adds a Service (service/v2); -i/-t/--attach
// wait for the pod and attach (attach.ts), --rm deletes what was created afterwards.
import { ApiError, type GroupVersionResource, type KubeObject } from '@minik/api';
import { CliError, formatError } from '../../errors.js';
import { parseDryRun, type DryRun } from '../common.js';
import { runAttached } from './attach.js';
import type { GenAction, GenContext } from './cli.js';
import { applyOverrides } from './overrides.js';
import { atoi, envVarNameErrors, isImageReference, parseGoDuration, parseLabelSpec, stringArray } from './parse.js';
import { printerFor } from './print.js';
import { RESOURCES, submit, withApplyAnnotation } from './submit.js';

export interface PodParams {
  name: string;
  image: string;
  /** --labels as given ('' when not). */
  labels: string;
  annotations: string[];
  env: string[];
  port: string;
  stdin: boolean;
  leaveStdinOpen: boolean;
  tty: boolean;
  restart: string;
  command: boolean;
  args: string[];
  imagePullPolicy: string;
  privileged: boolean;
}

/** cmdutil.ParsePairs without removals: `--annotations` values. */
export function parsePairs(pairs: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  const invalid: string[] = [];
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i > 0) out[p.slice(0, i)] = p.slice(i + 1);
    else invalid.push(p);
  }
  if (invalid.length) throw new Error(`invalid ${what} format: ${invalid.join(', ')}`);
  return out;
}

export function parseEnvs(envs: string[]): { name: string; value: string }[] {
  return envs.map((e) => {
    const i = e.indexOf('=');
    const name = i < 0 ? '' : e.slice(0, i);
    if (i < 0 || !name || envVarNameErrors(name).length) throw new Error(`invalid env: ${e}`);
    return { name, value: e.slice(i + 1) };
  });
}

export function buildPod(p: PodParams): KubeObject {
  const env = parseEnvs(p.env);
  const annotations = parsePairs(p.annotations, 'annotations');
  const labels = p.labels ? parseLabelSpec(p.labels) : { run: p.name };
  const container: Record<string, unknown> = {
    name: p.name,
    image: p.image,
    stdin: p.stdin,
    stdinOnce: !p.leaveStdinOpen && p.stdin,
    tty: p.tty,
    ...(p.privileged ? { securityContext: { privileged: true } } : {}),
  };
  if (p.args.length) container[p.command ? 'command' : 'args'] = p.args;
  if (env.length) container.env = env;
  if (p.imagePullPolicy) container.imagePullPolicy = p.imagePullPolicy;
  if (p.port) container.ports = [{ containerPort: atoi(p.port) }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, labels, annotations },
    spec: { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: p.restart || 'Always' },
  };
}

/** --expose: a ClusterIP Service for the pod's labels on --port. */
export function buildRunService(name: string, port: string, labels: string): KubeObject {
  const selector = parseLabelSpec(labels || `run=${name}`);
  const n = atoi(port);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...(labels ? { labels: parseLabelSpec(labels) } : {}) },
    spec: { ports: [{ protocol: 'TCP', port: n, targetPort: n }], selector },
  };
}

const flagString = (v: unknown, def = '') => (v === undefined ? def : String(v));

interface Created {
  obj: KubeObject;
  gvr: GroupVersionResource;
}

async function create(ctx: GenContext, obj: KubeObject, gvr: GroupVersionResource, dryRun: DryRun, opts: Record<string, unknown>): Promise<KubeObject> {
  if (dryRun === 'client') {
    if (!ctx.explicitNamespace) return obj;
    return { ...obj, metadata: { ...obj.metadata, namespace: ctx.namespace } };
  }
  const withConfig = opts.saveConfig ? withApplyAnnotation(obj) : obj;
  return submit(ctx, { obj: withConfig, gvr, namespace: ctx.namespace, dryRun, fieldManager: flagString(opts.fieldManager, 'kubectl-run') });
}

/** --rm: delete what run created, printing kubectl delete's lines. */
async function removeCreated(ctx: GenContext, created: Created[], quiet: boolean): Promise<void> {
  for (const c of created) {
    const name = c.obj.metadata?.name ?? '';
    try {
      await ctx.kube.client.resource(c.gvr).delete(c.obj.metadata?.namespace || ctx.namespace, name);
      if (!quiet) process.stdout.write(`${c.obj.kind?.toLowerCase()} "${name}" deleted\n`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) continue;
      process.stderr.write(formatError(e) + '\n');
    }
  }
}

export const run: GenAction = async (ctx, args, opts) => {
  ctx.requireFlags(opts, 'image');
  let timeoutMs = 60_000;
  if (opts.podRunningTimeout !== undefined) {
    try {
      timeoutMs = parseGoDuration(String(opts.podRunningTimeout));
    } catch (e) {
      throw ctx.badFlag('--pod-running-timeout', String(opts.podRunningTimeout), (e as Error).message);
    }
  }
  const dryRun = parseDryRun(opts.dryRun);
  const printer = await printerFor(opts, 'created', dryRun);
  const interactive = !!opts.stdin;
  const attach = opts.attach === undefined ? interactive : !!opts.attach;

  if (!args.length || ctx.argsLenAtDash === 0) throw ctx.usage('NAME is required for run');
  if (timeoutMs <= 0) throw ctx.usage('--pod-running-timeout must be higher than zero');
  const image = String(opts.image);
  if (!image) throw new CliError('error: --image is required');
  if (!isImageReference(image)) throw new CliError(`error: Invalid image name "${image}": invalid reference format`);
  if (opts.tty && !interactive) throw ctx.usage('-i/--stdin is required for containers with -t/--tty=true');
  const port = flagString(opts.port);
  if (opts.expose && !port) throw ctx.usage('--port must be set when exposing a service');
  const restart = flagString(opts.restart, 'Always');
  if (!['Always', 'OnFailure', 'Never', ''].includes(restart)) throw ctx.usage(`invalid restart policy: ${restart}`);
  const restartPolicy = restart || (interactive ? 'OnFailure' : 'Always');
  if (!attach && opts.rm) throw ctx.usage('--rm should only be used for attached containers');
  if (attach && dryRun !== 'none') throw ctx.usage("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
  const pullPolicy = flagString(opts.imagePullPolicy);
  if (!['Always', 'IfNotPresent', 'Never', ''].includes(pullPolicy)) throw ctx.usage(`invalid image pull policy: ${pullPolicy}`);

  const name = args[0];
  const params: PodParams = {
    name,
    image,
    labels: flagString(opts.labels),
    annotations: stringArray(opts.annotations),
    env: stringArray(opts.env),
    port,
    stdin: interactive,
    leaveStdinOpen: !!opts.leaveStdinOpen,
    tty: !!opts.tty,
    restart,
    command: !!opts.command,
    args: args.slice(1),
    imagePullPolicy: pullPolicy,
    privileged: !!opts.privileged,
  };
  let pod: KubeObject;
  try {
    pod = applyOverrides(buildPod(params), opts);
  } catch (e) {
    throw e instanceof CliError ? e : new CliError(`error: ${(e as Error).message}`);
  }
  const created: Created[] = [{ obj: await create(ctx, pod, RESOURCES.pods, dryRun, opts), gvr: RESOURCES.pods }];

  let serviceError: unknown;
  if (opts.expose) {
    try {
      const svc = await create(ctx, buildRunService(name, port, params.labels), RESOURCES.services, dryRun, opts);
      created.push({ obj: svc, gvr: RESOURCES.services });
      await printer.write(svc);
      // kubectl separates the two objects itself, and its YAML printer adds another `---`.
      if (opts.output === 'yaml') process.stdout.write('---\n');
    } catch (e) {
      serviceError = e;
    }
  }

  if (attach) {
    try {
      return await runAttached(ctx, created[0].obj, {
        stdin: interactive,
        tty: !!opts.tty,
        quiet: !!opts.quiet,
        timeoutMs,
        restartPolicy,
        leaveStdinOpen: !!opts.leaveStdinOpen,
      });
    } finally {
      if (opts.rm) await removeCreated(ctx, created, !!opts.quiet);
    }
  }
  await printer.write(created[0].obj);
  if (serviceError) throw serviceError;
};
