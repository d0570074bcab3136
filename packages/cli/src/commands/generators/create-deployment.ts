// `minik create deployment NAME --image=I [--image=I2] [--replicas=N] [--port=P] [-- COMMAND...]`
import type { KubeObject } from '@minik/api';
import { CliError } from '../../errors.js';
import { fieldValidation } from '../apply.js';
import { parseDryRun } from '../common.js';
import type { GenAction } from './cli.js';
import { splitCSV } from './parse.js';
import { printerFor } from './print.js';
import { RESOURCES, submit, withApplyAnnotation } from './submit.js';

export interface DeploymentParams {
  name: string;
  images: string[];
  replicas: number;
  /** -1: no --port. */
  port: number;
  command: string[];
  /** Only with -n: kubectl writes the namespace into the object then. */
  namespace?: string;
}

const RAND_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** apimachinery's rand.String: the alphabet generated names use. */
export function randomString(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += RAND_CHARS[Math.floor(Math.random() * RAND_CHARS.length)];
  return s;
}

/** `registry:5000/team/my_app:1.2` → `my-app-x7k2p`: the image's last path segment without tag or digest. */
export function containerName(image: string, random = randomString): string {
  let name = image.split('/').pop()!;
  name = name.split(':')[0];
  name = name.split('@')[0];
  // "_" and "." are not allowed in container names; kubectl replaces them and adds a suffix.
  if (/[_.]/.test(name)) name = `${name.replace(/[_.]/g, '-')}-${random(5)}`;
  return name;
}

export function buildDeployment(p: DeploymentParams, random = randomString): KubeObject {
  const labels = { app: p.name };
  const containers: Record<string, unknown>[] = p.images.map((image) => ({
    name: containerName(image, random),
    image,
    ...(p.command.length ? { command: p.command } : {}),
  }));
  if (p.port >= 0 && containers.length) containers[0].ports = [{ containerPort: p.port }];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: p.name, labels, ...(p.namespace ? { namespace: p.namespace } : {}) },
    spec: {
      replicas: p.replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers } },
    },
  };
}

export const createDeployment: GenAction = async (ctx, args, opts) => {
  const replicas = ctx.intFlag(opts, 'replicas', '-r, --replicas', 1);
  const port = ctx.intFlag(opts, 'port', '--port', -1);
  ctx.requireFlags(opts, 'image');
  const name = ctx.nameFromArgs(args);
  const dryRun = parseDryRun(opts.dryRun);
  const printer = await printerFor(opts, 'created', dryRun);
  const validation = fieldValidation(opts.validate);
  const images = splitCSV(opts.image);
  const command = args.slice(1);
  if (images.length > 1 && command.length) throw new CliError('error: cannot specify multiple --image options and command');

  let obj = buildDeployment({ name, images, replicas, port, command, namespace: ctx.explicitNamespace ? ctx.namespace : undefined });
  if (opts.saveConfig) obj = withApplyAnnotation(obj);
  const out = await submit(ctx, {
    obj,
    gvr: RESOURCES.deployments,
    namespace: ctx.namespace,
    dryRun,
    fieldManager: String(opts.fieldManager ?? 'kubectl-create'),
    fieldValidation: validation,
    errorPrefix: 'failed to create deployment: ',
  });
  await printer.write(out);
};
