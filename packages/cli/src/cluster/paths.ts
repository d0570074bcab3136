// Where a cluster keeps its state: $MINIK_HOME/<name> (MINIK_HOME defaults to ~/.minik).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DEFAULT_CLUSTER = 'minik';

export function minikHome(): string {
  return resolve(process.env.MINIK_HOME || join(homedir(), '.minik'));
}

export function clusterDir(name: string): string {
  return join(minikHome(), name);
}

/** kubeconfig context (and cluster/user) name: `minik`, or `minik-<name>` like kind's `kind-<name>`. */
export function contextName(name: string): string {
  return name === DEFAULT_CLUSTER ? DEFAULT_CLUSTER : `minik-${name}`;
}

export const CLUSTER_NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
