// A cluster's persistent settings (cluster.json) and its token file.
import { readFileSync, writeFileSync, existsSync, mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { clusterDir } from './paths.js';

export interface NodeConfig {
  name: string;
  /** N in the node's podCIDR 10.x.N.0/24. */
  index: number;
  controlPlane: boolean;
  /** Fixed resources for this node; otherwise the machine's are divided among nodes. */
  cpuMilli?: number;
  memoryBytes?: number;
}

export interface ClusterConfig {
  name: string;
  /**
   * Unique per cluster (name plus a random suffix): Docker labels and the network carry it,
   * so two clusters with the same name in different MINIK_HOMEs never touch each other.
   */
  id?: string;
  host: string;
  port: number;
  createdAt: string;
  /** The cluster's Docker network and its subnet (every node's podCIDR is a /24 of it). */
  network?: string;
  networkSubnet?: string;
  serviceSubnet?: string;
  podSubnet?: string;
  nodes?: NodeConfig[];
  /**
   * `minik start --fast-failover`: node Leases renewed every second, NotReady after 4 s of
   * silence, pods evicted 1 s later (Kubernetes: 10 s, 40 s, 300 s).
   */
  fastFailover?: boolean;
}

export function configPath(name: string): string {
  return join(clusterDir(name), 'cluster.json');
}

export function tokenPath(name: string): string {
  return join(clusterDir(name), 'token');
}

export function readConfig(name: string): ClusterConfig | undefined {
  const p = configPath(name);
  if (!existsSync(p)) return undefined;
  return JSON.parse(readFileSync(p, 'utf8')) as ClusterConfig;
}

export function writeConfig(cfg: ClusterConfig): void {
  mkdirSync(clusterDir(cfg.name), { recursive: true, mode: 0o700 });
  writeFileSync(configPath(cfg.name), JSON.stringify(cfg, null, 2) + '\n');
}

/** The cluster's bearer token, created once (mode 0600). */
export function ensureToken(name: string): string {
  const p = tokenPath(name);
  if (existsSync(p)) return readFileSync(p, 'utf8').trim();
  mkdirSync(clusterDir(name), { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(p, token + '\n', { mode: 0o600 });
  chmodSync(p, 0o600);
  return token;
}

export function newClusterId(name: string): string {
  return `${name}-${randomBytes(3).toString('hex')}`;
}

/** kubeadm-style names: `master`, then `worker1`, `worker2`, … */
export function defaultNodes(count: number): NodeConfig[] {
  return Array.from({ length: count }, (_, i) => ({ name: i === 0 ? 'master' : `worker${i}`, index: i, controlPlane: i === 0 }));
}

/** `10.244.0.0/16` + 2 → `10.244.2.0/24` */
export function nodePodCIDR(podSubnet: string, index: number): string {
  const [a, b] = podSubnet.split('.');
  return `${a}.${b}.${index}.0/24`;
}
