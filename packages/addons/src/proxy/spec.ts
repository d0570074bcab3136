// What the proxy reads from a Service and its Endpoints: the ports to listen on and, per Service
// port, the ready backends (as kube-proxy's ServicePortName → endpoints map).
import type { KubeObject } from '@minik/api';

export type Protocol = 'TCP' | 'UDP';

export interface ServicePortSpec {
  /** `${protocol}/${name}`: what ties a listener to its Endpoints port. */
  key: string;
  name: string;
  protocol: Protocol;
  port: number;
  nodePort?: number;
}

export interface Backend {
  ip: string;
  port: number;
  /** `ip:port` (IPv6 in brackets). */
  key: string;
}

export interface ServiceView {
  ports: ServicePortSpec[];
  /** Ports the proxy cannot serve (SCTP), for a log line. */
  unsupported: string[];
  /** ClientIP session affinity timeout, ms; undefined without affinity. */
  affinityMs?: number;
}

interface ServicePortJson {
  name?: string;
  protocol?: string;
  port?: number;
  nodePort?: number;
}

interface ServiceSpecJson {
  type?: string;
  clusterIP?: string;
  ports?: ServicePortJson[];
  sessionAffinity?: string;
  sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
}

interface EndpointsJson {
  subsets?: { addresses?: { ip?: string }[]; ports?: { name?: string; port?: number; protocol?: string }[] }[];
}

export const DEFAULT_AFFINITY_SECONDS = 10800;

export function portKey(protocol: string, name: string | undefined): string {
  return `${protocol}/${name ?? ''}`;
}

export function backendKey(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The ports a Service asks to be proxied: none for headless and ExternalName Services. */
export function serviceView(svc: KubeObject | undefined): ServiceView {
  const spec = (svc?.spec ?? {}) as ServiceSpecJson;
  const view: ServiceView = { ports: [], unsupported: [] };
  if (!svc || spec.type === 'ExternalName' || spec.clusterIP === 'None') return view;
  for (const p of spec.ports ?? []) {
    const protocol = p.protocol ?? 'TCP';
    if (!p.port) continue;
    if (protocol !== 'TCP' && protocol !== 'UDP') {
      view.unsupported.push(`${protocol}/${p.port}`);
      continue;
    }
    view.ports.push({ key: portKey(protocol, p.name), name: p.name ?? '', protocol, port: p.port, ...(p.nodePort ? { nodePort: p.nodePort } : {}) });
  }
  if (spec.sessionAffinity === 'ClientIP') {
    const s = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    view.affinityMs = (s && s > 0 ? s : DEFAULT_AFFINITY_SECONDS) * 1000;
  }
  return view;
}

/** Ready backends per port key (`TCP/http` → [10.244.0.3:8080, ...]), sorted, deduplicated. */
export function endpointBackends(ep: KubeObject | undefined): Map<string, Backend[]> {
  const out = new Map<string, Map<string, Backend>>();
  for (const ss of (ep as EndpointsJson | undefined)?.subsets ?? []) {
    for (const port of ss.ports ?? []) {
      if (!port.port) continue;
      const key = portKey(port.protocol ?? 'TCP', port.name);
      let m = out.get(key);
      if (!m) out.set(key, (m = new Map()));
      for (const a of ss.addresses ?? []) {
        if (!a.ip) continue;
        const b: Backend = { ip: a.ip, port: port.port, key: backendKey(a.ip, port.port) };
        m.set(b.key, b);
      }
    }
  }
  const sorted = new Map<string, Backend[]>();
  for (const [k, m] of out) sorted.set(k, [...m.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
  return sorted;
}
