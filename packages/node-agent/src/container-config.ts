// Pod and container specs as Docker Engine create bodies: one sandbox per pod holding the
// network namespace (and the pod IP), app and init containers joining it.
import { createHash } from 'node:crypto';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { L, type Role } from './labels.js';
import { expand, quantityNumber } from './env.js';
import type { DockerMount } from './volumes.js';

export interface NodeContext {
  cluster: string;
  node: string;
  network: string;
  pauseImage: string;
  /** The cluster DNS Service's address (kube-dns), for pods with dnsPolicy ClusterFirst. */
  clusterDNS?: string;
  clusterDomain?: string;
}

/** The /etc/resolv.conf kubelet writes for a pod (undefined: Docker's own, for dnsPolicy Default). */
export function resolvConf(ctx: NodeContext, pod: Pod): string | undefined {
  const dns = podDNS(ctx, pod);
  if (!dns) return undefined;
  const lines = dns.nameservers.map((n) => `nameserver ${n}`);
  if (dns.searches.length) lines.push(`search ${dns.searches.join(' ')}`);
  if (dns.options.length) lines.push(`options ${dns.options.join(' ')}`);
  return lines.join('\n') + '\n';
}

/** resolv.conf settings for a pod, as kubelet derives them from dnsPolicy and dnsConfig. */
export function podDNS(ctx: NodeContext, pod: Pod): { nameservers: string[]; searches: string[]; options: string[] } | undefined {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const cfg = pod.spec?.dnsConfig;
  let base: { nameservers: string[]; searches: string[]; options: string[] } | undefined;
  if ((policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') && ctx.clusterDNS) {
    const domain = ctx.clusterDomain ?? 'cluster.local';
    const ns = pod.metadata?.namespace ?? 'default';
    base = { nameservers: [ctx.clusterDNS], searches: [`${ns}.svc.${domain}`, `svc.${domain}`, domain], options: ['ndots:5'] };
  } else if (policy === 'None') {
    base = { nameservers: [], searches: [], options: [] };
  }
  if (!cfg) return base;
  // dnsConfig adds to what the policy gave (replaces for options of the same name).
  const out = base ?? { nameservers: [], searches: [], options: [] };
  out.nameservers = [...out.nameservers, ...(cfg.nameservers ?? [])];
  out.searches = [...out.searches, ...(cfg.searches ?? [])];
  for (const o of cfg.options ?? []) {
    const opt = o.value !== undefined ? `${o.name}:${o.value}` : o.name!;
    out.options = [...out.options.filter((x) => x.split(':')[0] !== o.name), opt];
  }
  return out;
}

export function podLabels(ctx: NodeContext, pod: Pod, role: Role, container: string, attempt: number): Record<string, string> {
  const m = pod.metadata!;
  return {
    [L.cluster]: ctx.cluster,
    [L.node]: ctx.node,
    [L.role]: role,
    [L.namespace]: m.namespace ?? '',
    [L.pod]: m.name ?? '',
    [L.uid]: m.uid ?? '',
    [L.container]: container,
    [L.restartCount]: String(attempt),
  };
}

/** A stable hash of a container's spec: when it changes (a new image), the container is replaced. */
export function specHash(c: Container): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canon(c))).digest('hex').slice(0, 12);
}

function hostname(pod: Pod): string {
  return (pod.spec?.hostname ?? pod.metadata?.name ?? 'pod').slice(0, 63).replace(/-+$/, '');
}

/** Where a container's network comes from: a pod sandbox, or the container itself. */
export type PodNetwork = { sandboxId: string } | { ip: string };

/** The pod's network identity on a container that holds it: IP, hostname, DNS, host ports. */
function networkHolder(ctx: NodeContext, pod: Pod, ip: string): { body: Record<string, unknown>; host: Record<string, unknown> } {
  // hostPort: published on loopback only (nothing listens beyond 127.0.0.1).
  const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  const exposed: Record<string, object> = {};
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      const key = `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`;
      exposed[key] = {};
      portBindings[key] = [{ HostIp: '127.0.0.1', HostPort: String(p.hostPort) }];
    }
  }
  // Pod sysctls are per network namespace (net.*), so they belong to whoever holds it. Unlike
  // kubelet, which allows only "safe" ones unless told otherwise, minik passes all to Docker
  // (its own Service proxies need net.ipv4.ip_forward); Docker refuses non-namespaced ones.
  const sysctls = pod.spec?.securityContext?.sysctls ?? [];
  return {
    body: {
      Hostname: hostname(pod),
      ExposedPorts: exposed,
      NetworkingConfig: { EndpointsConfig: { [ctx.network]: { IPAMConfig: { IPv4Address: ip } } } },
    },
    host: {
      NetworkMode: ctx.network,
      PortBindings: portBindings,
      ExtraHosts: (pod.spec?.hostAliases ?? []).flatMap((a) => (a.hostnames ?? []).map((h) => `${h}:${a.ip}`)),
      ...(sysctls.length ? { Sysctls: Object.fromEntries(sysctls.map((x) => [x.name, x.value])) } : {}),
    },
  };
}

