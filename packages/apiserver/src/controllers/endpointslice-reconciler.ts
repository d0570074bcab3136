// What the EndpointSlice controller writes for one Service (k8s.io/endpointslice: reconciler.go
// and utils.go), as a plan of slices to create, update and delete. Endpoints are grouped by
// address type and by the set of ports their pod resolves (pods resolving the same ports share
// slices of at most maxEndpointsPerSlice endpoints); existing slices are kept and updated in
// place where possible; a Service without endpoints keeps one empty placeholder slice.
//
// Deliberate differences: Kubernetes fills slices from Go maps (random order); minik takes
// endpoints in address order and writes each slice's endpoints sorted the same way, so that
// `kubectl describe service` lists them as `kubectl get endpoints` does. Topology hints and
// trafficDistribution are not implemented (no slice gets hints).
import { createHash } from 'node:crypto';
import type { KubeObject, ObjectMeta, OwnerReference } from '@minik/api';
import { ipFamily } from '../registry/validation/formats.js';
import { semanticEqual } from '../registry/kinds/util.js';
import { LAST_CHANGE_TRIGGER_TIME, HEADLESS_LABEL, findPort, isServiceIPSet, podIPs, rfc3339Nano, shouldPodBeInEndpoints, shouldSetHostname, type Service } from './endpoints-util.js';
import { isPodReady } from './pod-util.js';
import { newControllerRef, type Pod } from './workload-types.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** --max-endpoints-per-slice */
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface EndpointConditions {
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

export interface SliceEndpoint {
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  targetRef?: { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string; resourceVersion?: string; fieldPath?: string };
  deprecatedTopology?: Record<string, string>;
  nodeName?: string;
  zone?: string;
  hints?: unknown;
}

export interface SlicePort {
  name?: string;
  protocol?: string;
  port?: number;
  appProtocol?: string;
}

export interface EndpointSlice extends KubeObject {
  metadata: ObjectMeta;
  addressType: string;
  endpoints?: SliceEndpoint[] | null;
  ports?: SlicePort[] | null;
}

export interface NodeView extends KubeObject {
  metadata: ObjectMeta;
}

export interface ReconcileInput {
  service: Service;
  pods: Pod[];
  /** The Service's slices managed by this controller, not being deleted. */
  existing: EndpointSlice[];
  node(name: string): NodeView | undefined;
  controllerName?: string;
  maxEndpointsPerSlice?: number;
  /** The last-change-trigger-time to record on written slices (ms), or none. */
  triggerTime?: number;
}

export interface ReconcilePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
  /** Pods skipped for a reason worth a retry (their Node is not known yet). */
  errors: string[];
}

// ---- ports ----------------------------------------------------------------------------------------

/** go-spew's `%#v` of a discovery/v1 EndpointPort (every field a pointer). */
export function spewSlicePort(p: SlicePort): string {
  const ptr = (type: string, v: string | number | undefined) => (v === undefined || v === null ? `(${type})<nil>` : `(${type})${v}`);
  return `(v1.EndpointPort){Name:${ptr('*string', p.name)} Protocol:${ptr('*v1.Protocol', p.protocol)} Port:${ptr('*int32', p.port)} AppProtocol:${ptr('*string', p.appProtocol)}}`;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** portsInOrder: by the MD5 of each port's rendering (NewPortMapKey sorts the slice's ports so). */
export function sortSlicePorts(ports: SlicePort[]): SlicePort[] {
  return ports
    .map((p) => ({ p, h: md5(spewSlicePort(p)) }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0))
    .map(({ p }) => p);
}

/** NewPortMapKey: the same set of ports, whatever their order, gives the same key. */
export function portMapKey(ports: SlicePort[] | null | undefined): string {
  return JSON.stringify(sortSlicePorts(ports ?? []).map((p) => [p.name ?? null, p.protocol ?? null, p.port ?? null, p.appProtocol ?? null]));
}

/** getEndpointPorts: the Service's ports as this pod resolves them (a port it lacks is left out). */
export function endpointPorts(svc: Service, pod: Pod): SlicePort[] {
  const ports = svc.spec?.ports ?? [];
  if (!ports.length && svc.spec?.clusterIP === 'None') return [];
  const out: SlicePort[] = [];
  for (const sp of ports) {
    const num = findPort(pod, sp);
    if (num === undefined) continue;
    out.push({ name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port: num, ...(sp.appProtocol !== undefined ? { appProtocol: sp.appProtocol } : {}) });
  }
  return sortSlicePorts(out);
}

// ---- endpoints ------------------------------------------------------------------------------------

