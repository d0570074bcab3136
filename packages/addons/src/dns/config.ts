// The DNS pod's settings from its environment. API access: minik's variables first
// (MINIK_APISERVER, MINIK_TOKEN_FILE, MINIK_CA_FILE, which the coredns pod spec sets), then
// Kubernetes' in-cluster ones (KUBERNETES_SERVICE_HOST/PORT and the service account files).
// Optional: MINIK_DNS_PORT (53), MINIK_CLUSTER_DOMAIN (cluster.local), MINIK_DNS_UPSTREAM
// (nameservers, space or comma separated; default those of /etc/resolv.conf), MINIK_DNS_TTL (5),
// MINIK_DNS_HEALTH_PORT (8080), MINIK_DNS_READY_PORT (8181), MINIK_DNS_METRICS_PORT (9153).
import { readFileSync } from 'node:fs';
import type { ClientOptions } from '@minik/api';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

type Env = Record<string, string | undefined>;

export interface DnsSettings {
  api: ClientOptions;
  port: number;
  clusterDomain: string;
  upstream?: string[];
  ttl: number;
  healthPort: number;
  readyPort: number;
  metricsPort: number;
}

function readFile(path: string, required: boolean, read: (p: string) => string): string | undefined {
  try {
    return read(path);
  } catch (e) {
    if (!required && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function number(env: Env, name: string, dflt: number): number {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}: not a number: ${v}`);
  return n;
}

export function dnsSettings(env: Env = process.env, read: (p: string) => string = (p) => readFileSync(p, 'utf8')): DnsSettings {
  let server = env.MINIK_APISERVER;
  if (!server) {
    const host = env.KUBERNETES_SERVICE_HOST;
    const port = env.KUBERNETES_SERVICE_PORT;
    if (!host || !port) throw new Error('unable to load in-cluster configuration: MINIK_APISERVER, or KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT, must be set');
    server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }
  // A file named explicitly must exist; the service account's may be absent.
  const token = readFile(env.MINIK_TOKEN_FILE || `${SERVICE_ACCOUNT_DIR}/token`, !!env.MINIK_TOKEN_FILE, read);
  const ca = readFile(env.MINIK_CA_FILE || `${SERVICE_ACCOUNT_DIR}/ca.crt`, !!env.MINIK_CA_FILE, read);
  const upstream = env.MINIK_DNS_UPSTREAM?.split(/[\s,]+/).filter(Boolean);
  return {
    api: { server, token: token?.trim() || undefined, ca: ca || undefined },
    port: number(env, 'MINIK_DNS_PORT', 53),
    clusterDomain: env.MINIK_CLUSTER_DOMAIN || 'cluster.local',
    upstream: upstream?.length ? upstream : undefined,
    ttl: number(env, 'MINIK_DNS_TTL', 5),
    healthPort: number(env, 'MINIK_DNS_HEALTH_PORT', 8080),
    readyPort: number(env, 'MINIK_DNS_READY_PORT', 8181),
    metricsPort: number(env, 'MINIK_DNS_METRICS_PORT', 9153),
  };
}
