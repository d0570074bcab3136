// A userspace kube-proxy. For one Service: the container it runs in holds the Service's ClusterIP
// on the cluster network, and the host publishes its NodePort (and LoadBalancer) ports to it, so
// this process listens on each Service port (and nodePort) and forwards to the ready endpoints.
// For a node (nodePortsOnly): the container holds the node's InternalIP, and the process listens
// on every Service's nodePorts there, as kube-proxy does on each node.
//
// A port without ready endpoints is not listened on at all: clients get "connection refused" at
// once, as Kubernetes rejects them, rather than a connection that is accepted and then dropped.
import type net from 'node:net';
import { Informer, type ApiClient, type KubeObject } from '@minik/api';
import { Balancer } from './balancer.js';
import { endpointBackends, serviceView, type Protocol, type ServicePortSpec } from './spec.js';
import type { KernelNat, NatPort } from './nat.js';
import { TcpListener } from './tcp.js';
import { UdpListener } from './udp.js';

export interface ServiceProxyOptions {
  client: ApiClient;
  /** The one Service proxied (its ports and nodePorts); omitted with nodePortsOnly. */
  namespace?: string;
  name?: string;
  /** Every Service's nodePorts, and nothing else. */
  nodePortsOnly?: boolean;
  /** Address to listen on (default 0.0.0.0: the ClusterIP and the published ports alike). */
  host?: string;
  log?: (m: string) => void;
  /** Listen on port + portOffset and nodePort + portOffset (tests, without privileged ports). */
  portOffset?: number;
  /** UDP session idle timeout, ms (default 30 s). */
  udpIdleTimeoutMs?: number;
  /**
   * Forward TCP in the kernel (nat.ts) where it can: ports without ClientIP affinity. The
   * listeners stay open underneath, and take over if a rule update fails.
   */
  nat?: KernelNat;
}

export interface ServiceProxy {
  close(): Promise<void>;
}

/** Retry delay for a port that could not be bound (in use, for instance). */
const LISTEN_RETRY_MS = 1000;

interface Wanted {
  protocol: Protocol;
  port: number;
  /** The Service port served (`ns/name#TCP/portname`: its balancer's key). */
  portKey: string;
  what: string;
}

/** One Service port (of possibly several Services) with its balancer's key. */
interface ServedPort {
  svcKey: string;
  key: string;
  spec: ServicePortSpec;
}

interface Listener {
  protocol: Protocol;
  port: number;
  portKey: string;
  tcp?: TcpListener;
  udp?: UdpListener;
}

