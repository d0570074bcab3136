// The Kubernetes version minik's API behaves as (kubectl warns beyond ±1 minor of skew,
// so this sits in the middle of the kubectl versions people use).
import type { VersionInfo } from './http/discovery.js';

export const KUBE_MINOR = '32';
export const MINIK_VERSION = '0.1.0';
export const KUBE_GIT_VERSION = `v1.${KUBE_MINOR}.0+minik`;

export function versionInfo(): VersionInfo {
  return {
    major: '1',
    minor: KUBE_MINOR,
    gitVersion: KUBE_GIT_VERSION,
    gitCommit: `minik-${MINIK_VERSION}`,
    gitTreeState: 'clean',
    buildDate: '2026-11-23T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'node',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
