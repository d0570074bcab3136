// kubeconfig files, read and written the way kubectl does (KUBECONFIG list, first file wins).
import { readFileSync, writeFileSync, mkdirSync, existsSync, renameSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, resolve, isAbsolute } from 'node:path';
import { parse, stringify } from 'yaml';
import type { ClientOptions } from './client.js';

export interface NamedCluster {
  name: string;
  cluster: {
    server: string;
    'certificate-authority'?: string;
    'certificate-authority-data'?: string;
    'insecure-skip-tls-verify'?: boolean;
    extensions?: unknown[];
    [k: string]: unknown;
  };
}
export interface NamedUser {
  name: string;
  user: {
    token?: string;
    tokenFile?: string;
    'client-certificate'?: string;
    'client-certificate-data'?: string;
    'client-key'?: string;
    'client-key-data'?: string;
    [k: string]: unknown;
  };
}
export interface NamedContext {
  name: string;
  context: { cluster: string; user: string; namespace?: string; [k: string]: unknown };
}

export interface Kubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: NamedCluster[];
  contexts: NamedContext[];
  users: NamedUser[];
  'current-context': string;
  preferences: Record<string, unknown>;
  [k: string]: unknown;
}

export function emptyKubeconfig(): Kubeconfig {
  return { apiVersion: 'v1', kind: 'Config', clusters: [], contexts: [], users: [], 'current-context': '', preferences: {} };
}

/** The files kubectl would read: `--kubeconfig`, else `$KUBECONFIG` (':'-separated), else ~/.kube/config. */
export function kubeconfigPaths(explicit?: string): string[] {
  if (explicit) return [resolve(explicit)];
  const env = process.env.KUBECONFIG;
  if (env) return env.split(':').filter(Boolean).map((p) => resolve(p));
  return [resolve(homedir(), '.kube', 'config')];
}

/** The file kubectl writes to: the explicit one, else the first of $KUBECONFIG, else ~/.kube/config. */
export function kubeconfigWritePath(explicit?: string): string {
  return kubeconfigPaths(explicit)[0];
}

export function readKubeconfigFile(path: string): Kubeconfig {
  if (!existsSync(path)) return emptyKubeconfig();
  const text = readFileSync(path, 'utf8');
  const doc = (parse(text) ?? {}) as Partial<Kubeconfig>;
  return {
    ...emptyKubeconfig(),
    ...doc,
    clusters: doc.clusters ?? [],
    contexts: doc.contexts ?? [],
    users: doc.users ?? [],
    'current-context': doc['current-context'] ?? '',
    preferences: doc.preferences ?? {},
  };
}

/** Merges several files as kubectl does: the first file to define a name wins. */
export function loadKubeconfig(paths: string[]): Kubeconfig {
  const out = emptyKubeconfig();
  for (const p of paths) {
    const c = readKubeconfigFile(p);
    const base = dirname(p);
    for (const cl of c.clusters) {
      if (out.clusters.some((x) => x.name === cl.name)) continue;
      const ca = cl.cluster['certificate-authority'];
      if (ca && !isAbsolute(ca)) cl.cluster['certificate-authority'] = resolve(base, ca);
      out.clusters.push(cl);
    }
    for (const u of c.users) {
      if (out.users.some((x) => x.name === u.name)) continue;
      for (const f of ['client-certificate', 'client-key', 'tokenFile'] as const) {
        const v = u.user[f];
        if (typeof v === 'string' && !isAbsolute(v)) u.user[f] = resolve(base, v);
      }
      out.users.push(u);
    }
    for (const cx of c.contexts) if (!out.contexts.some((x) => x.name === cx.name)) out.contexts.push(cx);
    if (!out['current-context'] && c['current-context']) out['current-context'] = c['current-context'];
  }
  return out;
}

export class KubeconfigError extends Error {}

export interface ResolvedContext {
  contextName: string;
  clusterName: string;
  namespace: string;
  client: ClientOptions;
}

function b64(s?: string): string | undefined {
  return s ? Buffer.from(s, 'base64').toString('utf8') : undefined;
}

