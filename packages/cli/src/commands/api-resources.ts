// `minik api-resources`: the server's resource types from discovery, as kubectl lists them.
import type { Action } from '../main.js';
import { groupVersion } from '@minik/api';
import { usageError } from '../errors.js';

export const apiResources: Action = async (kube, _args, opts) => {
  let list = [...(await kube.discovery.resources())];
  // One entry per group/resource (the preferred version), as kubectl shows by default.
  const seen = new Set<string>();
  list = list.filter((r) => {
    const k = `${r.group}/${r.resource}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (opts.apiGroup !== undefined) list = list.filter((r) => r.group === opts.apiGroup);
  if (opts.namespaced !== undefined) list = list.filter((r) => String(r.namespaced) === String(opts.namespaced));
  if (opts.verbs) {
    const verbs = String(opts.verbs).split(',');
    list = list.filter((r) => verbs.every((v) => r.verbs.includes(v)));
  }
  if (opts.categories) {
    const cats = String(opts.categories).split(',');
    list = list.filter((r) => cats.every((c) => r.categories.includes(c)));
  }
  const sortBy = opts.sortBy as string | undefined;
  if (sortBy && sortBy !== 'name' && sortBy !== 'kind') throw usageError(`--sort-by accepts only name or kind`);
  list.sort((a, b) => {
    if (sortBy === 'kind') return a.kind.localeCompare(b.kind);
    if (sortBy === 'name') return a.resource.localeCompare(b.resource);
    return a.group === b.group ? a.resource.localeCompare(b.resource) : a.group.localeCompare(b.group);
  });
  const out = opts.output as string | undefined;
  if (out === 'name') {
    for (const r of list) process.stdout.write(`${r.group ? `${r.resource}.${r.group}` : r.resource}\n`);
    return;
  }
  if (out && out !== 'wide') throw usageError(`--output ${out} is not available`);
  const wide = out === 'wide';
  const header = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])];
  const rows = list.map((r) => [
    r.resource,
    r.shortNames.join(','),
    groupVersion(r),
    String(r.namespaced),
    r.kind,
    ...(wide ? [`[${r.verbs.join(' ')}]`, r.categories.join(',')] : []),
  ]);
  const { tabulate } = await import('../printers/index.js');
  process.stdout.write(tabulate(opts.headers === false ? rows : [header, ...rows]));
};
