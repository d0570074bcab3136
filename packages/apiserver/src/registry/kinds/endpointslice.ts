// EndpointSlice (discovery.k8s.io/v1): SetDefaults_EndpointPort, the registry strategy of
// pkg/registry/discovery/endpointslice (generation counts endpoint, port, address-type and label
// changes; the v1 API cannot write deprecatedTopology) and ValidateEndpointSliceCreate/Update
// (pkg/apis/discovery/validation).
import type { Strategy } from '../strategy.js';
import { fe, type FieldError } from '../validation/field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../validation/dns.js';
import { ipFamily, isQualifiedName, isValidLabelValue } from '../validation/formats.js';
import { FIELD_IMMUTABLE, validateLabels } from '../validation/meta.js';
import { PROTOCOLS } from './container-validation.js';
import { nonSpecialIP } from './service.js';
import { isObj, list, semanticEqual, type Obj } from './util.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_ENDPOINTS = 1000;
const MAX_ZONE_HINTS = 8;
const LABEL_HOSTNAME = 'kubernetes.io/hostname';

/** validation.IsFullyQualifiedDomainName */
function fqdnErrors(path: string, name: string): FieldError[] {
  if (!name.length) return [fe.required(path)];
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  const sub = isDNS1123Subdomain(n);
  if (sub.length) return sub.map((m) => fe.invalid(path, n, m));
  const labels = n.split('.');
  if (labels.length < 2) return [fe.invalid(path, n, 'should be a domain with at least two segments separated by dots')];
  return labels.flatMap((l) => isDNS1123Label(l).map((m) => fe.invalid(path, l, m)));
}

function validateAddress(addressType: string, address: string, path: string): FieldError[] {
  switch (addressType) {
    case 'IPv4':
      return [...(ipFamily(address) === 4 ? [] : [fe.invalid(path, address, 'must be a valid IPv4 address')]), ...nonSpecialIP(address, path)];
    case 'IPv6':
      return [...(ipFamily(address) === 6 ? [] : [fe.invalid(path, address, 'must be a valid IPv6 address')]), ...nonSpecialIP(address, path)];
    case 'FQDN':
      return fqdnErrors(path, address);
  }
  // Unknown types fall through unvalidated (the address type itself is reported).
  return [];
}

