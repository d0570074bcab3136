// What cluster DNS knows of the cluster, in memory: Services, Endpoints and Namespaces as the
// answers need them, with reverse indexes from IP addresses (for PTR). Fed by informers
// (`watchCluster`) or, in tests, directly.
import { Informer, type ApiClient, type KubeObject } from '@minik/api';
import { canonicalIP } from './ip.js';

export interface PortInfo {
  name: string;
  port: number;
  protocol: string;
}

export interface ServiceInfo {
  namespace: string;
  name: string;
  type: string;
  /** clusterIP None. */
  headless: boolean;
  clusterIPs: string[];
  /** For type ExternalName: the name, without a trailing dot. */
  externalName?: string;
  ports: PortInfo[];
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
}

export interface EndpointSubset {
  /** Ready addresses only (notReadyAddresses are not published). */
  addresses: EndpointAddress[];
  /** Never empty: an Endpoints object without ports gets one with port -1 (CoreDNS does the same). */
  ports: PortInfo[];
}

interface ServiceObject extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalName?: string;
    ports?: { name?: string; port?: number; protocol?: string }[];
  };
}

interface EndpointsObject extends KubeObject {
  subsets?: {
    addresses?: { ip?: string; hostname?: string }[];
    ports?: { name?: string; port?: number; protocol?: string }[];
  }[];
}

const key = (ns: string, name: string) => `${ns}/${name}`;

export function serviceInfo(o: ServiceObject): ServiceInfo {
  const spec = o.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const headless = spec.clusterIP === 'None';
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  return {
    namespace: o.metadata?.namespace ?? 'default',
    name: o.metadata?.name ?? '',
    type,
    headless,
    clusterIPs: type === 'ExternalName' || headless ? [] : ips.map((ip) => canonicalIP(ip)).filter((ip): ip is string => !!ip),
    externalName: type === 'ExternalName' && spec.externalName ? spec.externalName.replace(/\.$/, '') : undefined,
    ports: (spec.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port ?? 0, protocol: p.protocol ?? 'TCP' })),
  };
}

export function endpointSubsets(o: EndpointsObject): EndpointSubset[] {
  return (o.subsets ?? []).map((s) => {
    const ports = (s.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port ?? 0, protocol: p.protocol ?? 'TCP' }));
    return {
      addresses: (s.addresses ?? [])
        .map((a) => ({ ip: canonicalIP(a.ip ?? '') ?? '', hostname: a.hostname || undefined }))
        .filter((a) => a.ip),
      ports: ports.length ? ports : [{ name: '', port: -1, protocol: '' }],
    };
  });
}

/** The name an endpoint has under its Service: its hostname, else its address with dashes. */
export function endpointHostname(a: EndpointAddress): string {
  if (a.hostname) return a.hostname.toLowerCase();
  return a.ip.includes('.') ? a.ip.replaceAll('.', '-') : a.ip.replaceAll(':', '-');
}

export class ClusterIndex {
  private readonly services = new Map<string, ServiceInfo>();
  private readonly endpoints = new Map<string, EndpointSubset[]>();
  private readonly namespaces = new Set<string>();
  private readonly svcByIP = new Map<string, Set<string>>();
  private readonly epByIP = new Map<string, Set<string>>();
  /** When anything last changed, in Unix seconds (the SOA serial). */
  modified = Math.floor(Date.now() / 1000);
  synced = false;

  private touch(): void {
    this.modified = Math.floor(Date.now() / 1000);
  }

  private static index(idx: Map<string, Set<string>>, ips: string[], k: string, add: boolean): void {
    for (const ip of ips) {
      let s = idx.get(ip);
      if (add) {
        if (!s) idx.set(ip, (s = new Set()));
        s.add(k);
      } else if (s) {
        s.delete(k);
        if (!s.size) idx.delete(ip);
      }
    }
  }

  setService(o: KubeObject): void {
    const info = serviceInfo(o as ServiceObject);
    const k = key(info.namespace, info.name);
    this.deleteServiceKey(k);
    this.services.set(k, info);
    ClusterIndex.index(this.svcByIP, info.clusterIPs, k, true);
    this.touch();
  }

  deleteService(o: KubeObject): void {
    this.deleteServiceKey(key(o.metadata?.namespace ?? 'default', o.metadata?.name ?? ''));
    this.touch();
  }

