// Service: SetDefaults_Service, ValidateService / ValidateServiceUpdate, and the parts of
// pkg/registry/core/service that are not allocation (the store allocates clusterIPs and
// nodePorts): syncing clusterIP with clusterIPs, keeping allocated values on a PUT that omits
// them, and dropping them when the type no longer uses them.
import type { Strategy } from '../strategy.js';
import type { NameFormatted } from '../validation/meta.js';
import { fe, type FieldError } from '../validation/field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../validation/dns.js';
import { ipFamily, isQualifiedName, isValidIP, isValidPortNum } from '../validation/formats.js';
import { validateLabels } from '../validation/meta.js';
import { PROTOCOLS, validatePortNumOrName } from './container-validation.js';
import { child, goIntOrString, isObj, list, type Obj } from './util.js';

/** The default --service-node-port-range, which the allocator enforces. */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 };
const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const KUBELET_PORT = 10250;
const MAX_CLIENT_IP_TIMEOUT = 86400;

const isHeadless = (spec: Obj) => list<string>(spec.clusterIPs)[0] === 'None' || spec.clusterIP === 'None';
const externallyAccessible = (spec: Obj) =>
  spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && list(spec.externalIPs).length > 0);
const needsClusterIP = (spec: Obj) => spec.type !== 'ExternalName';
const needsNodePort = (spec: Obj) => spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
const needsInternalTrafficPolicy = (spec: Obj) => ['ClusterIP', 'NodePort', 'LoadBalancer'].includes(spec.type);
const needsHealthCheck = (spec: Obj) => spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
const specOf = (o: Obj): Obj => (isObj(o.spec) ? o.spec : {});
const sameList = (a: unknown, b: unknown) => JSON.stringify(list(a)) === JSON.stringify(list(b));