/**
 * Pods with one container and no init containers run without a sandbox: the container holds
 * the pod's network itself. Nothing else would share it, and a pod then costs one container
 * instead of two. Other pods get a pause sandbox whose namespaces their containers join.
 */
export function needsSandbox(pod: Pod): boolean {
  return (pod.spec?.initContainers?.length ?? 0) > 0 || (pod.spec?.containers.length ?? 0) > 1;
}

export function sandboxBody(ctx: NodeContext, pod: Pod, attempt: number, ip: string): Record<string, unknown> {
  const net = networkHolder(ctx, pod, ip);
  return {
    Image: ctx.pauseImage,
    Labels: { ...podLabels(ctx, pod, 'sandbox', '', attempt), [L.podIP]: ip },
    ...net.body,
    HostConfig: {
      ...net.host,
      // Containers of a pod share IPC with the sandbox, as in Kubernetes.
      IpcMode: 'shareable',
      RestartPolicy: { Name: 'no' },
    },
  };
}

export function containerBody(
  ctx: NodeContext,
  pod: Pod,
  c: Container,
  role: Role,
  attempt: number,
  net: PodNetwork,
  env: Record<string, string>,
  mounts: DockerMount[],
): Record<string, unknown> {
  const res = c.resources ?? {};
  const limits = (res.limits ?? {}) as Record<string, string>;
  const requests = (res.requests ?? {}) as Record<string, string>;
  const holder = 'ip' in net ? networkHolder(ctx, pod, net.ip) : undefined;
  const joined = 'sandboxId' in net ? { NetworkMode: `container:${net.sandboxId}`, IpcMode: `container:${net.sandboxId}` } : {};
  const host: Record<string, unknown> = {
    ...(holder ? holder.host : joined),
    Mounts: mounts,
    RestartPolicy: { Name: 'no' },
    LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '2' } },
  };
  if (limits.memory) host.Memory = Math.round(quantityNumber(limits.memory));
  if (limits.cpu) host.NanoCpus = Math.round(quantityNumber(limits.cpu) * 1e9);
  const cpuReq = requests.cpu ?? limits.cpu;
  if (cpuReq) host.CpuShares = Math.max(2, Math.round(quantityNumber(cpuReq) * 1024));
  const sc = c.securityContext ?? {};
  const psc = pod.spec?.securityContext ?? {};
  if (sc.privileged) host.Privileged = true;
  if (sc.readOnlyRootFilesystem) host.ReadonlyRootfs = true;
  if (sc.capabilities?.add?.length) host.CapAdd = sc.capabilities.add;
  if (sc.capabilities?.drop?.length) host.CapDrop = sc.capabilities.drop;
  const uid = sc.runAsUser ?? psc.runAsUser;
  const gid = sc.runAsGroup ?? psc.runAsGroup;
  const body: Record<string, unknown> = {
    ...(holder ? holder.body : {}),
    Image: c.image,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: { ...podLabels(ctx, pod, role, c.name, attempt), [L.specHash]: specHash(c), ...('ip' in net ? { [L.podIP]: net.ip } : {}) },
    Tty: !!c.tty,
    OpenStdin: !!c.stdin,
    StdinOnce: !!c.stdinOnce,
    AttachStdin: false,
    HostConfig: host,
  };
  // command replaces the image's ENTRYPOINT (and drops its CMD); args replace CMD.
  if (c.command?.length) body.Entrypoint = c.command.map((s) => expand(s, env));
  if (c.args?.length) body.Cmd = c.args.map((s) => expand(s, env));
  else if (c.command?.length) body.Cmd = [];
  if (c.workingDir) body.WorkingDir = c.workingDir;
  if (uid !== undefined) body.User = gid !== undefined ? `${uid}:${gid}` : String(uid);
  return body;
}
