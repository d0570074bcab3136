// `minik wait --for=condition=C[=V] | --for=delete | --for=create | --for=jsonpath={...}[=V]`
// on objects named, selected with -l / --all, or from -f, as kubectl's cmd/wait: each object in
// turn under one deadline (--timeout, default 30s; 0 checks once), `<kind>/<name> condition met`
// for each, and `error: timed out waiting for the condition on <resource>/<name>` otherwise.
//
// Deliberate difference: an object (or a selector's first match) that does not exist yet is
// waited for, within the timeout, instead of failing at once with NotFound / "no matching
// resources found" — so `apply` then `wait` needs no retry loop in CI scripts.
import { parseDuration, type KubeObject, type ResourceClient } from '@minik/api';
import type { Action } from '../command-kit.js';
import type { Kube } from '../context.js';
import type { ApiResource } from '../discovery.js';
import { CliError, usageError } from '../errors.js';
import { readManifests } from '../manifest.js';
import { JSONPath, relaxedJSONPathExpression } from '../printers/jsonpath/index.js';
import { resourceFor } from './apply.js';
import { asArray, objectName, parseTargets } from './common.js';

export type WaitFor =
  | { kind: 'delete' }
  | { kind: 'create' }
  | { kind: 'condition'; type: string; value: string }
  | { kind: 'jsonpath'; path: JSONPath; value?: string };

/** kubectl's --for forms. */
export function parseWaitFor(spec: string | undefined): WaitFor {
  if (!spec) throw usageError('--for must be set to one of: delete, create, condition=condition-name, jsonpath=...');
  const lower = spec.toLowerCase();
  if (lower === 'delete') return { kind: 'delete' };
  if (lower === 'create') return { kind: 'create' };
  if (lower.startsWith('condition=')) {
    const rest = spec.slice('condition='.length);
    const i = rest.indexOf('=');
    const type = i < 0 ? rest : rest.slice(0, i);
    if (!type) throw usageError(`--for condition needs a condition name: ${spec}`);
    return { kind: 'condition', type, value: i < 0 ? 'true' : rest.slice(i + 1) };
  }
  if (lower.startsWith('jsonpath=')) {
    const rest = spec.slice('jsonpath='.length);
    // The expression ends where its braces close (or at the first `=` without braces).
    let end = -1;
    if (rest.startsWith('{')) {
      let depth = 0;
      for (let i = 0; i < rest.length; i++) {
        if (rest[i] === '{') depth++;
        else if (rest[i] === '}' && --depth === 0) {
          end = i + 1;
          break;
        }
      }
      if (end < 0) throw usageError(`unclosed jsonpath expression: ${rest}`);
    } else end = rest.includes('=') ? rest.indexOf('=') : rest.length;
    const expr = rest.slice(0, end);
    const tail = rest.slice(end);
    if (tail && !tail.startsWith('=')) throw usageError(`jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'`);
    if (tail === '=') throw usageError('jsonpath wait has to have a value after equal sign');
    let path: JSONPath;
    try {
      path = new JSONPath(relaxedJSONPathExpression(expr));
    } catch (e) {
      throw usageError(`unrecognized jsonpath expression: ${(e as Error).message}`);
    }
    return { kind: 'jsonpath', path, ...(tail ? { value: tail.slice(1) } : {}) };
  }
  throw usageError(`unrecognized condition: "${spec}"`);
}

/** Whether the object meets the condition (jsonpath errors are kubectl's messages). */
export function conditionMet(obj: KubeObject, f: WaitFor): boolean {
  if (f.kind === 'create') return true;
  if (f.kind === 'delete') return false;
  if (f.kind === 'condition') {
    const conditions = ((obj.status as { conditions?: { type?: string; status?: string; observedGeneration?: number }[] } | undefined)?.conditions ?? []) as { type?: string; status?: string; observedGeneration?: number }[];
    return conditions.some(
      (c) =>
        (c.type ?? '').toLowerCase() === f.type.toLowerCase() &&
        (c.status ?? '').toLowerCase() === f.value.toLowerCase() &&
        (c.observedGeneration === undefined || obj.metadata?.generation === undefined || c.observedGeneration === obj.metadata.generation),
    );
  }
  let results;
  try {
    results = f.path.findResults(obj);
  } catch {
    return false; // a field not there yet
  }
  if (!results.length || !results[0]!.length) return false;
  if (results.length > 1 || results[0]!.length > 1) throw new CliError('error: given jsonpath expression matches more than one value');
  const v = results[0]![0];
  if (f.value === undefined) return true;
  if (v !== null && typeof v === 'object') throw new CliError('error: jsonpath leads to a nested object or list which is not supported');
  return String(v).trim() === f.value.trim();
}

