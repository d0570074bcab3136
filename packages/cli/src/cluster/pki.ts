// The cluster's certificates: a CA created with the cluster and the apiserver's serving
// certificate, kept under <cluster>/pki like kubeadm's /etc/kubernetes/pki.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate } from '@minik/api';
import { clusterDir } from './paths.js';

export interface ClusterPki {
  caFile: string;
  certFile: string;
  keyFile: string;
  caPem: string;
}

export function pkiDir(name: string): string {
  return join(clusterDir(name), 'pki');
}

/** Creates the CA and serving certificate once; reuses them on later starts. */
export function ensurePki(name: string, hosts: string[]): ClusterPki {
  const dir = pkiDir(name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caFile = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  const certFile = join(dir, 'apiserver.crt');
  const keyFile = join(dir, 'apiserver.key');
  if (!existsSync(caFile) || !existsSync(caKey)) {
    const ca = issueCertificate({ commonName: `minik-ca-${name}`, usage: 'ca', days: 3650 });
    writeFileSync(caKey, ca.keyPem, { mode: 0o600 });
    writeFileSync(caFile, ca.certPem);
  }
  const caPem = readFileSync(caFile, 'utf8');
  const wanted = [...new Set(['127.0.0.1', 'localhost', ...hosts])];
  const sansFile = join(dir, 'apiserver.sans');
  // A certificate made for other names (an older minik, a new network) is issued again.
  const have = existsSync(sansFile) ? readFileSync(sansFile, 'utf8').trim().split('\n') : [];
  if (!existsSync(certFile) || !existsSync(keyFile) || wanted.some((h) => !have.includes(h))) {
    const cert = issueCertificate(
      { commonName: 'kube-apiserver', usage: 'server', hosts: wanted, days: 3650 },
      { certPem: caPem, keyPem: readFileSync(caKey, 'utf8'), commonName: `minik-ca-${name}` },
    );
    writeFileSync(keyFile, cert.keyPem, { mode: 0o600 });
    writeFileSync(certFile, cert.certPem);
    writeFileSync(sansFile, wanted.join('\n') + '\n');
  }
  return { caFile, certFile, keyFile, caPem };
}