/** getAddressTypesForService: the Service's IP families (or, before those, its ClusterIP's). */
export function addressTypesForService(svc: Service): string[] {
  const out = new Set<string>();
  for (const f of svc.spec?.ipFamilies ?? []) {
    if (f === 'IPv4') out.add('IPv4');
    if (f === 'IPv6') out.add('IPv6');
  }
  if (out.size) return [...out];
  if (isServiceIPSet(svc)) return [ipFamily(svc.spec!.clusterIP!) === 6 ? 'IPv6' : 'IPv4'];
  return ['IPv4', 'IPv6'];
}

/** podToEndpoint */
export function podToEndpoint(pod: Pod, node: NodeView | undefined, svc: Service, addressType: string): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  // For compatibility, a terminating endpoint is never ready unless not-ready ones are published.
  const ready = !!svc.spec?.publishNotReadyAddresses || (serving && !terminating);
  const spec = (pod.spec ?? {}) as { nodeName?: string; hostname?: string };
  const ep: SliceEndpoint = {
    addresses: podIPs(pod).filter((ip) => (ipFamily(ip) === 6) === (addressType === 'IPv6')),
    conditions: { ready, serving, terminating },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = spec.hostname;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  if (spec.nodeName) ep.nodeName = spec.nodeName;
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  return ep;
}

