// The cluster's Docker network: one bridge, one /11 subnet, split into the Service range (whose
// addresses the Service proxies hold) and the pod range (a /24 per node). The gateway (the host
// side, where the apiserver also listens for pods) sits at the top, away from both.
import { existsSync, readFileSync } from 'node:fs';
import { intToIPv4, parseCIDR } from '@minik/api';
import type { Docker } from '@minik/node-agent';
import { CliError } from '../errors.js';

export const NETWORK_LABEL = 'io.minik.cluster';

function range(cidr: string): [number, number] {
  const { base, size } = parseCIDR(cidr);
  return [base, base + size - 1];
}

function overlaps(a: string, b: string): boolean {
  const [a0, a1] = range(a);
  const [b0, b1] = range(b);
  return a0 <= b1 && b0 <= a1;
}

/** The highest usable address of a subnet: the bridge's (host's) address on it. */
export function gatewayOf(subnet: string): string {
  return intToIPv4(range(subnet)[1] - 1);
}

async function takenSubnets(docker: Docker): Promise<string[]> {
  const out: string[] = [];
  for (const n of (await docker.networkList()) as { IPAM?: { Config?: { Subnet?: string }[] } }[]) {
    for (const c of n.IPAM?.Config ?? []) if (c.Subnet && !c.Subnet.includes(':')) out.push(c.Subnet);
  }
  return out;
}

export interface ClusterSubnets {
  /** The Docker network's one subnet (a /11): bridge networks carry a single IPv4 subnet. */
  networkSubnet: string;
  /** Its lower half: Service ClusterIPs (kubeadm's 10.96.0.0/12 when free). */
  serviceSubnet: string;
  /** The first /16 of its upper half: pod IPs, one /24 per node. */
  podSubnet: string;
}

/** Routes the host already has (Linux), so the cluster network never shadows a VPN or LAN. */
function hostRoutes(): string[] {
  if (!existsSync('/proc/net/route')) return [];
  const out: string[] = [];
  for (const line of readFileSync('/proc/net/route', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || f[1] === '00000000') continue;
    const le = (h: string) => intToIPv4(Number.parseInt(h.match(/../g)!.reverse().join(''), 16));
    const mask = Number.parseInt(f[7].match(/../g)!.reverse().join(''), 16) >>> 0;
    const bits = mask.toString(2).replace(/0/g, '').length;
    out.push(`${le(f[1])}/${bits}`);
  }
  return out;
}

/**
 * Pods and Services share one Docker network, so that every pod reaches a Service's address
 * on the link, where its proxy answers. The first free 10.x.0.0/11 from 10.96 gives Services
 * kubeadm's 10.96.0.0/12 (kube-dns at 10.96.0.10, as the book shows) and pods 10.112.0.0/16.
 */
export async function chooseSubnets(docker: Docker): Promise<ClusterSubnets> {
  const taken = [...(await takenSubnets(docker)), ...hostRoutes()];
  for (let x = 96; x <= 224; x += 32) {
    const networkSubnet = `10.${x}.0.0/11`;
    if (taken.some((t) => overlaps(t, networkSubnet))) continue;
    return { networkSubnet, serviceSubnet: `10.${x}.0.0/12`, podSubnet: `10.${x + 16}.0.0/16` };
  }
  throw new CliError('error: no free 10.x.0.0/11 range for the cluster network (10.96 to 10.255 are used by Docker networks or routes)');
}

/**
 * Creates the network (or checks the existing one). A network from an older minik without the
 * Service range cannot be changed in place: Docker networks are immutable.
 */
export async function ensureNetwork(docker: Docker, cluster: string, name: string, networkSubnet: string): Promise<void> {
  const existing = (await docker.networkInspect(name)) as { IPAM?: { Config?: { Subnet?: string }[] } } | undefined;
  if (existing) {
    const subnets = (existing.IPAM?.Config ?? []).map((c) => c.Subnet);
    if (!subnets.includes(networkSubnet)) {
      throw new CliError(`error: the Docker network "${name}" (${subnets.join(', ')}) was made by an older minik without room for Services; run \`minik delete\` and \`minik start\` to recreate the cluster`);
    }
    return;
  }
  await docker.networkCreate(name, { subnets: [{ subnet: networkSubnet, gateway: gatewayOf(networkSubnet) }], labels: { [NETWORK_LABEL]: cluster } });
}
