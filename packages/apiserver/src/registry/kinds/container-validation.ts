// Containers (validateContainers, validateInitContainers, validateContainerCommon and what they
// call): names, images, ports, probes, lifecycle handlers, resources, security contexts.
import { Quantity } from '@minik/api';
import { fe, type FieldError } from '../validation/field-errors.js';
import { isDNS1123Label, inclusiveRangeError } from '../validation/dns.js';
import { isHTTPHeaderName, isQualifiedName, isValidPortName, isValidPortNum } from '../validation/formats.js';
import { validateEnv, validateEnvFrom } from './env-validation.js';
import { localDescendingPath, validateVolumeDevices, validateVolumeMounts } from './volume-validation.js';
import { isObj, list, type Obj } from './util.js';

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const MAX_INT32 = 2147483647;
const NONNEG = 'must be greater than or equal to 0';

export interface Volumes {
  names: Set<string>;
  sources: Map<string, Obj>;
}

/** ValidatePortNumOrName: an int-or-string port. */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => fe.invalid(path, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => fe.invalid(path, port, m));
  return isValidPortNum(0).map((m) => fe.invalid(path, 0, m));
}

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list(ports).forEach((port, i) => {
    const p = `${path}[${i}]`;
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) errs.push(...msgs.map((m) => fe.invalid(`${p}.name`, port.name, m)));
      else if (names.has(port.name)) errs.push(fe.duplicate(`${p}.name`, port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(fe.required(`${p}.containerPort`));
    else errs.push(...isValidPortNum(port.containerPort).map((m) => fe.invalid(`${p}.containerPort`, port.containerPort, m)));
    if (port.hostPort) errs.push(...isValidPortNum(port.hostPort).map((m) => fe.invalid(`${p}.hostPort`, port.hostPort, m)));
    if (!port.protocol) errs.push(fe.required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(fe.notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
  });
  return errs;
}

/** validateHandler: exactly one action; probes allow grpc, lifecycle hooks allow sleep. */
function validateHandler(h: Obj, path: string, kinds: string[], gracePeriod: number | undefined): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of kinds) {
    const a = h[kind];
    if (!isObj(a)) continue;
    if (n > 0) {
      errs.push(fe.forbidden(`${path}.${kind}`, 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    const p = `${path}.${kind}`;
    if (kind === 'exec' && !list(a.command).length) errs.push(fe.required(`${p}.command`));
    if (kind === 'httpGet') {
      if (!a.path) errs.push(fe.required(`${p}.path`));
      errs.push(...validatePortNumOrName(a.port, `${p}.port`));
      if (!['HTTP', 'HTTPS'].includes(a.scheme)) errs.push(fe.notSupported(`${p}.scheme`, a.scheme ?? '', ['HTTP', 'HTTPS']));
      for (const hd of list(a.httpHeaders)) errs.push(...isHTTPHeaderName(hd.name ?? '').map((m) => fe.invalid(`${p}.httpHeaders`, hd.name ?? '', m)));
    }
    if (kind === 'tcpSocket') errs.push(...validatePortNumOrName(a.port, `${p}.port`));
    if (kind === 'grpc') errs.push(...validatePortNumOrName(a.port ?? 0, `${p}.port`));
    if (kind === 'sleep') {
      const s = a.seconds ?? 0;
      if (s <= 0 || (gracePeriod !== undefined && s > gracePeriod)) {
        errs.push(fe.invalid(`${p}.seconds`, s, `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod ?? 30})`));
      }
    }
  }
  if (n === 0) errs.push(fe.required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: Obj | undefined, path: string, gracePeriod: number | undefined): FieldError[] {
  if (!isObj(probe)) return [];
  const errs = validateHandler(probe, path, ['exec', 'httpGet', 'tcpSocket', 'grpc'], gracePeriod);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    if ((probe[f] ?? 0) < 0) errs.push(fe.invalid(`${path}.${f}`, probe[f], NONNEG));
  }
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(fe.invalid(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return errs;
}

function validateProbes(c: Obj, path: string, gracePeriod: number | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (isObj(c.lifecycle)) {
    for (const hook of ['postStart', 'preStop']) {
      if (isObj(c.lifecycle[hook])) errs.push(...validateHandler(c.lifecycle[hook], `${path}.lifecycle.${hook}`, ['exec', 'httpGet', 'tcpSocket', 'sleep'], gracePeriod));
    }
  }
  if (isObj(c.livenessProbe)) {
    errs.push(...validateProbe(c.livenessProbe, `${path}.livenessProbe`, gracePeriod));
    if (c.livenessProbe.successThreshold !== 1) errs.push(fe.invalid(`${path}.livenessProbe.successThreshold`, c.livenessProbe.successThreshold ?? 0, 'must be 1'));
  }
  if (isObj(c.readinessProbe)) {
    errs.push(...validateProbe(c.readinessProbe, `${path}.readinessProbe`, gracePeriod));
    if (c.readinessProbe.terminationGracePeriodSeconds !== undefined) {
      errs.push(fe.invalid(`${path}.readinessProbe.terminationGracePeriodSeconds`, c.readinessProbe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
    }
  }
  if (isObj(c.startupProbe)) {
    errs.push(...validateProbe(c.startupProbe, `${path}.startupProbe`, gracePeriod));
    if (c.startupProbe.successThreshold !== 1) errs.push(fe.invalid(`${path}.startupProbe.successThreshold`, c.startupProbe.successThreshold ?? 0, 'must be 1'));
  }
  return errs;
}

// --- resources ---

const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];
const isHugePages = (n: string) => n.startsWith('hugepages-');
const isNative = (n: string) => !n.includes('/') || n.includes('kubernetes.io/');
const isExtended = (n: string) => !isNative(n) && !n.startsWith('requests.') && !isQualifiedName(`requests.${n}`).length;
const overcommitAllowed = (n: string) => isNative(n) && !isHugePages(n);
const STANDARD_RESOURCES = new Set([
  ...STANDARD_CONTAINER_RESOURCES, 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps',
  'persistentvolumeclaims', 'storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'requests.storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'services.nodeports', 'services.loadbalancers',
]);

function validateResourceName(name: string, path: string): FieldError[] {
  let errs = isQualifiedName(name).map((m) => fe.invalid(path, name, m));
  if (!errs.length && !name.includes('/') && !STANDARD_RESOURCES.has(name) && !isHugePages(name)) {
    errs = [fe.invalid(path, name, 'must be a standard resource type or fully qualified')];
  }
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.includes(name) && !isHugePages(name)) errs.push(fe.invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNative(name) && !isExtended(name)) {
    errs.push(fe.invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** A decoded quantity; malformed ones (already a decode error) count as zero. */
const quantity = (q: unknown): Quantity => Quantity.fromJSON(q) ?? Quantity.zero();

function validateQuantityValue(name: string, q: unknown, path: string): FieldError[] {
  const v = quantity(q);
  const errs: FieldError[] = [];
  if (v.sign() < 0) errs.push(fe.invalid(path, String(q), NONNEG));
  if (isExtended(name) && v.scaledValue(-3) % 1000n !== 0n) errs.push(fe.invalid(path, String(q), 'must be an integer'));
  return errs;
}

export function validateResources(r: Obj | undefined, path: string): FieldError[] {
  if (!isObj(r)) return [];
  const errs: FieldError[] = [];
  const limits: Obj = isObj(r.limits) ? r.limits : {};
  const requests: Obj = isObj(r.requests) ? r.requests : {};
  let cpuOrMem = false;
  let huge = false;
  for (const [name, q] of Object.entries(limits)) {
    const p = `${path}.limits[${name}]`;
    errs.push(...validateResourceName(name, p), ...validateQuantityValue(name, q, p));
    if (isHugePages(name)) huge = true;
    if (name === 'cpu' || name === 'memory') cpuOrMem = true;
  }
  for (const [name, q] of Object.entries(requests)) {
    const p = `${path}.requests[${name}]`;
    errs.push(...validateResourceName(name, p), ...validateQuantityValue(name, q, p));
    if (name in limits) {
      const cmp = quantity(q).cmp(quantity(limits[name]));
      if (cmp !== 0 && !overcommitAllowed(name)) errs.push(fe.invalid(`${path}.requests`, String(q), `must be equal to ${name} limit of ${limits[name]}`));
      else if (cmp > 0) errs.push(fe.invalid(`${path}.requests`, String(q), `must be less than or equal to ${name} limit of ${limits[name]}`));
    } else if (!overcommitAllowed(name)) {
      errs.push(fe.required(`${path}.limits`, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePages(name)) huge = true;
    if (name === 'cpu' || name === 'memory') cpuOrMem = true;
  }
  if (huge && !cpuOrMem) errs.push(fe.forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}

// --- security contexts ---

const SECCOMP_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];

export function validateSeccompProfile(sp: Obj | undefined, path: string): FieldError[] {
  if (!isObj(sp)) return [];
  const errs: FieldError[] = [];
  if (!sp.type) errs.push(fe.required(`${path}.type`, 'type is required when seccompProfile is set'));
  else if (!SECCOMP_TYPES.includes(sp.type)) errs.push(fe.notSupported(`${path}.type`, sp.type, SECCOMP_TYPES));
  if (sp.type === 'Localhost') {
    if (sp.localhostProfile === undefined) errs.push(fe.required(`${path}.localhostProfile`, 'must be set when seccomp type is Localhost'));
    else errs.push(...localDescendingPath(sp.localhostProfile, `${path}.localhostProfile`));
  } else if (sp.localhostProfile !== undefined) {
    errs.push(fe.invalid(`${path}.localhostProfile`, sp, 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

export function validateAppArmorProfile(ap: Obj | undefined, path: string): FieldError[] {
  if (!isObj(ap)) return [];
  const errs: FieldError[] = [];
  if (!ap.type) errs.push(fe.required(`${path}.type`, 'type is required when appArmorProfile is set'));
  else if (!SECCOMP_TYPES.includes(ap.type)) errs.push(fe.notSupported(`${path}.type`, ap.type, SECCOMP_TYPES));
  if (ap.type === 'Localhost') {
    if (!ap.localhostProfile) errs.push(fe.required(`${path}.localhostProfile`, 'must be set when AppArmor type is Localhost'));
  } else if (ap.localhostProfile !== undefined) {
    errs.push(fe.invalid(`${path}.localhostProfile`, ap.localhostProfile, 'can only be set when AppArmor type is Localhost'));
  }
  return errs;
}

export const idRange = (v: unknown, path: string): FieldError[] =>
  typeof v === 'number' && (v < 0 || v > MAX_INT32) ? [fe.invalid(path, v, inclusiveRangeError(0, MAX_INT32))] : [];

function validateSecurityContext(sc: Obj | undefined, path: string): FieldError[] {
  if (!isObj(sc)) return [];
  const errs: FieldError[] = [...idRange(sc.runAsUser, `${path}.runAsUser`), ...idRange(sc.runAsGroup, `${path}.runAsGroup`)];
  if (sc.procMount !== undefined && !['Default', 'Unmasked'].includes(sc.procMount)) errs.push(fe.notSupported(`${path}.procMount`, sc.procMount, ['Default', 'Unmasked']));
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`), ...validateAppArmorProfile(sc.appArmorProfile, `${path}.appArmorProfile`));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged) errs.push(fe.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    if (list<string>(sc.capabilities?.add).includes('CAP_SYS_ADMIN')) {
      errs.push(fe.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  return errs;
}

/** validateContainerCommon: what applies to regular and init containers alike. */
function validateContainerCommon(c: Obj, vols: Volumes, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(fe.required(`${path}.name`));
  else errs.push(...isDNS1123Label(c.name).map((m) => fe.invalid(`${path}.name`, c.name, m)));
  if (!c.image) errs.push(fe.required(`${path}.image`));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(fe.required(`${path}.terminationMessagePolicy`, "must be 'File' or 'FallbackToLogsOnError'"));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errs.push(fe.invalid(`${path}.terminationMessagePolicy`, tmp, "must be 'File' or 'FallbackToLogsOnError'"));
  errs.push(
    ...validatePorts(c.ports, `${path}.ports`),
    ...validateEnv(c.env, `${path}.env`),
    ...validateEnvFrom(c.envFrom, `${path}.envFrom`),
    ...validateVolumeMounts(c, vols.names, `${path}.volumeMounts`),
    ...validateVolumeDevices(c, vols.sources, `${path}.volumeDevices`),
  );
  if (!c.imagePullPolicy) errs.push(fe.required(`${path}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(fe.notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  errs.push(...validateResources(c.resources, `${path}.resources`), ...validateSecurityContext(c.securityContext, `${path}.securityContext`));
  return errs;
}

/** AccumulateUniqueHostPorts: protocol/hostIP/hostPort must not repeat. */
function hostPortConflicts(containers: Obj[], path: string, seen = new Set<string>()): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    list(c.ports).forEach((p, pi) => {
      if (!p.hostPort) return;
      const key = `${p.protocol ?? ''}/${p.hostIP ?? ''}/${p.hostPort}`;
      if (seen.has(key)) errs.push(fe.duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

export function validateContainers(containers: unknown, vols: Volumes, path: string, gracePeriod: number | undefined): FieldError[] {
  const cs = list(containers);
  if (!cs.length) return [fe.required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  cs.forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, vols, p));
    if (names.has(c.name)) errs.push(fe.duplicate(`${p}.name`, c.name));
    else names.add(c.name);
    errs.push(...validateProbes(c, p, gracePeriod));
    if (c.restartPolicy !== undefined) errs.push(fe.forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  return [...errs, ...hostPortConflicts(cs, path)];
}

export function validateInitContainers(containers: unknown, regular: unknown, vols: Volumes, path: string, gracePeriod: number | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>(list(regular).map((c) => c.name));
  list(containers).forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, vols, p));
    const sidecar = c.restartPolicy === 'Always';
    if (c.restartPolicy !== undefined && !sidecar) errs.push(fe.notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
    if (names.has(c.name)) errs.push(fe.duplicate(`${p}.name`, c.name));
    else if (c.name) names.add(c.name);
    // Init containers run one at a time, so host ports only conflict within one.
    errs.push(...hostPortConflicts([c], path).map((e) => ({ ...e, field: e.field.replace(`${path}[0]`, p) })));
    if (sidecar) errs.push(...validateProbes(c, p, gracePeriod));
    else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[f] !== undefined) errs.push(fe.forbidden(`${p}.${f}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}