/** hashEndpoint: addresses, hostname and target name identify an endpoint across updates. */
export function endpointKey(ep: SliceEndpoint): string {
  return JSON.stringify([[...(ep.addresses ?? [])].sort(), ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

/** EndpointsEqualBeyondHash: what the key leaves out (node, zone, conditions, target). */
export function endpointsEqualBeyondKey(a: SliceEndpoint, b: SliceEndpoint): boolean {
  const ca = a.conditions ?? {};
  const cb = b.conditions ?? {};
  if ((a.nodeName ?? null) !== (b.nodeName ?? null) || (a.zone ?? null) !== (b.zone ?? null)) return false;
  if ((ca.ready ?? null) !== (cb.ready ?? null) || (ca.serving ?? null) !== (cb.serving ?? null) || (ca.terminating ?? null) !== (cb.terminating ?? null)) return false;
  const ra = a.targetRef ? { ...a.targetRef, resourceVersion: undefined } : undefined;
  const rb = b.targetRef ? { ...b.targetRef, resourceVersion: undefined } : undefined;
  return semanticEqual(ra, rb);
}

const byteCmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** minik's order of endpoints in a slice: first address (bytes), then target name. */
export function compareSliceEndpoints(a: SliceEndpoint, b: SliceEndpoint): number {
  return byteCmp(a.addresses?.[0] ?? '', b.addresses?.[0] ?? '') || byteCmp(a.targetRef?.name ?? '', b.targetRef?.name ?? '');
}

/** An EndpointSet, popped in address order. */
class EndpointSet {
  private readonly items = new Map<string, SliceEndpoint>();
  private order: SliceEndpoint[] | undefined;

  insert(ep: SliceEndpoint): void {
    this.items.set(endpointKey(ep), ep);
    this.order = undefined;
  }
  get(ep: SliceEndpoint): SliceEndpoint | undefined {
    return this.items.get(endpointKey(ep));
  }
  delete(ep: SliceEndpoint): void {
    this.items.delete(endpointKey(ep));
  }
  get size(): number {
    return this.items.size;
  }
  pop(): SliceEndpoint {
    this.order ??= [...this.items.values()].sort(compareSliceEndpoints);
    for (;;) {
      const ep = this.order.shift()!;
      const key = endpointKey(ep);
      if (this.items.get(key) === ep) {
        this.items.delete(key);
        return ep;
      }
    }
  }
}

// ---- slices ---------------------------------------------------------------------------------------

const RESERVED_LABELS = new Set([SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL]);

/**
 * setEndpointSliceLabels: the Service's labels (reserved keys aside), the headless label when it
 * has no ClusterIP, and the service-name and managed-by labels; with whether the copied
 * Service labels differ from the slice's.
 */
export function sliceLabels(slice: EndpointSlice | undefined, svc: Service, controllerName: string): [Record<string, string>, boolean] {
  const have: Record<string, string> = {};
  for (const [k, v] of Object.entries(slice?.metadata.labels ?? {})) if (!RESERVED_LABELS.has(k)) have[k] = v;
  const want: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (!RESERVED_LABELS.has(k)) want[k] = v;
  const changed = !semanticEqual(have, want);
  if (!isServiceIPSet(svc)) want[HEADLESS_LABEL] = '';
  want[SERVICE_NAME_LABEL] = svc.metadata.name!;
  want[MANAGED_BY_LABEL] = controllerName;
  return [want, changed];
}

/** ownedBy: the slice names this Service (this uid) as an owner. */
export function ownedBy(slice: EndpointSlice, svc: Service): boolean {
  return (slice.metadata.ownerReferences ?? []).some((o) => o.uid === svc.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1');
}

/** newEndpointSlice: named `<service>-<random>` by the apiserver, owned by the Service. */
export function newEndpointSlice(svc: Service, ports: SlicePort[], addressType: string, controllerName: string): EndpointSlice {
  const ownerRef: OwnerReference = newControllerRef(svc, 'v1', 'Service');
  const [labels] = sliceLabels(undefined, svc, controllerName);
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { generateName: `${svc.metadata.name}-`, namespace: svc.metadata.namespace, labels, ownerReferences: [ownerRef] },
    addressType,
    endpoints: [],
    ports,
  };
}

/** placeholderSliceCompare: an empty slice like the one that would be created now. */
function isSamePlaceholder(a: EndpointSlice, b: EndpointSlice): boolean {
  return (
    a.metadata.namespace === b.metadata.namespace &&
    semanticEqual(a.metadata.labels ?? {}, b.metadata.labels ?? {}) &&
    JSON.stringify((a.metadata.ownerReferences ?? []).map(refText)) === JSON.stringify((b.metadata.ownerReferences ?? []).map(refText)) &&
    a.addressType === b.addressType &&
    semanticEqual(a.endpoints, b.endpoints) &&
    semanticEqual(a.ports, b.ports)
  );
}

const refText = (r: OwnerReference) => [r.apiVersion, r.kind, r.name, r.uid, r.controller ?? null, r.blockOwnerDeletion ?? null];

/** getSliceToFill: the slice that gets closest to full with this many more endpoints. */
function sliceToFill(slices: EndpointSlice[], n: number, max: number): EndpointSlice | undefined {
  let closestDiff = max;
  let closest: EndpointSlice | undefined;
  for (const s of slices) {
    const diff = max - (n + (s.endpoints?.length ?? 0));
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = s;
      if (diff === 0) break;
    }
  }
  return closest;
}

interface PortMapping {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

/** reconcileByPortMapping: one group of slices (same address type, same ports). */
function reconcileByPortMapping(svc: Service, existing: EndpointSlice[], desired: EndpointSet, ports: SlicePort[], addressType: string, controllerName: string, max: number): PortMapping {
  const byName = new Map<string, EndpointSlice>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();

  // 1. Keep the endpoints still wanted (updated), drop the others; follow the Service's labels.
  for (const slice of existing) {
    const name = slice.metadata.name!;
    byName.set(name, slice);
    const kept: SliceEndpoint[] = [];
    let endpointUpdated = false;
    for (const ep of slice.endpoints ?? []) {
      const got = desired.get(ep);
      if (!got) continue;
      kept.push(got);
      if (!endpointsEqualBeyondKey(got, ep)) endpointUpdated = true;
      desired.delete(ep);
    }
    const [labels, labelsChanged] = sliceLabels(slice, svc, controllerName);
    if (endpointUpdated || (slice.endpoints?.length ?? 0) !== kept.length) {
      if (!kept.length) toDelete.add(name);
      else {
        const copy = structuredClone(slice);
        copy.endpoints = kept;
        copy.metadata.labels = labels;
        byName.set(name, copy);
        toUpdate.add(name);
      }
    } else if (labelsChanged) {
      const copy = structuredClone(slice);
      copy.metadata.labels = labels;
      byName.set(name, copy);
      toUpdate.add(name);
    } else unchanged.add(name);
  }

  // 2. Fill the slices being updated anyway, fullest first.
  if (desired.size > 0 && toUpdate.size > 0) {
    const slices = [...toUpdate].map((n) => byName.get(n)!).sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0));
    for (const s of slices) {
      const eps = (s.endpoints ??= []);
      while (desired.size > 0 && eps.length < max) eps.push(desired.pop());
    }
  }

  // 3. The rest goes into an unchanged slice it fits in, or into new slices.
  const create: EndpointSlice[] = [];
  while (desired.size > 0) {
    let fill: EndpointSlice | undefined;
    if (desired.size < max && unchanged.size > 0) {
      fill = sliceToFill([...unchanged].map((n) => byName.get(n)!), desired.size, max);
    }
    if (!fill) fill = newEndpointSlice(svc, ports, addressType, controllerName);
    else {
      fill = structuredClone(fill);
      byName.set(fill.metadata.name!, fill);
    }
    const eps = (fill.endpoints ??= []);
    while (desired.size > 0 && eps.length < max) eps.push(desired.pop());
    if (fill.metadata.name) {
      toUpdate.add(fill.metadata.name);
      unchanged.delete(fill.metadata.name);
    } else create.push(fill);
  }
  return { create, update: [...toUpdate].map((n) => byName.get(n)!), delete: [...toDelete].map((n) => byName.get(n)!) };
}

/** reconcileByAddressType, up to and including finalize's turning of create+delete into updates. */
function reconcileByAddressType(input: ReconcileInput, existing: EndpointSlice[], addressType: string, errors: string[]): PortMapping {
  const { service: svc } = input;
  const controllerName = input.controllerName ?? CONTROLLER_NAME;
  const max = input.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
  let toCreate: EndpointSlice[] = [];
  const toUpdate: EndpointSlice[] = [];
  let toDelete: EndpointSlice[] = [];

  const existingByPorts = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    if (!ownedBy(s, svc)) {
      toDelete.push(s);
      continue;
    }
    const k = portMapKey(s.ports);
    existingByPorts.set(k, [...(existingByPorts.get(k) ?? []), s]);
  }

  const desiredPorts = new Map<string, SlicePort[]>();
  const desired = new Map<string, EndpointSet>();
  for (const pod of input.pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPorts(svc, pod);
    const k = portMapKey(ports);
    if (!desired.has(k)) desired.set(k, new EndpointSet());
    if (!desiredPorts.has(k)) desiredPorts.set(k, ports);
    const nodeName = (pod.spec?.nodeName as string | undefined) ?? '';
    const node = input.node(nodeName);
    if (!node && !svc.spec?.publishNotReadyAddresses) {
      // Retried later; meanwhile the slices are written without this pod.
      errors.push(`skipping Pod ${pod.metadata.name} for Service ${svc.metadata.namespace}/${svc.metadata.name}: Node ${nodeName} Not Found`);
      continue;
    }
    const ep = podToEndpoint(pod, node, svc, addressType);
    if (ep.addresses.length) desired.get(k)!.insert(ep);
  }

  for (const [k, set] of desired) {
    const r = reconcileByPortMapping(svc, existingByPorts.get(k) ?? [], set, desiredPorts.get(k)!, addressType, controllerName, max);
    toCreate.push(...r.create);
    toUpdate.push(...r.update);
    toDelete.push(...r.delete);
  }
  // Sets of ports no pod resolves any more.
  for (const [k, slices] of existingByPorts) if (!desired.has(k)) toDelete.push(...slices);

  // No endpoints at all: one empty placeholder slice stays.
  if (existing.length === toDelete.length && toCreate.length < 1) {
    const placeholder = newEndpointSlice(svc, [], addressType, controllerName);
    if (toDelete.length === 1 && isSamePlaceholder(toDelete[0], placeholder)) toDelete = [];
    else toCreate.push(placeholder);
  }

  // finalize: rather than delete one slice and create another, update the one to be deleted.
  for (let i = 0; i < toDelete.length; ) {
    if (!toCreate.length) break;
    const del = toDelete[i];
    const slice = toCreate[toCreate.length - 1];
    if (del.addressType === slice.addressType && ownedBy(del, svc)) {
      slice.metadata.name = del.metadata.name;
      toCreate = toCreate.slice(0, -1);
      toUpdate.push(slice);
      toDelete.splice(i, 1);
    } else i++;
  }
  return { create: toCreate, update: toUpdate, delete: toDelete };
}

