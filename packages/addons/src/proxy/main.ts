// The Service proxy's container entry point: proxies SERVICE_NAMESPACE/SERVICE_NAME, or with
// NODE_NAME instead every Service's nodePorts on that node, with the in-cluster API settings from
// the environment (see config.ts); SIGTERM (and SIGINT) stop it cleanly. PROXY_BIND_ADDRESS overrides the listen address (default 0.0.0.0: the ClusterIP the
// container holds and the ports the host publishes to it).
import { ApiClient } from '@minik/api';
import { inClusterConfig } from './config.js';
import { KernelNat } from './nat.js';
import { startServiceProxy, type ServiceProxy } from './proxy.js';

const log = (m: string) => process.stdout.write(`${new Date().toISOString()} ${m}\n`);

async function main(): Promise<void> {
  const namespace = process.env.SERVICE_NAMESPACE;
  const name = process.env.SERVICE_NAME;
  const node = process.env.NODE_NAME;
  if (!node && (!namespace || !name)) throw new Error('SERVICE_NAMESPACE and SERVICE_NAME, or NODE_NAME, must be set');
  const client = new ApiClient({ ...inClusterConfig(), userAgent: 'minik-service-proxy' });
  let proxy: ServiceProxy | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    void (async () => {
      await proxy?.close();
      await client.close();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  log(node ? `proxying every Service's nodePorts on node ${node} (API ${client.server})` : `proxying service ${namespace}/${name} (API ${client.server})`);
  const host = process.env.PROXY_BIND_ADDRESS || undefined;
  const detected = process.env.PROXY_USERSPACE_ONLY ? 'PROXY_USERSPACE_ONLY is set' : await KernelNat.detect();
  const nat = typeof detected === 'string' ? undefined : detected;
  log(nat ? `forwarding TCP in the kernel (iptables, ${nat.flavour}); UDP in userspace` : `relaying in userspace: ${detected}`);
  const p = await startServiceProxy(node ? { client, nodePortsOnly: true, host, log, nat } : { client, namespace, name, host, log, nat });
  if (stopping) await p.close();
  else proxy = p;
}

main().catch((e: Error) => {
  log(`error: ${e.message}`);
  process.exit(1);
});