function validateHints(hints: Obj, path: string): FieldError[] {
  const zones = list(hints.forZones);
  if (zones.length > MAX_ZONE_HINTS) return [fe.tooMany(`${path}.forZones`, zones.length, MAX_ZONE_HINTS)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  zones.forEach((z, i) => {
    const p = `${path}.forZones[${i}].name`;
    const name = String(z.name ?? '');
    if (seen.has(name)) errs.push(fe.duplicate(p, name));
    else seen.add(name);
    errs.push(...isValidLabelValue(name).map((m) => fe.invalid(p, name, m)));
  });
  return errs;
}

function validateEndpoints(endpoints: Obj[], addressType: string): FieldError[] {
  if (endpoints.length > MAX_ENDPOINTS) return [fe.tooMany('endpoints', endpoints.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  endpoints.forEach((ep, i) => {
    const p = `endpoints[${i}]`;
    const addresses = list<string>(ep.addresses);
    if (!addresses.length) errs.push(fe.required(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(fe.tooMany(`${p}.addresses`, addresses.length, MAX_ADDRESSES));
    addresses.forEach((a, j) => errs.push(...validateAddress(addressType, String(a), `${p}.addresses[${j}]`)));
    if (typeof ep.nodeName === 'string') errs.push(...isDNS1123Subdomain(ep.nodeName).map((m) => fe.invalid(`${p}.nodeName`, ep.nodeName, m)));
    const topology = isObj(ep.deprecatedTopology) ? (ep.deprecatedTopology as Record<string, string>) : {};
    const n = Object.keys(topology).length;
    if (n > MAX_TOPOLOGY_LABELS) errs.push(fe.tooMany(`${p}.deprecatedTopology`, n, MAX_TOPOLOGY_LABELS));
    errs.push(...validateLabels(topology, `${p}.deprecatedTopology`));
    if (typeof ep.hostname === 'string') errs.push(...isDNS1123Label(ep.hostname).map((m) => fe.invalid(`${p}.hostname`, ep.hostname, m)));
    if (isObj(ep.hints)) errs.push(...validateHints(ep.hints, `${p}.hints`));
  });
  return errs;
}

function validatePorts(ports: Obj[]): FieldError[] {
  if (ports.length > MAX_PORTS) return [fe.tooMany('ports', ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = `ports[${i}]`;
    const name = String(port.name ?? '');
    if (name.length) errs.push(...isDNS1123Label(name).map((m) => fe.invalid(`${p}.name`, name, m)));
    if (names.has(name)) errs.push(fe.duplicate(`${p}.name`, name));
    else names.add(name);
    if (port.protocol === undefined || port.protocol === null) errs.push(fe.required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(fe.notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
    if (typeof port.appProtocol === 'string') errs.push(...isQualifiedName(port.appProtocol).map((m) => fe.invalid(`${p}.appProtocol`, port.appProtocol, m)));
  });
  return errs;
}

function validateEndpointSlice(s: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const addressType = typeof s.addressType === 'string' ? s.addressType : '';
  if (!addressType) errs.push(fe.required('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(fe.notSupported('addressType', addressType, ADDRESS_TYPES));
  errs.push(...validateEndpoints(list(s.endpoints), addressType));
  errs.push(...validatePorts(list(s.ports)));
  return errs;
}

/**
 * What a write through storage leaves: Go serialises the two lists without omitempty and
 * protobuf turns empty lists into nil, so an empty slice reads back as `endpoints: null` and
 * `ports: null`; `conditions` (a struct) is always present.
 */
function normalize(s: Obj): void {
  if (!list(s.endpoints).length) s.endpoints = null;
  if (!list(s.ports).length) s.ports = null;
  for (const ep of list(s.endpoints)) if (!isObj(ep.conditions)) ep.conditions = {};
}

/**
 * dropTopologyOnV1: writes through v1 cannot set deprecatedTopology; a node name it held (and
 * that the old object already had there) moves to nodeName. Unchanged endpoints keep theirs.
 */
function dropTopology(s: Obj, old?: Obj): void {
  if (old && semanticEqual(old.endpoints, s.endpoints)) return;
  const prevNodeNames = new Set<string>();
  for (const ep of list(old?.endpoints)) {
    const n = isObj(ep.deprecatedTopology) ? ep.deprecatedTopology[LABEL_HOSTNAME] : undefined;
    if (typeof n === 'string') prevNodeNames.add(n);
  }
  for (const ep of list(s.endpoints)) {
    const n = isObj(ep.deprecatedTopology) ? ep.deprecatedTopology[LABEL_HOSTNAME] : undefined;
    if (ep.nodeName === undefined && typeof n === 'string' && prevNodeNames.has(n) && !isDNS1123Subdomain(n).length) ep.nodeName = n;
    delete ep.deprecatedTopology;
  }
}

/** The object without metadata: what the generation counts, with labels. */
function content(s: Obj): Obj {
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = s;
  return rest;
}

export const endpointSliceStrategy: Strategy = {
  defaults(s) {
    // SetDefaults_EndpointPort: name "" and protocol TCP.
    for (const p of list((s as Obj).ports)) {
      if (p.name === undefined || p.name === null) p.name = '';
      if (p.protocol === undefined || p.protocol === null) p.protocol = 'TCP';
    }
  },
  prepareForCreate(s) {
    dropTopology(s as Obj);
    normalize(s as Obj);
  },
  prepareForUpdate(s, old) {
    const o = s as Obj;
    dropTopology(o, old as Obj);
    normalize(o);
    // Generation counts everything but metadata, and label changes (the store counts the former).
    const labelsChanged = !semanticEqual(s.metadata?.labels, old.metadata?.labels);
    if (labelsChanged || !semanticEqual(content(o), content(old as Obj))) s.metadata!.generation = (old.metadata?.generation ?? 1) + 1;
  },
  validate: (s) => validateEndpointSlice(s as Obj),
  validateUpdate(s, old) {
    const errs = validateEndpointSlice(s as Obj);
    const was = (old as Obj).addressType ?? '';
    if (((s as Obj).addressType ?? '') !== was) errs.push(fe.invalid('addressType', (s as Obj).addressType ?? '', FIELD_IMMUTABLE));
    return errs;
  },
  nameValidation: 'subdomain',
  tracksGeneration: true,
};