interface Item {
  r: ApiResource;
  ns?: string;
  name: string;
}

class Deadline {
  private readonly at: number;
  constructor(readonly ms: number) {
    this.at = Date.now() + ms;
  }
  left(): number {
    return Math.max(0, this.at - Date.now());
  }
}

/** Lists then watches one object (by name) until `done` says so or the deadline passes. */
async function watchOne(rc: ResourceClient<KubeObject>, ns: string | undefined, name: string, deadline: Deadline, done: (o: KubeObject | undefined) => boolean): Promise<boolean> {
  const fieldSelector = `metadata.name=${name}`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), deadline.left());
  try {
    while (!abort.signal.aborted) {
      const list = await rc.list(ns, { fieldSelector });
      if (done(list.items[0])) return true;
      if (!deadline.left()) return false;
      try {
        for await (const ev of rc.watch(ns, { fieldSelector, resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true }, abort.signal)) {
          if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
          if (done(ev.type === 'DELETED' ? undefined : (ev.object as KubeObject))) return true;
        }
      } catch (e) {
        if (!abort.signal.aborted) throw e;
      }
    }
    return false;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

export const wait: Action = async (kube, args, opts) => {
  const f = parseWaitFor(opts.for as string | undefined);
  const timeout = String(opts.timeout ?? '30s');
  const ms = timeout.startsWith('-') ? 7 * 24 * 3600_000 : parseDuration(timeout);
  const deadline = new Deadline(ms);
  const selector = opts.selector as string | undefined;
  const items: Item[] = [];
  const files = asArray(opts.filename);
  const byType: { r: ApiResource; ns?: string }[] = [];
  if (files.length) {
    for (const m of readManifests(files, !!opts.recursive)) {
      const r = await resourceFor(kube, m);
      items.push({ r, ns: r.namespaced ? m.obj.metadata?.namespace || kube.namespace : undefined, name: m.obj.metadata!.name! });
    }
  } else {
    if (!args.length) throw usageError('resource(s) were provided, but no name was specified');
    for (const t of await parseTargets(kube, args)) {
      const ns = t.resource.namespaced ? (opts.allNamespaces ? undefined : kube.namespace) : undefined;
      if (t.names.length) {
        if (selector) throw usageError('name cannot be provided when a selector is specified');
        for (const name of t.names) items.push({ r: t.resource, ns, name });
      } else {
        if (!selector && !opts.all) throw usageError('resource(s) were provided, but no name, label selector, or --all flag specified');
        byType.push({ r: t.resource, ns });
      }
    }
  }
  // A selector (or --all) with nothing yet: wait for the first match (see the note above).
  for (const t of byType) {
    const rc = kube.client.resource(t.r);
    let found = (await rc.list(t.ns, { labelSelector: selector })).items;
    if (!found.length && f.kind === 'delete') continue;
    while (!found.length) {
      if (!deadline.left()) throw new CliError('error: timed out waiting for the condition');
      await new Promise((r) => setTimeout(r, Math.min(250, deadline.left())));
      found = (await rc.list(t.ns, { labelSelector: selector })).items;
    }
    for (const o of found) items.push({ r: t.r, ns: o.metadata?.namespace || t.ns, name: o.metadata!.name! });
  }
  if (!items.length && !byType.length) throw new CliError('error: no matching resources found');
  for (const it of items) {
    const rc = kube.client.resource(it.r);
    let uid: string | undefined;
    const met = await watchOne(rc, it.ns, it.name, deadline, (o) => {
      if (f.kind === 'delete') {
        // Gone, or replaced by a new object of the same name.
        if (!o) return true;
        uid ??= o.metadata?.uid;
        return o.metadata?.uid !== uid;
      }
      return !!o && conditionMet(o, f);
    });
    if (!met) throw new CliError(`error: timed out waiting for the condition on ${it.r.resource}/${it.name}`);
    process.stdout.write(`${objectName(it.r, it.name)} condition met\n`);
  }
};