/** addTriggerTimeAnnotation */
function setTriggerTime(slice: EndpointSlice, triggerTime: number | undefined): void {
  const annotations = { ...(slice.metadata.annotations ?? {}) };
  if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(triggerTime);
  else delete annotations[LAST_CHANGE_TRIGGER_TIME];
  if (Object.keys(annotations).length) slice.metadata.annotations = annotations;
  else delete slice.metadata.annotations;
}

/**
 * Reconcile: slices of address types the Service no longer has are deleted; each of its
 * address types is reconciled. Written slices carry the trigger time and sorted endpoints.
 */
export function reconcile(input: ReconcileInput): ReconcilePlan {
  const types = addressTypesForService(input.service);
  const plan: ReconcilePlan = { create: [], update: [], delete: [], errors: [] };
  const byType = new Map<string, EndpointSlice[]>();
  const unsupported: EndpointSlice[] = [];
  for (const s of input.existing) {
    if (!types.includes(s.addressType)) unsupported.push(s);
    else byType.set(s.addressType, [...(byType.get(s.addressType) ?? []), s]);
  }
  for (const t of types) {
    const r = reconcileByAddressType(input, byType.get(t) ?? [], t, plan.errors);
    plan.create.push(...r.create);
    plan.update.push(...r.update);
    plan.delete.push(...r.delete);
  }
  plan.delete.push(...unsupported);
  for (const s of [...plan.create, ...plan.update]) {
    setTriggerTime(s, input.triggerTime);
    if (s.endpoints?.length) s.endpoints = [...s.endpoints].sort(compareSliceEndpoints);
  }
  return plan;
}
