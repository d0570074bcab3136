// `minik scale`: set replicas through the /scale subresource, with kubectl's preconditions.
import type { KubeObject } from '@minik/api';
import type { Action } from '../main.js';
import { readManifests } from '../manifest.js';
import { CliError, formatError, usageError } from '../errors.js';
import { asArray, namespaceFor, parseDryRun, parseTargets, printOperation } from './common.js';
import { resourceFor } from './apply.js';
import type { ApiResource } from '../discovery.js';

export const scale: Action = async (kube, args, opts) => {
  if (opts.replicas === undefined) throw usageError('required flag(s) "replicas" not set');
  const replicas = Number(opts.replicas);
  if (!Number.isInteger(replicas) || replicas < 0) throw usageError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  const current = opts.currentReplicas !== undefined ? Number(opts.currentReplicas) : -1;
  const dryRun = parseDryRun(opts.dryRun);
  const items: { r: ApiResource; ns?: string; name: string }[] = [];
  const files = asArray(opts.filename);
  if (files.length) {
    for (const m of readManifests(files, !!opts.recursive)) {
      const r = await resourceFor(kube, m);
      items.push({ r, ns: namespaceFor(kube, r, m.obj), name: m.obj.metadata!.name! });
    }
  } else {
    if (!args.length) throw usageError('you must specify the type of resource to scale');
    for (const t of await parseTargets(kube, args)) {
      const ns = t.resource.namespaced ? kube.namespace : undefined;
      if (t.names.length) for (const n of t.names) items.push({ r: t.resource, ns, name: n });
      else {
        if (!opts.selector && !opts.all) throw usageError('resource(s) were provided, but no name was specified');
        const list = await kube.client.resource(t.resource).list(ns, { labelSelector: opts.selector as string });
        for (const o of list.items) items.push({ r: t.resource, ns, name: o.metadata!.name! });
      }
    }
  }
  let failed = false;
  for (const it of items) {
    try {
      const rc = kube.client.resource(it.r);
      if (current >= 0 || opts.resourceVersion) {
        const sc = (await rc.get(it.ns, it.name, 'scale')) as KubeObject & { spec?: { replicas?: number } };
        if (current >= 0 && (sc.spec?.replicas ?? 0) !== current) {
          throw new CliError(`error: Expected replicas to be ${current}, was ${sc.spec?.replicas ?? 0}`);
        }
        if (opts.resourceVersion && sc.metadata?.resourceVersion !== opts.resourceVersion) {
          throw new CliError(`error: Expected resource version to be ${String(opts.resourceVersion)}, was ${sc.metadata?.resourceVersion}`);
        }
      }
      if (dryRun !== 'client') {
        await rc.patch(it.ns, it.name, { spec: { replicas } }, 'merge', { subresource: 'scale', dryRun: dryRun === 'server' });
      }
      printOperation(it.r, it.name, 'scaled', opts, dryRun);
    } catch (e) {
      failed = true;
      process.stderr.write(formatError(e) + '\n');
    }
  }
  return failed ? 1 : 0;
};
