// `minik create namespace NAME`
import type { KubeObject } from '@minik/api';
import { fieldValidation } from '../apply.js';
import { parseDryRun } from '../common.js';
import type { GenAction } from './cli.js';
import { printerFor } from './print.js';
import { RESOURCES, submit, withApplyAnnotation } from './submit.js';

export function buildNamespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export const createNamespace: GenAction = async (ctx, args, opts) => {
  const name = ctx.nameFromArgs(args);
  const dryRun = parseDryRun(opts.dryRun);
  const printer = await printerFor(opts, 'created', dryRun);
  const validation = fieldValidation(opts.validate);
  let obj = buildNamespace(name);
  if (opts.saveConfig) obj = withApplyAnnotation(obj);
  // Namespace errors reach the user unwrapped (`Error from server (AlreadyExists): ...`).
  const out = await submit(ctx, { obj, gvr: RESOURCES.namespaces, dryRun, fieldManager: String(opts.fieldManager ?? 'kubectl-create'), fieldValidation: validation });
  await printer.write(out);
};
