// The daemons' own entry points (`minik apiserver`), run by `minik start` as detached processes.
import { readFileSync } from 'node:fs';

export async function runApiserver(opts: {
  dataDir: string;
  host: string;
  port: string;
  tokenFile?: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCaFile?: string;
  advertiseAddress?: string;
  serviceClusterIpRange?: string;
  addonImage?: string;
  nodeMonitorGracePeriod?: string;
  defaultTolerationSeconds?: string;
}): Promise<void> {
  const { startApiserver } = await import('@minik/apiserver');
  const token = opts.tokenFile ? readFileSync(opts.tokenFile, 'utf8').trim() : undefined;
  const log = (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`);
  const tls =
    opts.tlsCertFile && opts.tlsPrivateKeyFile
      ? { cert: readFileSync(opts.tlsCertFile, 'utf8'), key: readFileSync(opts.tlsPrivateKeyFile, 'utf8'), ca: opts.clientCaFile ? readFileSync(opts.clientCaFile, 'utf8') : readFileSync(opts.tlsCertFile, 'utf8') }
      : undefined;
  let server: Awaited<ReturnType<typeof startApiserver>>;
  try {
    server = await startApiserver({
      dataDir: opts.dataDir,
      host: opts.host,
      port: Number(opts.port),
      token,
      log,
      tls,
      advertiseAddress: opts.advertiseAddress,
      serviceCIDR: opts.serviceClusterIpRange,
      addonImage: opts.addonImage,
      ...(opts.nodeMonitorGracePeriod ? { nodeMonitorGracePeriodSeconds: Number(opts.nodeMonitorGracePeriod) } : {}),
      ...(opts.defaultTolerationSeconds ? { defaultTolerationSeconds: Number(opts.defaultTolerationSeconds) } : {}),
    });
  } catch (e) {
    // Exit, so that `minik start` sees the failure instead of waiting for a server that never listens.
    log(`apiserver failed to start: ${(e as Error).stack ?? e}`);
    process.exit(1);
  }
  log(`apiserver listening on ${server.url}`);
  let closing = false;
  const shutdown = async (sig: string) => {
    if (closing) return;
    closing = true;
    log(`${sig}: shutting down`);
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

export async function runNodeAgent(opts: {
  cluster: string;
  name: string;
  apiserver: string;
  tokenFile: string;
  caFile?: string;
  network: string;
  podCidr: string;
  stateDir: string;
  cpuMilli: string;
  memoryBytes: string;
  controlPlane?: boolean;
  untainted?: boolean;
  clusterDns?: string;
  leaseRenewMs?: string;
}): Promise<void> {
  const { NodeAgent } = await import('@minik/node-agent');
  const { KUBE_GIT_VERSION } = await import('@minik/api');
  const log = (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`);
  const agent = new NodeAgent({
    cluster: opts.cluster,
    name: opts.name,
    client: { server: opts.apiserver, token: readFileSync(opts.tokenFile, 'utf8').trim(), ca: opts.caFile ? readFileSync(opts.caFile, 'utf8') : undefined },
    stateDir: opts.stateDir,
    network: opts.network,
    podCIDR: opts.podCidr,
    controlPlane: !!opts.controlPlane,
    taintControlPlane: !opts.untainted,
    cpuMilli: Number(opts.cpuMilli),
    memoryBytes: Number(opts.memoryBytes),
    kubeletVersion: KUBE_GIT_VERSION,
    kubeletPort: 0,
    clusterDNS: opts.clusterDns,
    clusterDomain: 'cluster.local',
    ...(opts.leaseRenewMs ? { leaseRenewMs: Number(opts.leaseRenewMs) } : {}),
    log,
  });
  let closing = false;
  const shutdown = async (sig: string) => {
    if (closing) return;
    closing = true;
    log(`${sig}: shutting down`);
    await agent.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  try {
    await agent.start();
  } catch (e) {
    log(`node agent failed to start: ${(e as Error).stack ?? e}`);
    process.exit(1);
  }
}
