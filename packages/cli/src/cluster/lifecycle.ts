// `minik start|stop|delete|status`: the control plane and the node agents as detached
// daemons, the cluster's Docker network, and the kubeconfig context kubectl and minik use.
import { rmSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { ApiClient, kubeconfigWritePath, nthAddress, mergeKubeconfigEntry, removeKubeconfigEntry, readKubeconfigFile, type KubeObject } from '@minik/api';
import { CliError } from '../errors.js';
import { clusterDir, contextName, CLUSTER_NAME_RE, minikHome } from './paths.js';
import { readConfig, writeConfig, ensureToken, tokenPath, defaultNodes, nodePodCIDR, newClusterId, type ClusterConfig, type NodeConfig } from './state.js';
import { readPid, spawnDaemon, stopDaemon, tailLog, isAlive, logFile } from './daemon.js';
import { portFree, anyFreePort } from './ports.js';
import { ensurePki, pkiDir } from './pki.js';
import { ensureAddonImage } from './addon-image.js';
import { chooseSubnets, ensureNetwork, gatewayOf } from './network.js';

export const DEFAULT_PORT = 6443;
export const DEFAULT_NODES = 3;

export interface StartOptions {
  name: string;
  port?: number;
  kubeconfig?: string;
  /** Seconds to wait for readiness. */
  wait?: number;
  nodes?: number;
  /** Per-node resources (`--cpus 2 --memory 4Gi`); default: the machine divided among nodes. */
  cpus?: string;
  memory?: string;
  /** Kubernetes' node failure timings shortened (see ClusterConfig.fastFailover). */
  fastFailover?: boolean;
}

/** The timings `--fast-failover` sets: detection in 4 s, eviction 1 s later. */
const FAST_FAILOVER = { leaseRenewMs: 1000, gracePeriodSeconds: 4, tolerationSeconds: 1 };

function progress(msg: string): void {
  process.stderr.write(msg + '\n');
}

function checkName(name: string): void {
  if (!CLUSTER_NAME_RE.test(name) || name.length > 40) {
    throw new CliError(`error: invalid cluster name "${name}": must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character`);
  }
}

export function serverUrl(cfg: ClusterConfig): string {
  return `https://${cfg.host}:${cfg.port}`;
}

function caPem(name: string): string | undefined {
  const f = join(pkiDir(name), 'ca.crt');
  return existsSync(f) ? readFileSync(f, 'utf8') : undefined;
}

export function clusterClient(cfg: ClusterConfig, timeoutMs = 5000): ApiClient {
  const tf = tokenPath(cfg.name);
  const token = existsSync(tf) ? readFileSync(tf, 'utf8').trim() : undefined;
  return new ApiClient({ server: serverUrl(cfg), token, timeoutMs, ca: caPem(cfg.name) });
}

async function docker() {
  const { Docker, DockerUnavailableError } = await import('@minik/node-agent');
  const d = new Docker();
  try {
    await d.ping();
  } catch (e) {
    await d.close();
    if (e instanceof DockerUnavailableError) throw new CliError(`error: ${e.message}`);
    throw e;
  }
  return d;
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

export function parseCpus(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(v.trim());
  if (!m) throw new CliError(`error: invalid --cpus "${v}": use a number of cores (2, 0.5) or millicores (500m)`);
  return m[2] ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
}

export function parseMemory(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(v.trim());
  if (!m) throw new CliError(`error: invalid --memory "${v}": use e.g. 2Gi or 512Mi`);
  const mult: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, K: 1e3, M: 1e6, G: 1e9 };
  return Math.round(Number(m[1]) * (m[2] ? mult[m[2]] : 1));
}

function agentDaemon(node: string): string {
  return `node-${node}`;
}

/** Starts one node's agent as a detached daemon. */
function startAgent(cfg: ClusterConfig, node: NodeConfig, count: number): number {
  const cpuMilli = node.cpuMilli ?? Math.max(100, Math.floor((os.cpus().length * 1000) / count));
  const memoryBytes = node.memoryBytes ?? Math.floor(os.totalmem() / count);
  const pki = join(pkiDir(cfg.name), 'ca.crt');
  return spawnDaemon(cfg.name, agentDaemon(node.name), [
    'node-agent',
    '--cluster', cfg.id ?? cfg.name,
    '--name', node.name,
    '--apiserver', serverUrl(cfg),
    '--token-file', tokenPath(cfg.name),
    '--ca-file', pki,
    '--network', cfg.network!,
    '--pod-cidr', nodePodCIDR(cfg.podSubnet!, node.index),
    '--cluster-dns', nthAddress(cfg.serviceSubnet!, 10),
    '--state-dir', join(clusterDir(cfg.name), 'nodes', node.name),
    '--cpu-milli', String(cpuMilli),
    '--memory-bytes', String(memoryBytes),
    ...(node.controlPlane && count > 1 ? ['--control-plane'] : node.controlPlane ? ['--control-plane', '--untainted'] : []),
    ...(cfg.fastFailover ? ['--lease-renew-ms', String(FAST_FAILOVER.leaseRenewMs)] : []),
  ]);
}

interface NodeCondition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
}