export async function startServiceProxy(opts: ServiceProxyOptions): Promise<ServiceProxy> {
  const { client } = opts;
  const host = opts.host ?? '0.0.0.0';
  const offset = opts.portOffset ?? 0;
  const log = opts.log ?? ((m: string) => console.log(m));
  const nodeMode = !!opts.nodePortsOnly;
  if (!nodeMode && (!opts.namespace || !opts.name)) throw new Error('a Service (namespace and name) or nodePortsOnly is required');
  const objKey = nodeMode ? '' : `${opts.namespace}/${opts.name}`;
  // One Service: watch just it. A node: watch all of them (in every namespace).
  const scope: [string, { fieldSelector?: string }] = nodeMode ? ['', {}] : [opts.namespace!, { fieldSelector: `metadata.name=${opts.name}` }];

  const services = new Informer(client.resource({ group: '', version: 'v1', resource: 'services' }), ...scope);
  const endpoints = new Informer(client.resource({ group: '', version: 'v1', resource: 'endpoints' }), ...scope);
  let lastError = '';
  const onError = (what: string) => (e: unknown) => {
    const m = `${what}: ${(e as Error)?.message ?? String(e)}`;
    if (m !== lastError) log(`watch ${m}`);
    lastError = m;
  };
  services.onError = onError('services');
  endpoints.onError = onError('endpoints');

  const balancers = new Map<string, Balancer>();
  const listeners = new Map<string, Listener>();
  const connections = new Set<net.Socket>();
  const shown = new Map<string, string>();
  let ports: ServedPort[] = [];
  const unsupportedShown = new Map<string, string>();
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let nat = opts.nat;

  // Service and Endpoints → balancers (synchronously, so new connections see changes at once).
  const refresh = () => {
    const next: ServedPort[] = [];
    const svcKeys = nodeMode ? services.list().map((s) => `${s.metadata!.namespace}/${s.metadata!.name}`) : [objKey];
    for (const svcKey of svcKeys) {
      const view = serviceView(services.get(svcKey));
      // A node serves only nodePorts: Services without one need no balancer there.
      const served = nodeMode ? view.ports.filter((p) => p.nodePort) : view.ports;
      if (!served.length) {
        unsupportedShown.delete(svcKey);
        continue;
      }
      const unsupported = view.unsupported.join(', ');
      if (unsupported && unsupported !== unsupportedShown.get(svcKey)) log(`${nodeMode ? `service ${svcKey}: ` : ''}not proxied (protocol not supported): ${unsupported}`);
      unsupportedShown.set(svcKey, unsupported);
      const backends = endpointBackends(endpoints.get(svcKey));
      for (const spec of served) {
        const key = `${svcKey}#${spec.key}`;
        next.push({ svcKey, key, spec });
        let b = balancers.get(key);
        if (!b) balancers.set(key, (b = new Balancer()));
        b.setAffinity(view.affinityMs);
        const list = backends.get(spec.key) ?? [];
        b.setBackends(list);
        const desc = list.length ? `endpoints ${list.map((x) => x.key).join(', ')}` : 'no ready endpoints';
        if (shown.get(key) !== desc) log(`${label(svcKey, spec)}: ${desc}`);
        shown.set(key, desc);
      }
    }
    ports = next;
    const keys = new Set(ports.map((p) => p.key));
    for (const k of balancers.keys()) {
      if (!keys.has(k)) {
        balancers.delete(k);
        shown.delete(k);
      }
    }
    for (const k of unsupportedShown.keys()) if (!services.get(k)) unsupportedShown.delete(k);
    for (const l of listeners.values()) l.udp?.prune();
  };
  const label = (svcKey: string, p: ServicePortSpec) => `${nodeMode ? `service ${svcKey} ` : ''}port ${portLabel(p)}`;

  const wanted = (): Map<string, Wanted> => {
    const out = new Map<string, Wanted>();
    for (const { svcKey, key, spec: p } of ports) {
      if (!balancers.get(key)?.backends.length) continue;
      const add = (port: number, what: string) => {
        const k = `${p.protocol}/${port}`;
        if (port > 0 && port < 65536 && !out.has(k)) out.set(k, { protocol: p.protocol, port, portKey: key, what });
      };
      if (!nodeMode) add(p.port + offset, label(svcKey, p));
      if (p.nodePort) add(p.nodePort + offset, `nodePort of ${label(svcKey, p)}`);
    }
    return out;
  };

  // Listeners follow the balancers: one pass at a time; changes during a pass start another.
  let running: Promise<void> | undefined;
  let again = false;
  const apply = async (): Promise<void> => {
    const want = wanted();
    for (const [k, l] of listeners) {
      if (want.has(k)) continue;
      listeners.delete(k);
      const svcKey = l.portKey.slice(0, l.portKey.indexOf('#'));
      const why = !services.get(svcKey) ? 'service deleted' : balancers.get(l.portKey)?.backends.length === 0 ? 'no ready endpoints' : 'port no longer in the Service';
      log(`stopped listening on ${l.protocol} ${host}:${l.port}: ${why}`);
      l.tcp?.close();
      await l.udp?.close();
    }
    const starting: Promise<void>[] = [];
    let failed = false;
    for (const [k, w] of want) {
      const cur = listeners.get(k);
      if (cur) {
        cur.portKey = w.portKey;
        continue;
      }
      const l: Listener = { protocol: w.protocol, port: w.port, portKey: w.portKey };
      const balancer = () => balancers.get(l.portKey);
      if (w.protocol === 'TCP') l.tcp = new TcpListener({ host, port: w.port, balancer, connections, log });
      else l.udp = new UdpListener({ host, port: w.port, balancer, idleTimeoutMs: opts.udpIdleTimeoutMs, log });
      starting.push(
        (l.tcp ?? l.udp)!.listen().then(
          () => {
            listeners.set(k, l);
            const n = balancer()?.backends.length ?? 0;
            log(`listening on ${w.protocol} ${host}:${w.port} (${w.what}, ${n} endpoint${n === 1 ? '' : 's'})`);
          },
          (e: Error) => {
            failed = true;
            log(`cannot listen on ${w.protocol} ${host}:${w.port} (${w.what}): ${e.message}; retrying`);
          },
        ),
      );
    }
    await Promise.all(starting);
    if (nat) {
      const natPorts: NatPort[] = [];
      for (const w of want.values()) {
        const b = balancers.get(w.portKey);
        if (w.protocol !== 'TCP' || !b || b.affinityMs !== undefined || !b.backends.length) continue;
        natPorts.push({ port: w.port, backends: [...b.backends], comment: w.what });
      }
      try {
        await nat.sync(natPorts);
      } catch (e) {
        log(`kernel forwarding failed, relaying in userspace from now on: ${(e as Error).message}`);
        await nat.clear().catch(() => undefined);
        nat = undefined;
      }
    }
    if (failed && !closed) {
      clearTimeout(retry);
      retry = setTimeout(schedule, LISTEN_RETRY_MS);
    }
  };
  const schedule = (): void => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await apply().catch((e: Error) => log(`sync: ${e.message}`));
      } while (again && !closed);
      running = undefined;
    })();
  };

  // Nothing happens until both caches are filled: no "no endpoints" moment at startup.
  let synced = false;
  const onChange = () => {
    if (closed || !synced) return;
    lastError = '';
    refresh();
    schedule();
  };
  for (const inf of [services, endpoints] as Informer<KubeObject>[]) inf.on({ add: onChange, update: onChange, delete: onChange });
  services.start();
  endpoints.start();
  await Promise.all([services.synced, endpoints.synced]);
  synced = true;
  if (!nodeMode && !services.get(objKey)) log(`service ${objKey} not found; waiting for it`);
  onChange();
  await running;

  return {
    async close() {
      if (closed) return;
      closed = true;
      services.stop();
      endpoints.stop();
      clearTimeout(retry);
      await running;
      const all = [...listeners.values()];
      listeners.clear();
      for (const l of all) l.tcp?.close();
      for (const c of connections) c.destroy();
      connections.clear();
      await Promise.all(all.map((l) => l.udp?.close()));
    },
  };
}

function portLabel(p: ServicePortSpec): string {
  return `${p.port}/${p.protocol}${p.name ? ` "${p.name}"` : ''}`;
}
