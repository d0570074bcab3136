// The subsets of an Endpoints object as the endpoints controller builds them
// (pkg/controller/endpoint: one subset per pod and port, then pkg/api/v1/endpoints.RepackSubsets
// into the canonical form: addresses grouped by the ports they serve, sorted).
//
// The canonical order is Kubernetes' own: addresses by IP (bytes) then pod UID, and ports and
// subsets by the MD5 of Go's `%#v` rendering through go-spew (hashutil.DeepHashObject, as
// Kubernetes 1.30 computes it). minik renders the few structs involved the same way, so that
// `kubectl get endpoints` lists `ip:port` pairs in the order a real cluster shows them
// (kube-dns: dns-tcp, dns, metrics).
import { createHash } from 'node:crypto';
import { findPort, isServiceIPSet, podIPForService, shouldPodBeInEndpoints, shouldSetHostname, type Service, type ServicePort } from './endpoints-util.js';
import { isPodReady } from './pod-util.js';
import type { Pod } from './workload-types.js';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: ObjectReference;
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** Most addresses one Endpoints object holds before it is truncated (maxCapacity). */
export const MAX_CAPACITY = 1000;

// ---- go-spew's %#v of the core/v1 structs (ConfigState{SortKeys, DisableMethods, SpewKeys}) ------

const spewStringPtr = (v: string | undefined) => (v === undefined ? '(*string)<nil>' : `(*string)${v}`);

function spewObjectRef(r: ObjectReference | undefined): string {
  if (!r) return '(*v1.ObjectReference)<nil>';
  return (
    `(*v1.ObjectReference){Kind:(string)${r.kind ?? ''} Namespace:(string)${r.namespace ?? ''} Name:(string)${r.name ?? ''} ` +
    `UID:(types.UID)${r.uid ?? ''} APIVersion:(string)${r.apiVersion ?? ''} ResourceVersion:(string)${r.resourceVersion ?? ''} FieldPath:(string)${r.fieldPath ?? ''}}`
  );
}

/** An element of []v1.EndpointAddress: slice elements print without their type. */
function spewAddressElem(a: EndpointAddress): string {
  return `{IP:(string)${a.ip} Hostname:(string)${a.hostname ?? ''} NodeName:${spewStringPtr(a.nodeName)} TargetRef:${spewObjectRef(a.targetRef)}}`;
}

function spewPortFields(p: EndpointPort): string {
  return `{Name:(string)${p.name ?? ''} Port:(int32)${p.port} Protocol:(v1.Protocol)${p.protocol ?? ''} AppProtocol:${spewStringPtr(p.appProtocol)}}`;
}

/** `%#v` of a v1.EndpointPort value. */
export function spewEndpointPort(p: EndpointPort): string {
  return `(v1.EndpointPort)${spewPortFields(p)}`;
}

/** A nil slice prints `<nil>`, an empty one `[]`. */
function spewSlice<T>(type: string, items: T[] | undefined, elem: (x: T) => string): string {
  return `(${type})${items === undefined ? '<nil>' : `[${items.map(elem).join(' ')}]`}`;
}

/** `%#v` of a v1.EndpointSubset value (absent lists are Go's nil slices). */
export function spewEndpointSubset(ss: EndpointSubset): string {
  return (
    `(v1.EndpointSubset){Addresses:${spewSlice('[]v1.EndpointAddress', ss.addresses, spewAddressElem)} ` +
    `NotReadyAddresses:${spewSlice('[]v1.EndpointAddress', ss.notReadyAddresses, spewAddressElem)} ` +
    `Ports:${spewSlice('[]v1.EndpointPort', ss.ports, spewPortFields)}}`
  );
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const byteCmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// ---- sorting and repacking --------------------------------------------------------------------

/** LessEndpointAddress: by IP (bytes), then target UID (an address without a target first). */
export function compareEndpointAddresses(a: EndpointAddress, b: EndpointAddress): number {
  const c = byteCmp(a.ip, b.ip);
  if (c) return c;
  if (!a.targetRef && !b.targetRef) return 0;
  if (!b.targetRef) return 1;
  if (!a.targetRef) return -1;
  return byteCmp(a.targetRef.uid ?? '', b.targetRef.uid ?? '');
}

function sortByHash<T>(items: T[], render: (x: T) => string): T[] {
  return items
    .map((x) => ({ x, h: md5(render(x)) }))
    .sort((a, b) => byteCmp(a.h, b.h))
    .map(({ x }) => x);
}

/** SortSubsets: addresses by IP and UID, ports and then subsets by the hash of their contents. */
export function sortSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const sorted = subsets.map((ss) => {
    const out: EndpointSubset = {};
    if (ss.addresses) out.addresses = [...ss.addresses].sort(compareEndpointAddresses);
    if (ss.notReadyAddresses) out.notReadyAddresses = [...ss.notReadyAddresses].sort(compareEndpointAddresses);
    if (ss.ports) out.ports = sortByHash(ss.ports, spewEndpointPort);
    return out;
  });
  return sortByHash(sorted, spewEndpointSubset);
}

