// `minik label` / `minik annotate`: add, change (--overwrite) or remove (`key-`) metadata keys.
import { validateLabelKey, validateLabelValue, type KubeObject } from '@minik/api';
import type { Action } from '../main.js';
import type { Kube } from '../context.js';
import { readManifests } from '../manifest.js';
import { formatError, usageError } from '../errors.js';
import { asArray, namespaceFor, parseDryRun, parseTargets, printOperation } from './common.js';
import { resourceFor } from './apply.js';
import type { ApiResource } from '../discovery.js';

type Field = 'labels' | 'annotations';

interface Change {
  set: Record<string, string>;
  remove: string[];
}

function parseChanges(field: Field, args: string[]): Change {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const a of args) {
    if (a.endsWith('-') && !a.includes('=')) {
      remove.push(a.slice(0, -1));
      continue;
    }
    const i = a.indexOf('=');
    if (i <= 0) throw usageError(`invalid ${field === 'labels' ? 'label' : 'annotation'} format: ${a}`);
    const k = a.slice(0, i);
    const v = a.slice(i + 1);
    if (field === 'labels') {
      if (validateLabelKey(k)) throw usageError(`invalid label spec: ${a}`);
      const verr = validateLabelValue(v);
      if (verr) throw usageError(`invalid label value: "${a}": ${verr}`);
    }
    set[k] = v;
  }
  for (const k of remove) if (k in set) throw usageError(`can not both modify and remove the following ${field === 'labels' ? 'label' : 'annotation'}(s) in the same command: ${k}`);
  return { set, remove };
}

/** Splits `TYPE NAME k=v k2-` / `TYPE/NAME k=v` into the resource part and the changes. */
function splitArgs(args: string[]): { resArgs: string[]; changeArgs: string[] } {
  const isChange = (a: string) => a.includes('=') || (a.endsWith('-') && !a.includes('/'));
  const first = args.findIndex(isChange);
  if (first < 0) return { resArgs: args, changeArgs: [] };
  return { resArgs: args.slice(0, first), changeArgs: args.slice(first) };
}

function makeAction(field: Field, verb: string): Action {
  return async (kube: Kube, args, opts) => {
    const files = asArray(opts.filename);
    const { resArgs, changeArgs } = files.length ? { resArgs: [], changeArgs: args } : splitArgs(args);
    if (!changeArgs.length && !opts.list) throw usageError(`at least one ${field === 'labels' ? 'label' : 'annotation'} update is required`);
    const change = parseChanges(field, changeArgs);
    const dryRun = parseDryRun(opts.dryRun);
    const items: { r: ApiResource; ns?: string; name: string }[] = [];
    if (files.length) {
      for (const m of readManifests(files, !!opts.recursive)) {
        const r = await resourceFor(kube, m);
        items.push({ r, ns: namespaceFor(kube, r, m.obj), name: m.obj.metadata!.name! });
      }
    } else {
      if (!resArgs.length) throw usageError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
      for (const t of await parseTargets(kube, resArgs)) {
        const ns = t.resource.namespaced ? (opts.allNamespaces ? undefined : kube.namespace) : undefined;
        if (t.names.length) for (const n of t.names) items.push({ r: t.resource, ns, name: n });
        else {
          if (!opts.selector && !opts.all && !opts.fieldSelector) throw usageError('resource(s) were provided, but no name was specified');
          const list = await kube.client.resource(t.resource).list(ns, { labelSelector: opts.selector as string, fieldSelector: opts.fieldSelector as string });
          for (const o of list.items) items.push({ r: t.resource, ns: o.metadata?.namespace, name: o.metadata!.name! });
        }
      }
    }
    let failed = false;
    for (const it of items) {
      try {
        const rc = kube.client.resource(it.r);
        const cur: KubeObject = await rc.get(it.ns, it.name);
        const existing = (cur.metadata?.[field] ?? {}) as Record<string, string>;
        if (opts.list) {
          process.stdout.write(`Listing ${field} for ${it.r.kind}.${it.r.group || ''}/${it.name}:\n`);
          for (const [k, v] of Object.entries(existing)) process.stdout.write(` ${k}=${v}\n`);
          continue;
        }
        if (!opts.overwrite) {
          for (const [k, v] of Object.entries(change.set)) {
            if (k in existing && existing[k] !== v) throw usageError(`'${k}' already has a value (${existing[k]}), and --overwrite is false`);
          }
        }
        const patch: Record<string, string | null> = {};
        for (const [k, v] of Object.entries(change.set)) if (existing[k] !== v) patch[k] = v;
        for (const k of change.remove) {
          if (k in existing) patch[k] = null;
          else process.stderr.write(`${field === 'labels' ? 'label' : 'annotation'} "${k}" not found.\n`);
        }
        const changed = Object.keys(patch).length > 0;
        if (changed && dryRun !== 'client') {
          const meta: Record<string, unknown> = { [field]: patch };
          if (opts.resourceVersion) meta.resourceVersion = opts.resourceVersion;
          await rc.patch(it.ns, it.name, { metadata: meta }, 'merge', { dryRun: dryRun === 'server', fieldManager: `kubectl-${verb === 'labeled' ? 'label' : 'annotate'}` });
        }
        // kubectl says "unlabeled" when the labels only shrank (and --overwrite was not given).
        const after = Object.keys(existing).filter((k) => patch[k] !== null).length + Object.keys(patch).filter((k) => patch[k] !== null && !(k in existing)).length;
        const shrank = field === 'labels' && !opts.overwrite && after < Object.keys(existing).length;
        printOperation(it.r, it.name, !changed ? `not ${verb}` : shrank ? 'unlabeled' : verb, opts, dryRun);
      } catch (e) {
        failed = true;
        process.stderr.write(formatError(e) + '\n');
      }
    }
    return failed ? 1 : 0;
  };
}

export const label = makeAction('labels', 'labeled');
export const annotate = makeAction('annotations', 'annotated');
