// Endpoints: ValidateEndpoints (subsets, addresses, ports). PUT may create them, as the
// endpoints controller relies on.
import type { Strategy } from '../strategy.js';
import { fe, type FieldError } from '../validation/field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../validation/dns.js';
import { isQualifiedName, isValidIP, isValidPortNum } from '../validation/formats.js';
import { PROTOCOLS } from './container-validation.js';
import { nonSpecialIP } from './service.js';
import { list, type Obj } from './util.js';

function validateAddress(a: Obj, path: string): FieldError[] {
  const errs = isValidIP(a.ip ?? '').map((m) => fe.invalid(`${path}.ip`, a.ip ?? '', m));
  if (a.hostname) errs.push(...isDNS1123Label(a.hostname).map((m) => fe.invalid(`${path}.hostname`, a.hostname, m)));
  if (a.nodeName !== undefined) errs.push(...isDNS1123Subdomain(a.nodeName).map((m) => fe.invalid(`${path}.nodeName`, a.nodeName, m)));
  return [...errs, ...nonSpecialIP(a.ip ?? '', `${path}.ip`)];
}

function validatePort(p: Obj, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(fe.required(`${path}.name`));
  else if (p.name) errs.push(...isDNS1123Label(p.name).map((m) => fe.invalid(`${path}.name`, p.name, m)));
  errs.push(...isValidPortNum(p.port ?? 0).map((m) => fe.invalid(`${path}.port`, p.port ?? 0, m)));
  if (!p.protocol) errs.push(fe.required(`${path}.protocol`));
  else if (!PROTOCOLS.includes(p.protocol)) errs.push(fe.notSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
  if (p.appProtocol !== undefined) errs.push(...isQualifiedName(p.appProtocol).map((m) => fe.invalid(`${path}.appProtocol`, p.appProtocol, m)));
  return errs;
}

function validateEndpoints(ep: Obj): FieldError[] {
  const errs: FieldError[] = [];
  list(ep.subsets).forEach((ss, i) => {
    const p = `subsets[${i}]`;
    if (!list(ss.addresses).length && !list(ss.notReadyAddresses).length) errs.push(fe.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    list(ss.addresses).forEach((a, j) => errs.push(...validateAddress(a, `${p}.addresses[${j}]`)));
    list(ss.notReadyAddresses).forEach((a, j) => errs.push(...validateAddress(a, `${p}.notReadyAddresses[${j}]`)));
    const ports = list(ss.ports);
    ports.forEach((port, j) => errs.push(...validatePort(port, ports.length > 1, `${p}.ports[${j}]`)));
  });
  return errs;
}

export const endpointsStrategy: Strategy = {
  defaults(ep) {
    for (const ss of list(ep.subsets)) for (const p of list(ss.ports)) p.protocol ||= 'TCP';
  },
  validate: (ep) => validateEndpoints(ep),
  validateUpdate: (ep) => validateEndpoints(ep),
  nameValidation: 'subdomain',
  allowCreateOnUpdate: true,
  tracksGeneration: false,
};
