// A cluster's persistent settings (cluster.json) and its token file.
import { readFileSync, writeFileSync, existsSync, mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { clusterDir } from './paths.js';

export interface ClusterConfig {
  name: string;
  host: string;
  port: number;
  createdAt: string;
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
