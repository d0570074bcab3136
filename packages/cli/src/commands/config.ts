// `minik config view|get-contexts|use-context|current-context|set-context`: kubeconfig
// handling as kubectl does it (minified, redacted secrets, first file wins).
import { stringify } from 'yaml';
import { kubeconfigPaths, kubeconfigWritePath, loadKubeconfig, readKubeconfigFile, writeKubeconfigFile, type Kubeconfig } from '@minik/api';
import { CliError, usageError } from '../errors.js';

type Opts = Record<string, unknown>;

function redact(cfg: Kubeconfig): Kubeconfig {
  const c = structuredClone(cfg);
  for (const cl of c.clusters) if (cl.cluster['certificate-authority-data']) cl.cluster['certificate-authority-data'] = 'DATA+OMITTED';
  for (const u of c.users) {
    if (u.user.token) u.user.token = 'REDACTED';
    if (u.user['client-certificate-data']) u.user['client-certificate-data'] = 'DATA+OMITTED';
    if (u.user['client-key-data']) u.user['client-key-data'] = 'DATA+OMITTED';
  }
  return c;
}

function minify(cfg: Kubeconfig, context?: string): Kubeconfig {
  const name = context || cfg['current-context'];
  if (!name) throw new CliError('error: current-context must exist in order to minify');
  const ctx = cfg.contexts.find((c) => c.name === name);
  if (!ctx) throw new CliError(`error: cannot locate context ${name}`);
  return {
    ...cfg,
    'current-context': name,
    contexts: [ctx],
    clusters: cfg.clusters.filter((c) => c.name === ctx.context.cluster),
    users: cfg.users.filter((u) => u.name === ctx.context.user),
  };
}

/** Key order as kubectl prints a kubeconfig. */
function ordered(cfg: Kubeconfig): Record<string, unknown> {
  const sortObj = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k] && typeof o[k] === 'object' && !Array.isArray(o[k]) ? sortObj(o[k] as Record<string, unknown>) : o[k]]));
  return {
    apiVersion: 'v1',
    clusters: cfg.clusters.map((c) => ({ cluster: sortObj(c.cluster), name: c.name })),
    contexts: cfg.contexts.map((c) => ({ context: sortObj(c.context), name: c.name })),
    'current-context': cfg['current-context'],
    kind: 'Config',
    preferences: cfg.preferences ?? {},
    users: cfg.users.map((u) => ({ name: u.name, user: sortObj(u.user) })),
  };
}

export async function configView(opts: Opts): Promise<void> {
  let cfg = loadKubeconfig(kubeconfigPaths(opts.kubeconfig as string | undefined));
  if (opts.minify) cfg = minify(cfg, opts.context as string | undefined);
  if (!opts.raw) cfg = redact(cfg);
  const doc = ordered(cfg);
  const out = opts.output as string | undefined;
  if (out === 'json') process.stdout.write(JSON.stringify(doc, null, 4) + '\n');
  else process.stdout.write(stringify(doc, { indentSeq: false }));
}

export async function currentContext(opts: Opts): Promise<void> {
  const cfg = loadKubeconfig(kubeconfigPaths(opts.kubeconfig as string | undefined));
  if (!cfg['current-context']) throw new CliError('error: current-context is not set');
  process.stdout.write(cfg['current-context'] + '\n');
}

export async function useContext(name: string, opts: Opts): Promise<void> {
  if (!name) throw usageError('Unexpected args: []');
  const cfg = loadKubeconfig(kubeconfigPaths(opts.kubeconfig as string | undefined));
  if (!cfg.contexts.some((c) => c.name === name)) throw new CliError(`error: no context exists with the name: "${name}"`);
  const path = kubeconfigWritePath(opts.kubeconfig as string | undefined);
  const file = readKubeconfigFile(path);
  file['current-context'] = name;
  writeKubeconfigFile(path, file);
  process.stdout.write(`Switched to context "${name}".\n`);
}

export async function setContext(name: string | undefined, opts: Opts): Promise<void> {
  const path = kubeconfigWritePath(opts.kubeconfig as string | undefined);
  const file = readKubeconfigFile(path);
  const target = opts.current ? file['current-context'] : name;
  if (!target) throw usageError(opts.current ? 'no current context is set' : 'you must specify a non-empty context name or --current');
  let ctx = file.contexts.find((c) => c.name === target);
  const created = !ctx;
  if (!ctx) file.contexts.push((ctx = { name: target, context: { cluster: '', user: '' } }));
  if (opts.namespace !== undefined) ctx.context.namespace = String(opts.namespace);
  if (opts.cluster !== undefined) ctx.context.cluster = String(opts.cluster);
  if (opts.user !== undefined) ctx.context.user = String(opts.user);
  writeKubeconfigFile(path, file);
  process.stdout.write(`Context "${target}" ${created ? 'created' : 'modified'}.\n`);
}

export async function getContexts(names: string[], opts: Opts): Promise<number> {
  const cfg = loadKubeconfig(kubeconfigPaths(opts.kubeconfig as string | undefined));
  const list = names.length ? cfg.contexts.filter((c) => names.includes(c.name)) : cfg.contexts;
  if (opts.output === 'name') {
    for (const c of list) process.stdout.write(c.name + '\n');
  } else {
    const { tabulate } = await import('../printers/index.js');
    const rows = list.map((c) => [c.name === cfg['current-context'] ? '*' : '', c.name, c.context.cluster, c.context.user, c.context.namespace ?? '']);
    process.stdout.write(tabulate(opts.headers === false ? rows : [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'], ...rows]));
  }
  const missing = names.filter((n) => !cfg.contexts.some((c) => c.name === n));
  if (missing.length) {
    process.stderr.write(`error: context ${missing[0]} not found\n`);
    return 1;
  }
  return 0;
}