export function resolveContext(cfg: Kubeconfig, overrides: { context?: string; namespace?: string; server?: string; token?: string } = {}): ResolvedContext {
  const name = overrides.context || cfg['current-context'];
  if (!name && !overrides.server) {
    throw new KubeconfigError('The connection to the server localhost:8080 was refused - did you specify the right host or port?');
  }
  const ctx = cfg.contexts.find((c) => c.name === name);
  if (!ctx && !overrides.server) {
    throw new KubeconfigError(`context "${name}" does not exist`);
  }
  const cluster = ctx ? cfg.clusters.find((c) => c.name === ctx.context.cluster) : undefined;
  const user = ctx ? cfg.users.find((u) => u.name === ctx.context.user) : undefined;
  const server = overrides.server ?? cluster?.cluster.server;
  if (!server) throw new KubeconfigError(`cluster "${ctx?.context.cluster}" has no server defined`);
  let token = overrides.token ?? user?.user.token;
  if (!token && user?.user.tokenFile) token = readFileSync(user.user.tokenFile, 'utf8').trim();
  const caFile = cluster?.cluster['certificate-authority'];
  const certFile = user?.user['client-certificate'];
  const keyFile = user?.user['client-key'];
  return {
    contextName: name,
    clusterName: ctx?.context.cluster ?? '',
    namespace: overrides.namespace || ctx?.context.namespace || 'default',
    client: {
      server,
      token,
      insecureSkipTLSVerify: cluster?.cluster['insecure-skip-tls-verify'] === true,
      ca: b64(cluster?.cluster['certificate-authority-data']) ?? (caFile ? readFileSync(caFile, 'utf8') : undefined),
      cert: b64(user?.user['client-certificate-data']) ?? (certFile ? readFileSync(certFile, 'utf8') : undefined),
      key: b64(user?.user['client-key-data']) ?? (keyFile ? readFileSync(keyFile, 'utf8') : undefined),
    },
  };
}

/** Writes a kubeconfig file atomically with mode 0600 (it holds credentials). */
export function writeKubeconfigFile(path: string, cfg: Kubeconfig): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, stringify(cfg), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

function upsert<T extends { name: string }>(list: T[], item: T): void {
  const i = list.findIndex((x) => x.name === item.name);
  if (i >= 0) list[i] = item;
  else list.push(item);
}

/** Adds or replaces a cluster/user/context triple in a file, as `kind create cluster` does. */
export function mergeKubeconfigEntry(
  path: string,
  entry: { name: string; server: string; token: string; namespace?: string; caData?: string },
  makeCurrent: boolean,
): void {
  const cfg = readKubeconfigFile(path);
  const cluster: NamedCluster['cluster'] = { server: entry.server };
  if (entry.caData) cluster['certificate-authority-data'] = entry.caData;
  upsert(cfg.clusters, { name: entry.name, cluster });
  upsert(cfg.users, { name: entry.name, user: { token: entry.token } });
  const context: NamedContext['context'] = { cluster: entry.name, user: entry.name };
  if (entry.namespace) context.namespace = entry.namespace;
  const existing = cfg.contexts.find((c) => c.name === entry.name);
  if (existing?.context.namespace && !entry.namespace) context.namespace = existing.context.namespace;
  upsert(cfg.contexts, { name: entry.name, context });
  if (makeCurrent) cfg['current-context'] = entry.name;
  writeKubeconfigFile(path, cfg);
}

/** Removes a cluster/user/context triple; clears current-context if it pointed there. */
export function removeKubeconfigEntry(path: string, name: string): void {
  if (!existsSync(path)) return;
  const cfg = readKubeconfigFile(path);
  cfg.clusters = cfg.clusters.filter((c) => c.name !== name);
  cfg.users = cfg.users.filter((u) => u.name !== name);
  cfg.contexts = cfg.contexts.filter((c) => c.name !== name);
  if (cfg['current-context'] === name) cfg['current-context'] = '';
  writeKubeconfigFile(path, cfg);
}
