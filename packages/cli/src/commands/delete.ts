// `minik delete`: by file, by type and names, by selector or --all; waits for the objects to be
// gone (graceful deletion, finalizers) like kubectl's default --wait=true.
import { ApiError, type KubeObject, type ResourceClient } from '@minik/api';
import type { Action } from '../main.js';
import type { Kube } from '../context.js';
import { readManifests } from '../manifest.js';
import { ContextualError, formatError, usageError } from '../errors.js';
import { qualifiedResource, kindPrefix, type ApiResource } from '../discovery.js';
import { asArray, dryRunSuffix, namespaceFor, objectName, parseDryRun, parseTargets, type DryRun } from './common.js';
import { resourceFor } from './apply.js';
import { parseDuration } from '@minik/api';

type Policy = 'Background' | 'Foreground' | 'Orphan';

export function cascadePolicy(v: unknown): Policy {
  const s = v === undefined || v === true ? 'background' : String(v).toLowerCase();
  if (s === 'background' || s === 'true') return 'Background';
  if (s === 'foreground') return 'Foreground';
  if (s === 'orphan' || s === 'false') return 'Orphan';
  throw usageError(`invalid cascade value (${String(v)}). Must be "background", "foreground", or "orphan".`);
}

interface Item {
  r: ApiResource;
  ns?: string;
  name: string;
  source?: string;
}

async function waitGone(rc: ResourceClient<KubeObject>, ns: string | undefined, name: string, uid: string | undefined, deadline: number): Promise<boolean> {
  for (;;) {
    try {
      const cur = await rc.get(ns, name);
      if (uid && cur.metadata?.uid !== uid) return true;
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return true;
      throw e;
    }
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const deleteCmd: Action = async (kube, args, opts) => {
  const dryRun: DryRun = parseDryRun(opts.dryRun);
  const policy = cascadePolicy(opts.cascade);
  let grace = opts.gracePeriod !== undefined ? Number(opts.gracePeriod) : undefined;
  if (opts.now) grace = 1;
  if (opts.force) {
    if (grace === undefined) grace = 0;
    process.stderr.write('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
  }
  if (grace !== undefined && grace < 0) grace = undefined;
  const wait = opts.wait !== false && opts.wait !== 'false';
  const timeoutMs = opts.timeout && opts.timeout !== '0s' && opts.timeout !== '0' ? parseDuration(String(opts.timeout)) : 7 * 24 * 3600_000;
  const ignoreNotFound = !!opts.ignoreNotFound;
  const items: Item[] = [];
  let failed = false;

  const files = asArray(opts.filename);
  if (files.length) {
    if (args.length) throw usageError('when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
    for (const m of readManifests(files, !!opts.recursive)) {
      try {
        const r = await resourceFor(kube, m);
        items.push({ r, ns: namespaceFor(kube, r, m.obj), name: m.obj.metadata?.name ?? '', source: m.source });
      } catch (e) {
        failed = true;
        process.stderr.write(formatError(e) + '\n');
      }
    }
  } else {
    if (!args.length) throw usageError('You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   \'-f rsrc.yaml\'\n   \'--filename=rsrc.json\'\n   \'<resource> <name>\'\n   \'<resource>\'');
    const targets = await parseTargets(kube, args);
    const selector = opts.selector as string | undefined;
    const fieldSelector = opts.fieldSelector as string | undefined;
    for (const t of targets) {
      const nsFor = t.resource.namespaced ? (opts.allNamespaces ? undefined : kube.namespace) : undefined;
      if (t.names.length) {
        if (selector || opts.all) throw usageError('name cannot be provided when a selector is specified');
        for (const name of t.names) items.push({ r: t.resource, ns: nsFor, name });
      } else {
        if (!selector && !opts.all && !fieldSelector) throw usageError(`resource(s) were provided, but no name was specified`);
        const list = await kube.client.resource(t.resource).list(nsFor, { labelSelector: selector, fieldSelector });
        for (const o of list.items) items.push({ r: t.resource, ns: t.resource.namespaced ? o.metadata?.namespace : undefined, name: o.metadata!.name! });
      }
    }
    if (!items.length && !failed) {
      process.stdout.write('No resources found\n');
      return 0;
    }
  }

  const pending: { item: Item; uid?: string }[] = [];
  for (const item of items) {
    const rc = kube.client.resource(item.r);
    try {
      let uid: string | undefined;
      if (dryRun === 'client') {
        await rc.get(item.ns, item.name);
      } else {
        const res = (await rc.delete(item.ns, item.name, { propagationPolicy: policy, gracePeriodSeconds: grace, dryRun: dryRun === 'server' })) as KubeObject & { details?: { uid?: string } };
        uid = res.kind === 'Status' ? res.details?.uid : res.metadata?.uid;
      }
      if (opts.output === 'name') process.stdout.write(`${objectName(item.r, item.name)}\n`);
      else process.stdout.write(`${kindPrefix(item.r)} "${item.name}" deleted${dryRunSuffix(dryRun)}\n`);
      if (dryRun === 'none') pending.push({ item, uid });
    } catch (e) {
      if (e instanceof ApiError && e.code === 404 && ignoreNotFound) continue;
      failed = true;
      process.stderr.write(formatError(item.source ? new ContextualError(`error when deleting "${item.source}"`, e) : e) + '\n');
    }
  }
  if (wait && pending.length) {
    const deadline = Date.now() + timeoutMs;
    for (const { item, uid } of pending) {
      const ok = await waitGone(kube.client.resource(item.r), item.ns, item.name, uid, deadline);
      if (!ok) {
        failed = true;
        process.stderr.write(`error: timed out waiting for the condition on ${qualifiedResource(item.r)}/${item.name}\n`);
      }
    }
  }
  return failed ? 1 : 0;
};
