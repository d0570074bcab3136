// Helpers shared by the kubectl-style verbs: type/name arguments, dry-run, output names.
import type { KubeObject } from '@minik/api';
import type { Kube } from '../context.js';
import { kindPrefix, type ApiResource } from '../discovery.js';
import { usageError } from '../errors.js';

export interface Target {
  resource: ApiResource;
  names: string[];
}

/**
 * Parses kubectl's argument forms: `TYPE`, `TYPE NAME...`, `TYPE1,TYPE2`, `TYPE/NAME...`
 * (the two styles may not be mixed, as in kubectl).
 */
export async function parseTargets(kube: Kube, args: string[]): Promise<Target[]> {
  if (!args.length) return [];
  if (args.some((a) => a.includes('/'))) {
    const out: Target[] = [];
    for (const a of args) {
      const i = a.indexOf('/');
      if (i < 0) throw usageError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'minik get resource/<resource_name>' instead of 'minik get resource resource/<resource_name>'`);
      const resource = await kube.discovery.resolve(a.slice(0, i));
      const name = a.slice(i + 1);
      if (!name) throw usageError(`arguments in resource/name form must have a single resource and name`);
      const prev = out.find((t) => t.resource === resource);
      if (prev) prev.names.push(name);
      else out.push({ resource, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args;
  const out: Target[] = [];
  for (const t of types.split(',').filter(Boolean)) {
    if (t === 'all') {
      for (const r of await kube.discovery.category('all')) out.push({ resource: r, names: [...names] });
    } else {
      out.push({ resource: await kube.discovery.resolve(t), names: [...names] });
    }
  }
  return out;
}

export type DryRun = 'none' | 'client' | 'server';

export function parseDryRun(v: unknown): DryRun {
  if (v === undefined || v === false || v === 'none' || v === 'false') return 'none';
  if (v === true || v === 'client' || v === 'true' || v === '') return 'client';
  if (v === 'server') return 'server';
  throw usageError(`Invalid dry-run value (${String(v)}). Must be "none", "server", or "client".`);
}

export function dryRunSuffix(d: DryRun): string {
  return d === 'client' ? ' (dry run)' : d === 'server' ? ' (server dry run)' : '';
}

/** `deployment.apps/web` */
export function objectName(r: ApiResource, name: string): string {
  return `${kindPrefix(r)}/${name}`;
}

/** What mutating verbs print: `deployment.apps/web created`, or just the name with `-o name`. */
export function printOperation(r: ApiResource, name: string, verb: string, opts: { output?: unknown }, dryRun: DryRun = 'none'): void {
  if (opts.output === 'name') process.stdout.write(`${objectName(r, name)}\n`);
  else process.stdout.write(`${objectName(r, name)} ${verb}${dryRunSuffix(dryRun)}\n`);
}

/** The namespace an object goes to: its own, else -n / the context's; -n must not contradict it. */
export function namespaceFor(kube: Kube, r: ApiResource, obj: KubeObject): string | undefined {
  if (!r.namespaced) return undefined;
  const own = obj.metadata?.namespace;
  if (own && kube.explicitNamespace && own !== kube.namespace) {
    throw usageError(`the namespace from the provided object "${own}" does not match the namespace "${kube.namespace}". You must pass '--namespace=${own}' to perform this operation.`);
  }
  return own || kube.namespace;
}

export function asArray(v: unknown): string[] {
  if (v === undefined || v === null || v === false) return [];
  return Array.isArray(v) ? (v as string[]) : [String(v)];
}