/**
 * Waits until every node reports Ready; nodes whose agent this start launched must report it
 * after `since` (a heartbeat from this start, not an old status left from before a stop).
 */
async function waitNodesReady(cfg: ClusterConfig, nodes: NodeConfig[], pids: Map<string, number>, since: number, timeoutMs: number, fresh: Set<string> = new Set(nodes.map((n) => n.name))): Promise<void> {
  const client = clusterClient(cfg, 2000);
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(nodes.map((n) => n.name));
  try {
    while (pending.size) {
      let list: KubeObject[] = [];
      try {
        list = (await client.resource({ group: '', version: 'v1', resource: 'nodes' }).list()).items;
      } catch {
        /* retry */
      }
      for (const n of list) {
        const name = n.metadata?.name ?? '';
        if (!pending.has(name)) continue;
        const ready = ((n.status as { conditions?: NodeCondition[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');
        if (ready?.status === 'True' && (!fresh.has(name) || Date.parse(ready.lastHeartbeatTime ?? '') >= Math.floor(since / 1000) * 1000)) {
          pending.delete(name);
          progress(` ✓ Node ${name} Ready`);
        }
      }
      for (const name of pending) {
        const pid = pids.get(name);
        if (pid && !isAlive(pid)) {
          throw new CliError(`error: the node agent for "${name}" exited during start; last lines of ${logFile(cfg.name, agentDaemon(name))}:\n${tailLog(cfg.name, agentDaemon(name))}`);
        }
      }
      if (!pending.size) break;
      if (Date.now() > deadline) throw new CliError(`error: timed out waiting for node(s) ${[...pending].join(', ')} to be Ready (logs in ${join(clusterDir(cfg.name), 'logs')})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await client.close();
  }
}

export async function startCluster(opts: StartOptions): Promise<void> {
  const name = opts.name;
  checkName(name);
  if (opts.nodes !== undefined && (!Number.isInteger(opts.nodes) || opts.nodes < 1)) {
    throw new CliError(`error: --nodes must be at least 1 (got ${opts.nodes})`);
  }
  const t0 = Date.now();
  const d = await docker();
  try {
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
    if (!cfg.nodes) {
      cfg.nodes = defaultNodes(opts.nodes ?? DEFAULT_NODES);
      const cpuMilli = opts.cpus ? parseCpus(opts.cpus) : undefined;
      const memoryBytes = opts.memory ? parseMemory(opts.memory) : undefined;
      for (const n of cfg.nodes) Object.assign(n, cpuMilli ? { cpuMilli } : {}, memoryBytes ? { memoryBytes } : {});
    } else if (opts.nodes !== undefined && opts.nodes !== cfg.nodes.length) {
      throw new CliError(`error: cluster "${name}" already has ${cfg.nodes.length} node(s); use \`minik node add\` or \`minik node rm\` to change that`);
    }
    // A flag given to `start` sticks: it is the cluster's setting from then on.
    if (opts.fastFailover !== undefined && !readPid(name, 'apiserver')) cfg.fastFailover = opts.fastFailover || undefined;
    cfg.id ??= newClusterId(name);
    cfg.network ??= `minik-${cfg.id}`;
    if (!cfg.networkSubnet) Object.assign(cfg, await chooseSubnets(d));
    progress(`${fresh ? 'Creating' : 'Starting'} cluster "${name}" (${cfg.nodes.length} node${cfg.nodes.length > 1 ? 's' : ''}) ...`);
    // The network first: the apiserver also listens on its gateway, for pods. Then the apiserver
    // and the agents start together: agents wait for the apiserver.
    await ensureNetwork(d, cfg.id, cfg.network, cfg.networkSubnet!);
    let pid = readPid(name, 'apiserver');
    if (!pid) {
      if (!(await portFree(cfg.port, cfg.host))) {
        throw new CliError(`error: port ${cfg.port} on ${cfg.host} is already in use; stop what listens there or start with another --port`);
      }
      writeConfig(cfg);
      const gateway = gatewayOf(cfg.networkSubnet!);
      const pki = ensurePki(name, [cfg.host, gateway, nthAddress(cfg.serviceSubnet!, 1), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']);
      const addonImage = await ensureAddonImage(d);
      pid = spawnDaemon(name, 'apiserver', [
        'apiserver',
        '--data-dir', join(clusterDir(name), 'data'),
        '--host', cfg.host,
        '--port', String(cfg.port),
        '--advertise-address', gateway,
        '--service-cluster-ip-range', cfg.serviceSubnet!,
        ...(addonImage ? ['--addon-image', addonImage] : []),
        '--token-file', tokenPath(name),
        '--tls-cert-file', pki.certFile,
        '--tls-private-key-file', pki.keyFile,
        '--client-ca-file', pki.caFile,
        ...(cfg.fastFailover ? ['--node-monitor-grace-period', String(FAST_FAILOVER.gracePeriodSeconds), '--default-toleration-seconds', String(FAST_FAILOVER.tolerationSeconds)] : []),
      ]);
    } else writeConfig(cfg);
    const since = Date.now();
    const pids = new Map<string, number>();
    const launched = new Set<string>();
    for (const n of cfg.nodes) {
      let apid = readPid(name, agentDaemon(n.name));
      if (!apid) {
        apid = startAgent(cfg, n, cfg.nodes.length);
        launched.add(n.name);
      }
      pids.set(n.name, apid);
    }
    await waitReady(cfg, pid, (opts.wait ?? 60) * 1000);
    progress(` ✓ Control plane ready at ${serverUrl(cfg)} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    await waitNodesReady(cfg, cfg.nodes, pids, since, (opts.wait ?? 60) * 1000, launched);
    const ctx = contextName(name);
    const kc = kubeconfigWritePath(opts.kubeconfig);
    mergeKubeconfigEntry(kc, { name: ctx, server: serverUrl(cfg), token, caData: Buffer.from(caPem(name) ?? '').toString('base64') }, true);
    progress(`Cluster "${name}" ready in ${((Date.now() - t0) / 1000).toFixed(1)}s; kubectl context set to "${ctx}" (${kc})`);
  } finally {
    await d.close();
  }
}

/** Stops or removes the cluster's containers; returns the names of those it touched. */
async function removeClusterContainers(cfg: ClusterConfig, stopOnly: boolean, node?: string, keepPods: Set<string> = new Set()): Promise<string[]> {
  const { Docker } = await import('@minik/node-agent');
  const d = new Docker();
  try {
    const labels: Record<string, string> = { 'io.minik.cluster': cfg.id ?? cfg.name };
    if (node) labels['io.minik.node'] = node;
    const all = (await d.containerList({ all: true, labels }).catch(() => [])) as { Id: string; State: string; Labels?: Record<string, string> }[];
    const list = all.filter((c) => !keepPods.has(`${c.Labels?.['io.kubernetes.pod.namespace']}/${c.Labels?.['io.kubernetes.pod.name']}`));
    await Promise.all(list.map((c) => (stopOnly ? (c.State === 'running' ? d.containerStop(c.Id, 2) : undefined) : d.containerRemove(c.Id, { force: true }))));
    return list.flatMap((c) => ((c as { Names?: string[] }).Names ?? []).map((n) => n.replace(/^\//, '')));
  } finally {
    await d.close();
  }
}

export async function stopCluster(name: string): Promise<void> {
  checkName(name);
  const cfg = readConfig(name);
  if (!cfg) throw new CliError(`error: cluster "${name}" does not exist`);
  // Agents first, so that nothing reacts to its containers stopping; then the containers.
  const agents = await Promise.all((cfg.nodes ?? []).map((n) => stopDaemon(name, agentDaemon(n.name))));
  await removeClusterContainers(cfg, true).catch(() => undefined);
  const stopped = await stopDaemon(name, 'apiserver');
  progress(stopped || agents.some(Boolean) ? `Stopped cluster "${name}" (state kept in ${clusterDir(name)})` : `Cluster "${name}" is not running`);
}

export async function deleteCluster(name: string, kubeconfig?: string): Promise<void> {
  checkName(name);
  const dir = clusterDir(name);
  const cfg = readConfig(name);
  if (!existsSync(dir)) {
    progress(`Cluster "${name}" does not exist`);
    return;
  }
  await Promise.all((cfg?.nodes ?? []).map((n) => stopDaemon(name, agentDaemon(n.name))));
  await stopDaemon(name, 'apiserver');
  const removed = cfg ? await removeClusterContainers(cfg, false).catch(() => [] as string[]) : [];
  if (cfg?.network) {
    // A container removed a moment ago can still hold an endpoint: try again for a few seconds
    // (a network left behind would push the next cluster off 10.96.0.0/12).
    const { Docker } = await import('@minik/node-agent');
    const d = new Docker();
    let lastError: Error | undefined;
    for (let i = 0; i < 15; i++) {
      try {
        await d.networkRemove(cfg.network);
        lastError = undefined;
        break;
      } catch (e) {
        lastError = e as Error;
        // Docker 20.10 can keep an endpoint of a container just removed: disconnect it by name.
        for (const n of removed) await d.networkDisconnect(cfg.network, n, true).catch(() => undefined);
        removed.push(...(await removeClusterContainers(cfg, false).catch(() => [] as string[])));
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    await d.close();
    if (lastError) process.stderr.write(`warning: could not remove Docker network ${cfg.network}: ${lastError.message}\n`);
  }
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
  let nodes: KubeObject[] = [];
  if (pid) {
    const client = clusterClient(cfg, 2000);
    try {
      apiserver = (await client.request<string>('GET', '/readyz', { text: true })) === 'ok' ? 'Running' : 'Starting';
      nodes = (await client.resource({ group: '', version: 'v1', resource: 'nodes' }).list()).items;
    } catch {
      if (apiserver === 'Stopped') apiserver = 'Not responding';
    } finally {
      await client.close();
    }
  }
  const ctx = contextName(name);
  const kc = readKubeconfigFile(kubeconfigWritePath(kubeconfig));
  const configured = kc.contexts.some((c) => c.name === ctx) ? `Configured (context "${ctx}")` : 'Not configured';
  const lines = [`name: ${name}`, `apiserver: ${apiserver}${pid ? ` (${serverUrl(cfg)}, pid ${pid})` : ''}`];
  let allUp = apiserver === 'Running';
  for (const n of cfg.nodes ?? []) {
    const apid = readPid(name, agentDaemon(n.name));
    const obj = nodes.find((x) => x.metadata?.name === n.name);
    const ready = ((obj?.status as { conditions?: NodeCondition[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready')?.status === 'True';
    const state = !apid ? 'Stopped' : ready ? 'Ready' : 'NotReady';
    if (state !== 'Ready') allUp = false;
    lines.push(`node ${n.name}: ${state}${apid ? ` (pid ${apid})` : ''}`);
  }
  lines.push(`kubeconfig: ${configured}`);
  process.stdout.write(lines.join('\n') + '\n');
  return allUp ? 0 : 1;
}

// ---- nodes ---------------------------------------------------------------------------------

function requireRunning(name: string): ClusterConfig {
  const cfg = readConfig(name);
  if (!cfg) throw new CliError(`error: cluster "${name}" does not exist`);
  if (!readPid(name, 'apiserver')) throw new CliError(`error: cluster "${name}" is not running; start it with \`minik start${name === 'minik' ? '' : ` --name ${name}`}\``);
  return cfg;
}

export async function listNodes(name: string): Promise<void> {
  const cfg = readConfig(name);
  if (!cfg) throw new CliError(`error: cluster "${name}" does not exist`);
  const { tabulate } = await import('../printers/index.js');
  const rows = (cfg.nodes ?? []).map((n) => [n.name, n.controlPlane ? 'control-plane' : 'worker', readPid(name, agentDaemon(n.name)) ? 'Running' : 'Stopped', cfg.podSubnet ? nodePodCIDR(cfg.podSubnet, n.index) : '']);
  process.stdout.write(tabulate([['NAME', 'ROLE', 'AGENT', 'POD CIDR'], ...rows]));
}

export async function addNode(name: string, nodeName: string | undefined, opts: { controlPlane?: boolean; cpus?: string; memory?: string; wait?: number }): Promise<void> {
  const cfg = requireRunning(name);
  const nodes = cfg.nodes ?? [];
  const index = Math.max(-1, ...nodes.map((n) => n.index)) + 1;
  if (index > 254) throw new CliError('error: a cluster can have at most 255 nodes');
  const nn = nodeName ?? `worker${index}`;
  if (!CLUSTER_NAME_RE.test(nn)) throw new CliError(`error: invalid node name "${nn}": must be a lowercase RFC 1123 label`);
  if (nodes.some((n) => n.name === nn)) throw new CliError(`error: node "${nn}" already exists in cluster "${name}"`);
  const node: NodeConfig = { name: nn, index, controlPlane: !!opts.controlPlane };
  if (opts.cpus) node.cpuMilli = parseCpus(opts.cpus);
  if (opts.memory) node.memoryBytes = parseMemory(opts.memory);
  cfg.nodes = [...nodes, node];
  writeConfig(cfg);
  const since = Date.now();
  const pid = startAgent(cfg, node, cfg.nodes.length);
  await waitNodesReady(cfg, [node], new Map([[nn, pid]]), since, (opts.wait ?? 60) * 1000);
  progress(`Node "${nn}" added to cluster "${name}"`);
}

/**
 * `minik node stop NAME`: the laptop goes dark. Its agent stops (no more heartbeats) and so do
 * its containers; the Node object stays, and the node lifecycle controller takes it from there.
 */
export async function stopNode(name: string, nodeName: string): Promise<void> {
  const cfg = requireRunning(name);
  if (!(cfg.nodes ?? []).some((n) => n.name === nodeName)) throw new CliError(`error: node "${nodeName}" not found in cluster "${name}"`);
  // Service proxies holding ClusterIPs stay up: in Kubernetes every node serves every ClusterIP,
  // so losing one node never takes a Service address down. The node's own NodePort proxy goes.
  const keep = new Set<string>();
  const client = clusterClient(cfg);
  try {
    const list = await client.resource({ group: '', version: 'v1', resource: 'pods' }).list('kube-system', { labelSelector: 'minik.io/service-name', fieldSelector: `spec.nodeName=${nodeName}` });
    for (const p of list.items) keep.add(`kube-system/${p.metadata!.name}`);
  } catch {
    // No API: stop everything.
  } finally {
    await client.close();
  }
  const stopped = await stopDaemon(name, agentDaemon(nodeName));
  await removeClusterContainers(cfg, true, nodeName, keep).catch(() => undefined);
  progress(stopped ? `Node "${nodeName}" stopped` : `Node "${nodeName}" is not running`);
}

/** `minik node start NAME`: the agent again; it reports Ready and cleans up what went stale. */
export async function startNode(name: string, nodeName: string, opts: { wait?: number } = {}): Promise<void> {
  const cfg = requireRunning(name);
  const node = (cfg.nodes ?? []).find((n) => n.name === nodeName);
  if (!node) throw new CliError(`error: node "${nodeName}" not found in cluster "${name}"`);
  if (readPid(name, agentDaemon(nodeName))) {
    progress(`Node "${nodeName}" is already running`);
    return;
  }
  const since = Date.now();
  const pid = startAgent(cfg, node, cfg.nodes!.length);
  await waitNodesReady(cfg, [node], new Map([[nodeName, pid]]), since, (opts.wait ?? 60) * 1000);
  progress(`Node "${nodeName}" started`);
}

export async function removeNode(name: string, nodeName: string): Promise<void> {
  const cfg = requireRunning(name);
  const node = (cfg.nodes ?? []).find((n) => n.name === nodeName);
  if (!node) throw new CliError(`error: node "${nodeName}" not found in cluster "${name}"`);
  await stopDaemon(name, agentDaemon(nodeName));
  await removeClusterContainers(cfg, false, nodeName).catch(() => undefined);
  const client = clusterClient(cfg);
  try {
    await client.resource({ group: '', version: 'v1', resource: 'nodes' }).delete(undefined, nodeName).catch(() => undefined);
  } finally {
    await client.close();
  }
  rmSync(join(clusterDir(name), 'nodes', nodeName), { recursive: true, force: true });
  cfg.nodes = (cfg.nodes ?? []).filter((n) => n.name !== nodeName);
  writeConfig(cfg);
  progress(`Node "${nodeName}" removed from cluster "${name}"`);
}
