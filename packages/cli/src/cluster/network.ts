// The cluster's Docker network: one bridge for every node's pods, with a /16 the nodes split
// into /24 podCIDRs. Its gateway (the host side) sits at the top of the range, away from pods.
import type { Docker } from '@minik/node-agent';
import { CliError } from '../errors.js';

export const NETWORK_LABEL = 'io.minik.cluster';

export function gatewayOf(subnet: string): string {
  const [a, b] = subnet.split('.');
  return `${a}.${b}.255.254`;
}

/** The first 10.x.0.0/16 (x from 244) that no Docker network uses yet. */
export async function chooseSubnet(docker: Docker): Promise<string> {
  const taken = new Set<string>();
  for (const n of (await docker.networkList()) as { IPAM?: { Config?: { Subnet?: string }[] } }[]) {
    for (const c of n.IPAM?.Config ?? []) if (c.Subnet) taken.add(c.Subnet.split('.').slice(0, 2).join('.'));
  }
  for (let x = 244; x < 255; x++) if (!taken.has(`10.${x}`)) return `10.${x}.0.0/16`;
  throw new CliError('error: no free 10.x.0.0/16 subnet for the cluster network (10.244 to 10.254 are all used by Docker networks)');
}

export async function ensureNetwork(docker: Docker, cluster: string, name: string, subnet: string): Promise<void> {
  if (await docker.networkInspect(name)) return;
  await docker.networkCreate(name, { subnets: [{ subnet, gateway: gatewayOf(subnet) }], labels: { [NETWORK_LABEL]: cluster } });
}
