// In-cluster API access for an add-on: minik's variables first (MINIK_APISERVER, MINIK_TOKEN_FILE,
// MINIK_CA_FILE), then Kubernetes' (KUBERNETES_SERVICE_HOST/PORT and the service account files),
// as client-go's rest.InClusterConfig.
import { readFileSync } from 'node:fs';
import type { ClientOptions } from '@minik/api';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

type Env = Record<string, string | undefined>;

function readOptional(path: string, read: (p: string) => string): string | undefined {
  try {
    return read(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export function inClusterConfig(env: Env = process.env, read: (p: string) => string = (p) => readFileSync(p, 'utf8')): ClientOptions {
  let server = env.MINIK_APISERVER;
  if (!server) {
    const host = env.KUBERNETES_SERVICE_HOST;
    const port = env.KUBERNETES_SERVICE_PORT;
    if (!host || !port) throw new Error('unable to load in-cluster configuration: MINIK_APISERVER, or KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT, must be set');
    server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }
  const tokenFile = env.MINIK_TOKEN_FILE || `${SERVICE_ACCOUNT_DIR}/token`;
  const caFile = env.MINIK_CA_FILE || `${SERVICE_ACCOUNT_DIR}/ca.crt`;
  // A file named explicitly must exist; the service account defaults may be absent.
  const token = env.MINIK_TOKEN_FILE ? read(tokenFile) : readOptional(tokenFile, read);
  const ca = env.MINIK_CA_FILE ? read(caFile) : readOptional(caFile, read);
  return { server, token: token?.trim() || undefined, ca: ca || undefined };
}