function defaults(svc: Obj): void {
  const spec = child(svc, 'spec');
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  spec.type ||= 'ClusterIP';
  for (const p of list(spec.ports)) {
    p.protocol ||= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (needsInternalTrafficPolicy(spec)) spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  // The IP family fields are set by kube-apiserver's allocator; minik is single-stack.
  if (needsClusterIP(spec)) {
    const first = list<string>(spec.clusterIPs)[0] ?? spec.clusterIP;
    spec.ipFamilies ??= [first && ipFamily(first) === 6 ? 'IPv6' : 'IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
}

/** normalizeClusterIPs: clients may set clusterIP alone (old ones) or both. */
function normalizeClusterIPs(spec: Obj, old?: Obj): void {
  if (!old) {
    if (spec.clusterIP && !list(spec.clusterIPs).length) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  if (list(old.clusterIPs).length && !list(spec.clusterIPs).length && old.clusterIP === spec.clusterIP) spec.clusterIPs = old.clusterIPs;
  if ((old.clusterIP ?? '') !== (spec.clusterIP ?? '')) {
    if (old.clusterIP && !spec.clusterIP && sameList(old.clusterIPs, spec.clusterIPs)) delete spec.clusterIPs;
    if (spec.clusterIP && sameList(old.clusterIPs, spec.clusterIPs)) spec.clusterIPs = [spec.clusterIP];
  }
}

/** patchAllocatedValues: a PUT that omits allocated values keeps them. */
function patchAllocated(spec: Obj, old: Obj): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    spec.clusterIP ||= old.clusterIP;
    if (!list(spec.clusterIPs).length && list(old.clusterIPs).length) spec.clusterIPs = old.clusterIPs;
  }
  if (needsNodePort(old) && needsNodePort(spec)) {
    const used = new Set(list(spec.ports).map((p) => p.nodePort).filter(Boolean));
    const byName = new Map<string, number>(list(old.ports).map((p) => [p.name ?? '', p.nodePort]));
    for (const p of list(spec.ports)) {
      const was = byName.get(p.name ?? '');
      if (!p.nodePort && was && !used.has(was)) p.nodePort = was;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(spec) && !spec.healthCheckNodePort) spec.healthCheckNodePort = old.healthCheckNodePort;
}

/** dropTypeDependentFields: values the old type used and the new one does not, if unchanged. */
function dropTypeDependent(spec: Obj, old: Obj): void {
  if (needsClusterIP(old) && !needsClusterIP(spec)) {
    if (spec.clusterIP === old.clusterIP) delete spec.clusterIP;
    if (sameList(spec.clusterIPs, old.clusterIPs)) delete spec.clusterIPs;
    if (sameList(spec.ipFamilies, old.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === old.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(spec)) {
    const oldPorts = new Set(list(old.ports).map((p) => p.nodePort));
    for (const p of list(spec.ports)) if (p.nodePort && oldPorts.has(p.nodePort)) delete p.nodePort;
  }
  if (needsHealthCheck(old) && !needsHealthCheck(spec) && spec.healthCheckNodePort === old.healthCheckNodePort) delete spec.healthCheckNodePort;
  if (externallyAccessible(old) && !externallyAccessible(spec) && spec.externalTrafficPolicy === old.externalTrafficPolicy) delete spec.externalTrafficPolicy;
  if (needsInternalTrafficPolicy(old) && !needsInternalTrafficPolicy(spec) && spec.internalTrafficPolicy === old.internalTrafficPolicy) delete spec.internalTrafficPolicy;
  if (old.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === old.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if (spec.loadBalancerClass === old.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (old.type === 'ExternalName' && spec.type !== 'ExternalName' && spec.externalName === old.externalName) delete spec.externalName;
}

/** ValidateNonSpecialIP */
export function nonSpecialIP(ip: string, path: string): FieldError[] {
  if (!ipFamily(ip)) return [fe.invalid(path, ip, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const v4 = ip.split('.').map(Number);
  const lower = ip.toLowerCase();
  if (ip === '0.0.0.0' || lower === '::') errs.push(fe.invalid(path, ip, `may not be unspecified (${ip})`));
  if (v4[0] === 127 || lower === '::1') errs.push(fe.invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if ((v4[0] === 169 && v4[1] === 254) || /^fe[89ab]/.test(lower)) errs.push(fe.invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if ((v4[0] === 224 && v4[1] === 0 && v4[2] === 0) || lower.startsWith('ff02:')) {
    errs.push(fe.invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
  return errs;
}

function goServicePort(p: Obj): string {
  return `core.ServicePort{Name:"", Protocol:${JSON.stringify(p.protocol ?? '')}, AppProtocol:(*string)(nil), Port:${p.port ?? 0}, TargetPort:${goIntOrString(0)}, NodePort:0}`;
}

function validatePort(sp: Obj, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) errs.push(fe.required(`${path}.name`));
  else if (sp.name) {
    errs.push(...isDNS1123Label(sp.name).map((m) => fe.invalid(`${path}.name`, sp.name, m)));
    if (names.has(sp.name)) errs.push(fe.duplicate(`${path}.name`, sp.name));
    else names.add(sp.name);
  }
  errs.push(...isValidPortNum(sp.port ?? 0).map((m) => fe.invalid(`${path}.port`, sp.port ?? 0, m)));
  if (!sp.protocol) errs.push(fe.required(`${path}.protocol`));
  else if (!PROTOCOLS.includes(sp.protocol)) errs.push(fe.notSupported(`${path}.protocol`, sp.protocol, PROTOCOLS));
  errs.push(...validatePortNumOrName(sp.targetPort, `${path}.targetPort`));
  if (sp.appProtocol !== undefined) errs.push(...isQualifiedName(sp.appProtocol).map((m) => fe.invalid(`${path}.appProtocol`, sp.appProtocol, m)));
  return errs;
}

/** ValidateServiceClusterIPsRelatedFields */
function validateClusterIPs(spec: Obj): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = list<string>(spec.clusterIPs);
  if (spec.clusterIP) {
    if (!ips.length) errs.push(fe.required('spec.clusterIPs'));
    else if (ips[0] !== spec.clusterIP) errs.push(fe.invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length) {
    errs.push(fe.invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  }
  const families = list<string>(spec.ipFamilies);
  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(fe.notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
    if (seen.has(f)) errs.push(fe.duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  const policies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
  if (spec.ipFamilyPolicy !== undefined && !policies.includes(spec.ipFamilyPolicy)) errs.push(fe.notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, policies));
  let badIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        badIPs = true;
        errs.push(fe.invalid('spec.clusterIPs', ips, "'None' must be the first and only value"));
      }
      return;
    }
    const msgs = isValidIP(ip);
    if (msgs.length) badIPs = true;
    errs.push(...msgs.map((m) => fe.invalid(`spec.clusterIPs[${i}]`, ip, m)));
  });
  if (ips.length > 2) errs.push(fe.invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  if (badIPs) return errs;
  if (ips.length > 1 && ipFamily(ips[0]) === ipFamily(ips[1])) errs.push(fe.invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'));
  if (!isHeadless(spec)) {
    ips.slice(0, families.length).forEach((ip, i) => {
      const six = ipFamily(ip) === 6;
      if (families[i] === 'IPv4' && six) errs.push(fe.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && !six) errs.push(fe.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

/** ValidateService (metadata is the store's). */
function validateService(svc: Obj): FieldError[] {
  const spec = specOf(svc);
  const ports = list(spec.ports);
  const errs: FieldError[] = [];
  if (!ports.length && !isHeadless(spec) && spec.type !== 'ExternalName') errs.push(fe.required('spec.ports'));
  switch (spec.type) {
    case 'LoadBalancer':
      ports.forEach((p, i) => {
        if (p.port === KUBELET_PORT) errs.push(fe.invalid(`spec.ports[${i}]`, p.port, `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`));
      });
      if (isHeadless(spec)) errs.push(fe.invalid('spec.clusterIPs[0]', list(spec.clusterIPs)[0] ?? 'None', "may not be set to 'None' for LoadBalancer services"));
      break;
    case 'NodePort':
      if (isHeadless(spec)) errs.push(fe.invalid('spec.clusterIPs[0]', list(spec.clusterIPs)[0] ?? 'None', "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      if (list(spec.clusterIPs).length) errs.push(fe.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (list(spec.ipFamilies).length) errs.push(fe.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy !== undefined) errs.push(fe.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      const cname = String(spec.externalName ?? '').replace(/\.$/, '');
      if (cname) errs.push(...isDNS1123Subdomain(cname).map((m) => fe.invalid('spec.externalName', cname, m)));
      else errs.push(fe.required('spec.externalName'));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validatePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (isObj(spec.selector)) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  const sa = spec.sessionAffinity;
  if (!sa) errs.push(fe.required('spec.sessionAffinity'));
  else if (sa !== 'ClientIP' && sa !== 'None') errs.push(fe.notSupported('spec.sessionAffinity', sa, ['ClientIP', 'None']));
  if (sa === 'ClientIP') {
    const cfg = spec.sessionAffinityConfig;
    const why = 'when session affinity type is ClientIP';
    if (!isObj(cfg)) errs.push(fe.required('spec.sessionAffinityConfig', why));
    else if (!isObj(cfg.clientIP)) errs.push(fe.required('spec.sessionAffinityConfig.clientIP', why));
    else if (cfg.clientIP.timeoutSeconds === undefined) errs.push(fe.required('spec.sessionAffinityConfig.clientIP.timeoutSeconds', why));
    else if (cfg.clientIP.timeoutSeconds <= 0 || cfg.clientIP.timeoutSeconds > MAX_CLIENT_IP_TIMEOUT) {
      errs.push(fe.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', cfg.clientIP.timeoutSeconds, `must be greater than 0 and less than ${MAX_CLIENT_IP_TIMEOUT}`));
    }
  } else if (sa === 'None' && spec.sessionAffinityConfig !== undefined) {
    errs.push(fe.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  errs.push(...validateClusterIPs(spec));
  list<string>(spec.externalIPs).forEach((ip, i) => {
    const msgs = isValidIP(ip);
    errs.push(...(msgs.length ? msgs.map((m) => fe.invalid(`spec.externalIPs[${i}]`, ip, m)) : nonSpecialIP(ip, `spec.externalIPs[${i}]`)));
  });
  if (!spec.type) errs.push(fe.required('spec.type'));
  else if (!TYPES.includes(spec.type)) errs.push(fe.notSupported('spec.type', spec.type, TYPES));
  if (spec.type === 'ClusterIP') {
    ports.forEach((p, i) => p.nodePort && errs.push(fe.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'")));
  }
  // The allocator's range check, reported as kube-apiserver does when a nodePort is requested.
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    ports.forEach((p, i) => {
      if (p.nodePort && (p.nodePort < NODE_PORT_RANGE.min || p.nodePort > NODE_PORT_RANGE.max)) {
        errs.push(fe.invalid(`spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`));
      }
    });
  }
  const nodePorts = new Set<string>();
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    if (p.nodePort) {
      const k = `${p.protocol}/${p.nodePort}`;
      if (nodePorts.has(k)) errs.push(fe.duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
      nodePorts.add(k);
    }
  });
  ports.forEach((p, i) => {
    const k = `${p.protocol}/${p.port}`;
    if (portKeys.has(k)) errs.push({ ...fe.duplicate(`spec.ports[${i}]`, p), valueText: goServicePort(p) });
    portKeys.add(k);
  });
  if (list(spec.loadBalancerSourceRanges).length && spec.type !== 'LoadBalancer') {
    errs.push(fe.forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.type !== 'LoadBalancer') {
    errs.push(fe.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) errs.push(fe.required('allocateLoadBalancerNodePorts'));
  if (spec.loadBalancerClass !== undefined) {
    if (spec.type !== 'LoadBalancer') errs.push(fe.forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
    else errs.push(...isQualifiedName(spec.loadBalancerClass).map((m) => fe.invalid('spec.loadBalancerClass', spec.loadBalancerClass, m)));
  }
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) errs.push(fe.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!spec.externalTrafficPolicy) errs.push(fe.required('spec.externalTrafficPolicy'));
  else if (!['Cluster', 'Local'].includes(spec.externalTrafficPolicy)) errs.push(fe.notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']));
  if (!needsHealthCheck(spec)) {
    if (spec.healthCheckNodePort) {
      errs.push(fe.invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  } else if (spec.healthCheckNodePort) {
    errs.push(...isValidPortNum(spec.healthCheckNodePort).map((m) => fe.invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, m)));
  }
  if (spec.internalTrafficPolicy === undefined) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) errs.push(fe.required('spec.internalTrafficPolicy'));
  } else if (!['Cluster', 'Local'].includes(spec.internalTrafficPolicy)) {
    errs.push(fe.notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  return errs;
}

/** validateUpgradeDowngradeClusterIPs / IPFamilies: the primary values never change. */
function validateIPChanges(spec: Obj, old: Obj): FieldError[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName') return [];
  if (isHeadless(spec) && isHeadless(old)) return [];
  const errs: FieldError[] = [];
  const now = list<string>(spec.clusterIPs);
  const before = list<string>(old.clusterIPs);
  if (now.length === before.length) {
    before.forEach((ip, i) => ip !== now[i] && errs.push(fe.invalid(`spec.clusterIPs[${i}]`, now, 'may not change once set')));
  } else if (before.length > now.length) {
    if (!now.length) errs.push(fe.invalid('spec.clusterIPs[0]', now, 'primary clusterIP can not be unset'));
    else if (now[0] !== before[0]) errs.push(fe.invalid('spec.clusterIPs[0]', now, 'may not change once set'));
    if (now.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(fe.invalid('spec.clusterIPs[0]', now, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (before.length && now[0] !== before[0]) {
    errs.push(fe.invalid('spec.clusterIPs[0]', now, 'may not change once set'));
  }
  const fNow = list<string>(spec.ipFamilies);
  const fBefore = list<string>(old.ipFamilies);
  if (fBefore.length && fNow.length && fNow[0] !== fBefore[0]) errs.push(fe.invalid('spec.ipFamilies[0]', fNow, 'may not change once set'));
  if (fBefore.length && !fNow.length) errs.push(fe.invalid('spec.ipFamilies[0]', fNow, 'primary ipFamily can not be unset'));
  return errs;
}

export const serviceStrategy: Strategy & NameFormatted = {
  defaults,
  prepareForCreate(svc) {
    svc.status = { loadBalancer: {} };
    const spec = child(svc, 'spec');
    // Alpha in 1.30 (ServiceTrafficDistribution off by default): dropped.
    delete spec.trafficDistribution;
    normalizeClusterIPs(spec);
  },
  prepareForUpdate(svc, old) {
    svc.status = old.status;
    const spec = child(svc, 'spec');
    const os = specOf(old);
    if (os.trafficDistribution === undefined) delete spec.trafficDistribution;
    patchAllocated(spec, os);
    normalizeClusterIPs(spec, os);
    dropTypeDependent(spec, os);
    // A load balancer's status goes with the type (de-provisioning is not the user's concern).
    if (spec.type !== 'LoadBalancer') svc.status = { ...((old.status as Obj) ?? {}), loadBalancer: {} };
  },
  validate(svc) {
    return validateService(svc);
  },
  validateUpdate(svc, old) {
    const spec = specOf(svc);
    const os = specOf(old);
    const errs = validateIPChanges(spec, os);
    if (os.loadBalancerClass !== undefined && spec.type === 'LoadBalancer' && os.type === 'LoadBalancer' && spec.loadBalancerClass !== os.loadBalancerClass) {
      errs.push(fe.invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
    }
    if (needsHealthCheck(os) && needsHealthCheck(spec) && spec.healthCheckNodePort !== os.healthCheckNodePort) {
      errs.push(fe.forbidden('spec.healthCheckNodePort', 'field is immutable'));
    }
    return [...errs, ...validateService(svc)];
  },
  prepareForStatusUpdate(svc, old) {
    svc.spec = old.spec;
  },
  validateStatusUpdate(svc) {
    const errs: FieldError[] = [];
    list((svc.status as Obj)?.loadBalancer?.ingress).forEach((ing, i) => {
      const p = `status.loadBalancer.ingress[${i}]`;
      if (ing.ip && !ipFamily(ing.ip)) errs.push(fe.invalid(`${p}.ip`, ing.ip, 'must be a valid IP address'));
      if (ing.hostname) {
        errs.push(...isDNS1123Subdomain(ing.hostname).map((m) => fe.invalid(`${p}.hostname`, ing.hostname, m)));
        if (ipFamily(ing.hostname)) errs.push(fe.invalid(`${p}.hostname`, ing.hostname, 'must be a DNS name, not an IP address'));
      }
    });
    return errs;
  },
  // ValidateServiceName is NameIsDNS1035Label; the Strategy type only knows 'label'.
  nameValidation: 'label',
  nameFormat: 'dns1035-label',
  tracksGeneration: false,
};
