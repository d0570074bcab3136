// What GET /version answers.
import { KUBE_GIT_VERSION, KUBE_MINOR, MINIK_VERSION } from '@minik/api';
import type { VersionInfo } from './http/discovery.js';

export { KUBE_GIT_VERSION, KUBE_MINOR, MINIK_VERSION };

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
