// `minik describe`: kubectl describe's object selection (types, names, name prefixes, -l, -A,
// -f), its output joining and its error reporting; the text comes from ../describe/.
import { ApiError, type KubeObject } from '@minik/api';
import type { Action } from '../main.js';
import type { Kube } from '../context.js';
import type { ApiResource } from '../discovery.js';
import { CliError, formatError, usageError } from '../errors.js';
import { readManifests } from '../manifest.js';
import { asArray } from './common.js';
import { listAll, type DescribeContext } from '../describe/context.js';
import { describeObject } from '../describe/index.js';

interface Target {
  r: ApiResource;
  namespace: string;
  name: string;
}

/** strconv.ParseBool, as the --show-events flag is parsed. */
export function parseBoolFlag(v: unknown, flag: string): boolean {
  if (v === undefined || v === true) return true;
  if (v === false) return false;
  const s = String(v);
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw new CliError(`Error: invalid argument "${s}" for "--${flag}" flag: strconv.ParseBool: parsing "${s}": invalid syntax\nSee 'minik describe --help' for usage.`);
}

async function resolveTypes(kube: Kube, types: string): Promise<ApiResource[]> {
  const out: ApiResource[] = [];
  for (const t of types.split(',').filter(Boolean)) {
    if (t === 'all') out.push(...(await kube.discovery.category('all')));
    else out.push(await kube.discovery.resolve(t));
  }
  return out;
}

/** Objects named in -f files: their resource, namespace and name. */
async function targetsFromFiles(kube: Kube, files: string[], recursive: boolean): Promise<Target[]> {
  const out: Target[] = [];
  for (const m of readManifests(files, recursive)) {
    const apiVersion = String(m.obj.apiVersion ?? '');
    const kind = String(m.obj.kind ?? '');
    const r = await kube.discovery.forKind(apiVersion, kind);
    const name = m.obj.metadata?.name ?? '';
    if (!r) {
      throw usageError(`resource mapping not found for name: "${name}" namespace: "${m.obj.metadata?.namespace ?? ''}" from "${m.source}": no matches for kind "${kind}" in version "${apiVersion}"`);
    }
    const own = m.obj.metadata?.namespace;
    if (r.namespaced && own && kube.explicitNamespace && own !== kube.namespace) {
      throw usageError(`the namespace from the provided object "${own}" does not match the namespace "${kube.namespace}". You must pass '--namespace=${own}' to perform this operation.`);
    }
    out.push({ r, namespace: r.namespaced ? own || kube.namespace : '', name });
  }
  return out;
}

/** Lists the objects of each type (in the namespace, or all with -A) that match -l. */
async function listTargets(ctx: DescribeContext, kube: Kube, rs: ApiResource[], selector: string | undefined, all: boolean): Promise<Target[]> {
  const out: Target[] = [];
  for (const r of rs) {
    const ns = r.namespaced && !all ? kube.namespace : undefined;
    const items = await listAll<KubeObject>(ctx, r, ns, { labelSelector: selector || undefined });
    for (const o of items) out.push({ r, namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '' });
  }
  return out;
}

export const describe: Action = async (kube, args, opts) => {
  const files = asArray(opts.filename);
  const selector = opts.selector ? String(opts.selector) : undefined;
  const allNamespaces = !!opts.allNamespaces;
  if (!args.length && !files.length) {
    throw usageError('You must specify the type of resource to describe. Use "minik api-resources" for a complete list of supported resources.');
  }
  const ctx: DescribeContext = { client: kube.client, settings: { showEvents: parseBoolFlag(opts.showEvents, 'show-events'), chunkSize: 500 }, now: Date.now() };

  let targets: Target[];
  if (files.length) {
    targets = await targetsFromFiles(kube, files, !!opts.recursive);
  } else if (args.some((a) => a.includes('/'))) {
    targets = [];
    for (const a of args) {
      const i = a.indexOf('/');
      if (i < 0) {
        throw usageError(
          "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'minik get resource/<resource_name>' instead of 'minik get resource resource/<resource_name>'",
        );
      }
      const r = await kube.discovery.resolve(a.slice(0, i));
      if (!a.slice(i + 1)) throw usageError('arguments in resource/name form must have a single resource and name');
      targets.push({ r, namespace: r.namespaced ? kube.namespace : '', name: a.slice(i + 1) });
    }
  } else {
    const [types, ...names] = args;
    const rs = await resolveTypes(kube, types);
    if (names.length && selector) throw usageError('name cannot be provided when a selector is specified');
    targets = names.length ? rs.flatMap((r) => names.map((name) => ({ r, namespace: r.namespaced ? kube.namespace : '', name }))) : await listTargets(ctx, kube, rs, selector, allNamespaces);
  }

  // kubectl's builder fetches every named object first; with exactly two arguments, a missing
  // one switches to describing the objects whose names start with the second argument.
  if (args.length === 2 && !files.length) {
    const missing = await firstNotFound(kube, targets);
    if (missing) return describeByPrefix(ctx, kube, args, missing);
  }

  const errors: string[] = [];
  let first = true;
  for (const t of targets) {
    let text: string;
    try {
      text = await describeObject(ctx, t.r, t.namespace, t.name);
    } catch (e) {
      const msg = formatError(e);
      if (!errors.includes(msg)) errors.push(msg);
      continue;
    }
    process.stdout.write(first ? text : `\n\n${text}`);
    first = false;
  }
  if (!targets.length && !errors.length) {
    process.stderr.write(allNamespaces ? 'No resources found\n' : `No resources found in ${kube.namespace} namespace.\n`);
  }
  if (errors.length) {
    process.stderr.write(errors.map((m) => `${m}\n`).join(''));
    return 1;
  }
  return 0;
};

async function firstNotFound(kube: Kube, targets: Target[]): Promise<ApiError | undefined> {
  for (const t of targets) {
    try {
      await kube.client.resource(t.r).get(t.namespace || undefined, t.name);
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return e;
    }
  }
  return undefined;
}

/**
 * DescribeMatchingResources: each object of the first argument's type whose name starts with
 * the second argument. Given `TYPE/NAME` forms, kubectl looks up the first object instead,
 * which never matches: only the original error remains.
 */
async function describeByPrefix(ctx: DescribeContext, kube: Kube, args: string[], notFound: ApiError): Promise<number> {
  const [resource, prefix] = args;
  const slash = resource.indexOf('/');
  if (slash >= 0) {
    const r = await kube.discovery.resolve(resource.slice(0, slash));
    await kube.client.resource(r).get(r.namespaced ? kube.namespace : undefined, resource.slice(slash + 1));
    throw notFound;
  }
  const r = (await resolveTypes(kube, resource))[0];
  const items = await listAll<KubeObject>(ctx, r, r.namespaced ? kube.namespace : undefined);
  const matching = items.filter((o) => (o.metadata?.name ?? '').startsWith(prefix));
  if (!matching.length) throw notFound;
  for (const o of matching) {
    const text = await describeObject(ctx, r, o.metadata?.namespace ?? '', o.metadata?.name ?? '');
    process.stdout.write(`${text}\n`);
  }
  return 0;
}
