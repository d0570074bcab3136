// `minik start|stop|delete|status`: the control plane as detached daemons, plus the
// kubeconfig context kubectl and minik use to reach it.
import { rmSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, kubeconfigWritePath, mergeKubeconfigEntry, removeKubeconfigEntry, readKubeconfigFile } from '@minik/api';
import { CliError } from '../errors.js';
import { clusterDir, contextName, CLUSTER_NAME_RE, minikHome } from './paths.js';
import { readConfig, writeConfig, ensureToken, tokenPath, type ClusterConfig } from './state.js';
import { readPid, spawnDaemon, stopDaemon, tailLog, isAlive, logFile } from './daemon.js';
import { portFree, anyFreePort } from './ports.js';
import { ensurePki, pkiDir } from './pki.js';

export const DEFAULT_PORT = 6443;

export interface StartOptions {
  name: string;
  port?: number;
  kubeconfig?: string;
  /** Seconds to wait for readiness. */
  wait?: number;
}

function progress(msg: string): void {
  process.stderr.write(msg + '\n');
}

function checkName(name: string): void {
  if (!CLUSTER_NAME_RE.test(name) || name.length > 40) {
    throw new CliError(`error: invalid cluster name "${name}": must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character`);
  }
}

function serverUrl(cfg: ClusterConfig): string {
  return `https://${cfg.host}:${cfg.port}`;
}

function caPem(name: string): string | undefined {
  const f = join(pkiDir(name), 'ca.crt');
  return existsSync(f) ? readFileSync(f, 'utf8') : undefined;
}

async function waitReady(cfg: ClusterConfig, pid: number, timeoutMs: number): Promise<void> {
  const client = new ApiClient({ server: serverUrl(cfg), timeoutMs: 2000, ca: caPem(cfg.name) });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        const body = await client.request<string>('GET', '/readyz', { text: true });
        if (body === 'ok') return;
      } catch {
        /* not yet */
      }
      if (!isAlive(pid)) {
        throw new CliError(`error: the apiserver exited during start; last lines of ${logFile(cfg.name, 'apiserver')}:\n${tailLog(cfg.name, 'apiserver')}`);
      }
      if (Date.now() > deadline) throw new CliError(`error: timed out after ${Math.round(timeoutMs / 1000)}s waiting for the apiserver to be ready (log: ${logFile(cfg.name, 'apiserver')})`);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    await client.close();
  }
}

export async function startCluster(opts: StartOptions): Promise<void> {
  const name = opts.name;
  checkName(name);
  const t0 = Date.now();
  let cfg = readConfig(name);
  const token = ensureToken(name);
  const fresh = !cfg;
  if (!cfg) {
    // --port 0 asks for any free port (tests); no --port prefers 6443 like kubeadm.
    const port = opts.port === 0 ? await anyFreePort() : (opts.port ?? ((await portFree(DEFAULT_PORT)) ? DEFAULT_PORT : await anyFreePort()));
    cfg = { name, host: '127.0.0.1', port, createdAt: new Date().toISOString() };
  } else if (opts.port !== undefined && opts.port !== 0 && opts.port !== cfg.port) {
    throw new CliError(`error: cluster "${name}" already exists with port ${cfg.port}; delete it to change the port`);
  }
  progress(`${fresh ? 'Creating' : 'Starting'} cluster "${name}" ...`);
  let pid = readPid(name, 'apiserver');
  if (!pid) {
    if (!(await portFree(cfg.port, cfg.host))) {
      throw new CliError(`error: port ${cfg.port} on ${cfg.host} is already in use; stop what listens there or start with another --port`);
    }
    writeConfig(cfg);
    const pki = ensurePki(name, [cfg.host]);
    pid = spawnDaemon(name, 'apiserver', [
      'apiserver',
      '--data-dir', join(clusterDir(name), 'data'),
      '--host', cfg.host,
      '--port', String(cfg.port),
      '--token-file', tokenPath(name),
      '--tls-cert-file', pki.certFile,
      '--tls-private-key-file', pki.keyFile,
      '--client-ca-file', pki.caFile,
    ]);
  }
  await waitReady(cfg, pid, (opts.wait ?? 60) * 1000);
  progress(` ✓ Control plane ready at ${serverUrl(cfg)} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  const ctx = contextName(name);
  const kc = kubeconfigWritePath(opts.kubeconfig);
  mergeKubeconfigEntry(kc, { name: ctx, server: serverUrl(cfg), token, caData: Buffer.from(caPem(name) ?? '').toString('base64') }, true);
  progress(`Set kubectl context to "${ctx}" (${kc})`);
}

export async function stopCluster(name: string): Promise<void> {
  checkName(name);
  if (!readConfig(name)) throw new CliError(`error: cluster "${name}" does not exist`);
  const stopped = await stopDaemon(name, 'apiserver');
  progress(stopped ? `Stopped cluster "${name}" (state kept in ${clusterDir(name)})` : `Cluster "${name}" is not running`);
}

export async function deleteCluster(name: string, kubeconfig?: string): Promise<void> {
  checkName(name);
  const dir = clusterDir(name);
  if (!existsSync(dir)) {
    progress(`Cluster "${name}" does not exist`);
    return;
  }
  await stopDaemon(name, 'apiserver');
  rmSync(dir, { recursive: true, force: true });
  removeKubeconfigEntry(kubeconfigWritePath(kubeconfig), contextName(name));
  progress(`Deleted cluster "${name}"`);
}

/** Prints the state of a cluster; returns the exit code (0 running, 1 otherwise). */
export async function clusterStatus(name: string, kubeconfig?: string): Promise<number> {
  checkName(name);
  const cfg = readConfig(name);
  if (!cfg) {
    process.stdout.write(`cluster "${name}" does not exist (MINIK_HOME=${minikHome()})\n`);
    return 1;
  }
  const pid = readPid(name, 'apiserver');
  let apiserver = 'Stopped';
  if (pid) {
    const client = new ApiClient({ server: serverUrl(cfg), timeoutMs: 2000, ca: caPem(name) });
    try {
      apiserver = (await client.request<string>('GET', '/readyz', { text: true })) === 'ok' ? 'Running' : 'Starting';
    } catch {
      apiserver = 'Not responding';
    } finally {
      await client.close();
    }
  }
  const ctx = contextName(name);
  const kc = readKubeconfigFile(kubeconfigWritePath(kubeconfig));
  const configured = kc.contexts.some((c) => c.name === ctx) ? `Configured (context "${ctx}")` : 'Not configured';
  const lines = [`name: ${name}`, `apiserver: ${apiserver}${pid ? ` (${serverUrl(cfg)}, pid ${pid})` : ''}`, `kubeconfig: ${configured}`];
  process.stdout.write(lines.join('\n') + '\n');
  return apiserver === 'Running' ? 0 : 1;
}
