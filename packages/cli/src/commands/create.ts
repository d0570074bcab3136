// `minik create -f`: create each object; an existing one is an AlreadyExists error.
import type { KubeObject } from '@minik/api';
import type { Action } from '../main.js';
import { readManifests } from '../manifest.js';
import { ContextualError, formatError, usageError } from '../errors.js';
import { asArray, namespaceFor, parseDryRun, printOperation } from './common.js';
import { fieldValidation, resourceFor } from './apply.js';
import { printResultObjects, wantsObjectOutput } from './output.js';

export const createFromFiles: Action = async (kube, _args, opts) => {
  const files = asArray(opts.filename);
  if (!files.length) throw usageError('must specify one of -f and -k');
  const dryRun = parseDryRun(opts.dryRun);
  const validation = fieldValidation(opts.validate);
  let failed = false;
  const results: KubeObject[] = [];
  for (const m of readManifests(files, !!opts.recursive)) {
    try {
      const r = await resourceFor(kube, m);
      const ns = namespaceFor(kube, r, m.obj);
      const obj = structuredClone(m.obj);
      if (ns) (obj.metadata ??= {}).namespace = ns;
      if (dryRun === 'client') {
        results.push(obj);
        if (!wantsObjectOutput(opts)) printOperation(r, obj.metadata?.name ?? '', 'created', opts, dryRun);
        continue;
      }
      let created: KubeObject;
      try {
        created = await kube.client.resource(r).create(ns, obj, { dryRun: dryRun === 'server', fieldManager: 'kubectl-create', fieldValidation: validation });
      } catch (e) {
        throw new ContextualError(`error when creating "${m.source}"`, e);
      }
      results.push(created);
      if (!wantsObjectOutput(opts)) printOperation(r, created.metadata?.name ?? '', 'created', opts, dryRun);
    } catch (e) {
      failed = true;
      process.stderr.write(formatError(e) + '\n');
    }
  }
  if (wantsObjectOutput(opts)) await printResultObjects(results, opts);
  return failed ? 1 : 0;
};