const portKey = (p: EndpointPort) => JSON.stringify([p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? null]);
const addressKey = (a: EndpointAddress) => `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;

/**
 * RepackSubsets: expands subsets to (address, port, ready) and packs them again so that each
 * subset holds the addresses serving exactly the same ports; an address not ready for a port
 * is not ready there even if another subset says it is. Subsets without ports (headless
 * Services) keep their addresses under a portless subset.
 */
export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const allAddrs = new Map<string, EndpointAddress>();
  const byPort = new Map<string, { port: EndpointPort; addrs: Map<EndpointAddress, boolean> }>();
  const mapAddress = (addr: EndpointAddress, port: EndpointPort, ready: boolean) => {
    const k = addressKey(addr);
    let existing = allAddrs.get(k);
    if (!existing) allAddrs.set(k, (existing = { ...addr }));
    const pk = portKey(port);
    let entry = byPort.get(pk);
    if (!entry) byPort.set(pk, (entry = { port, addrs: new Map() }));
    const was = entry.addrs.get(existing);
    // Not ready always wins over ready.
    if (was === undefined || was) entry.addrs.set(existing, ready);
  };
  for (const ss of subsets) {
    const ports = ss.ports?.length ? ss.ports : [{ port: -1 }];
    for (const port of ports) {
      for (const a of ss.addresses ?? []) mapAddress(a, port, true);
      for (const a of ss.notReadyAddresses ?? []) mapAddress(a, port, false);
    }
  }
  // Group the ports by the exact set of (address, readiness) they have.
  const groups = new Map<string, { addrs: Map<EndpointAddress, boolean>; ports: EndpointPort[] | undefined }>();
  for (const { port, addrs } of byPort.values()) {
    const key = [...addrs.entries()]
      .sort(([a], [b]) => compareEndpointAddresses(a, b))
      .map(([a, ready]) => `${addressKey(a)}\u0000${ready}`)
      .join('\u0001');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { addrs, ports: undefined }));
    if (port.port > 0) (g.ports ??= []).push(port);
  }
  const final: EndpointSubset[] = [];
  for (const { addrs, ports } of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [a, r] of addrs) (r ? ready : notReady).push(a);
    const ss: EndpointSubset = {};
    if (ready.length) ss.addresses = ready;
    if (notReady.length) ss.notReadyAddresses = notReady;
    if (ports) ss.ports = ports;
    final.push(ss);
  }
  return sortSubsets(final);
}

// ---- building them from pods ------------------------------------------------------------------

/** podToEndpointAddressForService (and the hostname the pod asks for under this Service). */
export function podToEndpointAddress(svc: Service, pod: Pod): EndpointAddress | undefined {
  const ip = podIPForService(svc, pod);
  if (!ip) return undefined;
  const spec = (pod.spec ?? {}) as { nodeName?: string; hostname?: string };
  const addr: EndpointAddress = { ip };
  if (shouldSetHostname(pod, svc)) addr.hostname = spec.hostname;
  addr.nodeName = spec.nodeName ?? '';
  addr.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  return addr;
}

/** endpointPortFromServicePort */
function endpointPort(sp: ServicePort, port: number): EndpointPort {
  // JSON field order and omitempty as Go writes v1.EndpointPort.
  return {
    ...(sp.name ? { name: sp.name } : {}),
    port,
    ...(sp.protocol ? { protocol: sp.protocol } : {}),
    ...(sp.appProtocol !== undefined ? { appProtocol: sp.appProtocol } : {}),
  };
}

export interface DesiredSubsets {
  subsets: EndpointSubset[];
  ready: number;
  notReady: number;
}

/**
 * The body of syncService: every pod that belongs in the endpoints (ShouldPodBeInEndpoints),
 * once per Service port its targetPort resolves on, under addresses when ready (or when the
 * Service publishes not-ready addresses) and notReadyAddresses otherwise; then repacked.
 */
export function desiredSubsets(svc: Service, pods: Pod[]): DesiredSubsets {
  const publishNotReady = !!svc.spec?.publishNotReadyAddresses;
  const ports = svc.spec?.ports ?? [];
  const subsets: EndpointSubset[] = [];
  let ready = 0;
  let notReady = 0;
  const add = (pod: Pod, addr: EndpointAddress, port?: EndpointPort) => {
    const ps = port ? [port] : [];
    if (publishNotReady || isPodReady(pod)) {
      subsets.push({ addresses: [addr], ports: ps });
      ready++;
    } else {
      subsets.push({ notReadyAddresses: [addr], ports: ps });
      notReady++;
    }
  };
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const addr = podToEndpointAddress(svc, pod);
    if (!addr) continue;
    if (!ports.length) {
      // A headless Service may have no ports: its addresses alone.
      if (svc.spec?.clusterIP === 'None') add(pod, addr);
      continue;
    }
    for (const sp of ports) {
      const num = findPort(pod, sp);
      if (num === undefined) continue;
      add(pod, addr, endpointPort(sp, num));
    }
  }
  return { subsets: repackSubsets(subsets), ready, notReady };
}

/**
 * truncateEndpoints: past MAX_CAPACITY addresses, not-ready ones go first, then ready ones are
 * cut in proportion to each subset's share. True when anything was cut.
 */
export function truncateSubsets(subsets: EndpointSubset[]): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const ss of subsets) {
    totalReady += ss.addresses?.length ?? 0;
    totalNotReady += ss.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= MAX_CAPACITY) return false;
  const truncateReady = totalReady > MAX_CAPACITY;
  const max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  for (const ss of subsets) {
    const inSubset = (truncateReady ? ss.addresses?.length : ss.notReadyAddresses?.length) ?? 0;
    const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
    if (truncateReady) {
      if (ss.addresses) ss.addresses = ss.addresses.slice(0, toBeAdded);
      delete ss.notReadyAddresses;
      canBeAdded -= ss.addresses?.length ?? 0;
    } else {
      if (ss.notReadyAddresses) ss.notReadyAddresses = ss.notReadyAddresses.slice(0, toBeAdded);
      canBeAdded -= ss.notReadyAddresses?.length ?? 0;
    }
  }
  return true;
}

/** The address count Kubernetes' capacityAnnotationSetCorrectly compares with maxCapacity. */
export function addressCount(subsets: EndpointSubset[] | undefined): number {
  return (subsets ?? []).reduce((n, ss) => n + (ss.addresses?.length ?? 0) + (ss.notReadyAddresses?.length ?? 0), 0);
}

/** endpointSubsetsEqualIgnoreResourceVersion: semantic equality, targets' resourceVersions aside. */
export function subsetsEqual(a: EndpointSubset[] | undefined, b: EndpointSubset[] | undefined): boolean {
  return JSON.stringify(canonicalSubsets(a)) === JSON.stringify(canonicalSubsets(b));
}

function canonicalAddress(a: EndpointAddress): unknown {
  const r = a.targetRef;
  return [a.ip, a.hostname ?? '', a.nodeName ?? null, r ? [r.kind ?? '', r.namespace ?? '', r.name ?? '', r.uid ?? '', r.apiVersion ?? '', r.fieldPath ?? ''] : null];
}

function canonicalSubsets(subsets: EndpointSubset[] | undefined): unknown {
  return (subsets ?? []).map((ss) => [
    (ss.addresses ?? []).map(canonicalAddress),
    (ss.notReadyAddresses ?? []).map(canonicalAddress),
    (ss.ports ?? []).map((p) => [p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? null]),
  ]);
}

/** Whether a Service gets a headless label on its Endpoints (no ClusterIP). */
export const isHeadless = (svc: Service) => !isServiceIPSet(svc);
