// `minik cordon|uncordon NODE...` and `minik taint nodes NODE... KEY[=VALUE]:EFFECT | KEY[:EFFECT]-`,
// with kubectl's parsing, merge rules (cmd/taint/utils.go) and messages.
import type { KubeObject } from '@minik/api';
import type { Action } from '../command-kit.js';
import type { Kube } from '../context.js';
import { CliError, formatError, usageError } from '../errors.js';

interface Taint {
  key: string;
  value?: string;
  effect?: string;
}
interface NodeObj extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: Taint[] };
}

const NODES = { group: '', version: 'v1', resource: 'nodes' };
const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The nodes named, or selected with -l / --all. */
async function nodeNames(kube: Kube, names: string[], opts: Record<string, unknown>): Promise<string[]> {
  const nodes = kube.client.resource(NODES);
  if (opts.selector || opts.all) {
    if (names.length) throw usageError('setting \'all\' parameter or a selector but found a non empty resource name');
    return (await nodes.list(undefined, { labelSelector: opts.selector as string | undefined })).items.map((n) => n.metadata!.name!);
  }
  if (!names.length) throw usageError('resource(s) were provided, but no name was specified');
  return names;
}

function cordoner(unschedulable: boolean): Action {
  return async (kube, args, opts) => {
    const names = args.map((a) => a.replace(/^(nodes?|no)\//, ''));
    const nodes = kube.client.resource(NODES);
    let failed = false;
    for (const name of await nodeNames(kube, names, opts)) {
      try {
        const n = (await nodes.get(undefined, name)) as NodeObj;
        if (!!n.spec?.unschedulable === unschedulable) {
          process.stdout.write(`node/${name} already ${unschedulable ? 'cordoned' : 'uncordoned'}\n`);
          continue;
        }
        if (opts.dryRun !== 'client' && opts.dryRun !== true) {
          await nodes.patch(undefined, name, { spec: { unschedulable: unschedulable ? true : null } }, 'strategic', { dryRun: opts.dryRun === 'server' });
        }
        process.stdout.write(`node/${name} ${unschedulable ? 'cordoned' : 'uncordoned'}${opts.dryRun === 'client' || opts.dryRun === true ? ' (dry run)' : opts.dryRun === 'server' ? ' (server dry run)' : ''}\n`);
      } catch (e) {
        failed = true;
        process.stderr.write(formatError(e) + '\n');
      }
    }
    return failed ? 1 : 0;
  };
}
export const cordon = cordoner(true);
export const uncordon = cordoner(false);

const taintString = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}`;
const sameTaint = (a: Taint, b: Taint) => a.key === b.key && (a.effect ?? '') === (b.effect ?? '');

/** parseTaint: `key[=value][:effect]`. */
export function parseTaint(spec: string): Taint {
  const parts = spec.split(':');
  let key: string;
  let value: string | undefined;
  let effect: string | undefined;
  if (parts.length === 1) key = parts[0]!;
  else if (parts.length === 2) {
    effect = parts[1]!;
    if (!EFFECTS.has(effect)) throw new CliError(`error: invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0]!.split('=');
    if (kv.length > 2) throw new CliError(`error: invalid taint spec: ${spec}`);
    key = kv[0]!;
    if (kv.length === 2) {
      value = kv[1]!;
      if (value.length > 63 || !LABEL_VALUE.test(value)) {
        throw new CliError(`error: invalid taint spec: ${spec}, a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`);
      }
    }
  } else throw new CliError(`error: invalid taint spec: ${spec}`);
  if (!QUALIFIED_NAME.test(key) || key.split('/').pop()!.length > 63) {
    throw new CliError(
      `error: invalid taint spec: ${spec}, name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
  }
  return { key, ...(value !== undefined ? { value } : {}), ...(effect ? { effect } : {}) };
}

/** ParseTaints: what to add and what to remove (a trailing `-`). */
export function parseTaints(specs: string[]): { add: Taint[]; remove: Taint[] } {
  const add: Taint[] = [];
  const remove: Taint[] = [];
  for (const s of specs) {
    if (s.endsWith('-')) {
      const t = parseTaint(s.slice(0, -1));
      remove.push({ key: t.key, ...(t.effect ? { effect: t.effect } : {}) });
    } else {
      const t = parseTaint(s);
      if (!t.effect) throw new CliError(`error: unknown taint spec: ${s}`);
      if (add.some((x) => sameTaint(x, t))) throw new CliError(`error: duplicated taints with the same key and effect: {${t.key} ${t.value ?? ''} ${t.effect} <nil>}`);
      add.push(t);
    }
  }
  return { add, remove };
}

/** reorganizeTaints: the node's new taints and what kubectl calls the change. */
export function reorganizeTaints(old: Taint[], add: Taint[], remove: Taint[], overwrite: boolean): { op: string; taints: Taint[]; errors: string[] } {
  const taints = [...add];
  for (const o of old) if (!taints.some((t) => sameTaint(t, o))) taints.push(o);
  const added = old.length !== taints.length;
  const errors: string[] = [];
  let removed = false;
  let next = taints;
  for (const r of remove) {
    const before = next.length;
    next = next.filter((t) => !(r.effect ? sameTaint(t, r) : t.key === r.key));
    removed = next.length !== before;
    if (!removed) errors.push(`taint "${taintString(r)}" not found`);
  }
  const op = (added && removed) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
  return { op, taints: next, errors };
}

export const taint: Action = async (kube, args, opts) => {
  if (!args.length) throw new CliError('error: at least one taint update is required');
  const [type, ...rest] = args;
  const names: string[] = [];
  const specs: string[] = [];
  let typeArg = type!;
  if (typeArg.includes('/')) {
    const [t, n] = typeArg.split('/');
    typeArg = t!;
    names.push(n!);
  }
  if (!['node', 'nodes', 'no'].includes(typeArg)) throw new CliError(`error: invalid resource type ${typeArg}, only node types are supported`);
  for (const a of rest) {
    const isTaint = a.includes(':') || a.includes('=') || a.endsWith('-');
    if (!isTaint && specs.length) throw new CliError(`error: all resources must be specified before taint changes: ${a}`);
    (isTaint ? specs : names).push(a);
  }
  const usage = (m: string) => new CliError(`${m}\nSee 'minik taint -h' for help and examples`);
  if (!specs.length) throw new CliError('error: at least one taint update is required');
  let parsed;
  try {
    parsed = parseTaints(specs);
  } catch (e) {
    throw usage((e as Error).message);
  }
  const { add, remove } = parsed;
  const overwrite = !!opts.overwrite;
  const nodes = kube.client.resource(NODES);
  let failed = false;
  for (const name of await nodeNames(kube, names, opts)) {
    try {
      const n = (await nodes.get(undefined, name)) as NodeObj;
      const old = n.spec?.taints ?? [];
      if (!overwrite) {
        const exists = old.filter((o) => add.some((t) => sameTaint(t, o))).map((o) => o.key);
        if (exists.length) throw new CliError(`error: node ${name} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`);
      }
      const { op, taints, errors } = reorganizeTaints(old, add, remove, overwrite);
      if (errors.length) throw new CliError(errors.length === 1 ? `error: ${errors[0]}` : errors.join('\n'));
      await nodes.patch(undefined, name, { spec: { taints: taints.length ? taints : null } }, 'merge');
      process.stdout.write(`node/${name} ${op}\n`);
    } catch (e) {
      failed = true;
      process.stderr.write(formatError(e) + '\n');
    }
  }
  return failed ? 1 : 0;
};