  private deleteServiceKey(k: string): void {
    const old = this.services.get(k);
    if (!old) return;
    this.services.delete(k);
    ClusterIndex.index(this.svcByIP, old.clusterIPs, k, false);
  }

  setEndpoints(o: KubeObject): void {
    const k = key(o.metadata?.namespace ?? 'default', o.metadata?.name ?? '');
    this.deleteEndpointsKey(k);
    const subsets = endpointSubsets(o as EndpointsObject);
    this.endpoints.set(k, subsets);
    ClusterIndex.index(this.epByIP, subsets.flatMap((s) => s.addresses.map((a) => a.ip)), k, true);
    this.touch();
  }

  deleteEndpoints(o: KubeObject): void {
    this.deleteEndpointsKey(key(o.metadata?.namespace ?? 'default', o.metadata?.name ?? ''));
    this.touch();
  }

  private deleteEndpointsKey(k: string): void {
    const old = this.endpoints.get(k);
    if (!old) return;
    this.endpoints.delete(k);
    ClusterIndex.index(this.epByIP, old.flatMap((s) => s.addresses.map((a) => a.ip)), k, false);
  }

  setNamespace(o: KubeObject): void {
    if (o.metadata?.name) this.namespaces.add(o.metadata.name);
    this.touch();
  }

  deleteNamespace(o: KubeObject): void {
    if (o.metadata?.name) this.namespaces.delete(o.metadata.name);
    this.touch();
  }

  namespaceExists(ns: string): boolean {
    return this.namespaces.has(ns);
  }

  service(ns: string, name: string): ServiceInfo | undefined {
    return this.services.get(key(ns, name));
  }

  subsets(ns: string, name: string): EndpointSubset[] {
    return this.endpoints.get(key(ns, name)) ?? [];
  }

  /** A Service with this ClusterIP. */
  serviceForIP(ip: string): ServiceInfo | undefined {
    for (const k of this.svcByIP.get(ip) ?? []) {
      const s = this.services.get(k);
      if (s) return s;
    }
    return undefined;
  }

  /** Every ready endpoint with this address: its name and its Service's. */
  endpointsForIP(ip: string): { namespace: string; service: string; hostname: string }[] {
    const out: { namespace: string; service: string; hostname: string }[] = [];
    for (const k of this.epByIP.get(ip) ?? []) {
      const [namespace, service] = k.split('/');
      for (const s of this.endpoints.get(k) ?? []) {
        for (const a of s.addresses) if (a.ip === ip) out.push({ namespace, service, hostname: endpointHostname(a) });
      }
    }
    return out;
  }
}

export interface ClusterWatch {
  index: ClusterIndex;
  /** Resolves once Services, Endpoints and Namespaces are all listed. */
  synced: Promise<void>;
  stop(): void;
}

/** Keeps `index` up to date from the API: Services, Endpoints and Namespaces of all namespaces. */
export function watchCluster(client: ApiClient, log: (m: string) => void): ClusterWatch {
  const index = new ClusterIndex();
  const informers: Informer[] = [];
  const seen = new Map<string, string>();
  const watch = (resource: string, set: (o: KubeObject) => void, del: (o: KubeObject) => void) => {
    const inf = new Informer(client.resource({ group: '', version: 'v1', resource }));
    inf.onError = (e) => {
      const m = `watch ${resource}: ${(e as Error)?.message ?? String(e)}`;
      if (seen.get(resource) !== m) log(m);
      seen.set(resource, m);
    };
    inf.on({ add: set, update: (_old, o) => set(o), delete: del });
    informers.push(inf.start());
    return inf.synced.then(() => {
      if (seen.has(resource)) log(`watch ${resource}: recovered`);
      seen.delete(resource);
    });
  };
  const synced = Promise.all([
    watch('namespaces', (o) => index.setNamespace(o), (o) => index.deleteNamespace(o)),
    watch('services', (o) => index.setService(o), (o) => index.deleteService(o)),
    watch('endpoints', (o) => index.setEndpoints(o), (o) => index.deleteEndpoints(o)),
  ]).then(() => {
    index.synced = true;
  });
  return {
    index,
    synced,
    stop() {
      for (const i of informers) i.stop();
    },
  };
}
