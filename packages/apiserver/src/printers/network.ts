// Service, Endpoints and Ingress.
import { formatLabels, joinHostPort } from '@minik/api';
import { AGE, NAME, NONE, ageOf, col, loadBalancerCell, nameOf, printer, wide } from './helpers.js';
import { DOC } from './descriptions.js';
import type { Endpoints, Ingress, Service, ServicePort } from './shapes.js';

// ---- Service ---------------------------------------------------------------------------

const serviceColumns = [
  NAME,
  col('Type', 'string', DOC['ServiceSpec.type']),
  col('Cluster-IP', 'string', DOC['ServiceSpec.clusterIP']),
  col('External-IP', 'string', DOC['ServiceSpec.externalIPs']),
  col('Port(s)', 'string', DOC['ServiceSpec.ports']),
  AGE,
  col('Selector', 'string', DOC['ServiceSpec.selector'], wide),
];

/** `<none>` / `<pending>` / the external or load-balancer addresses / the ExternalName. */
export function serviceExternalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const externalIPs = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : NONE;
    case 'LoadBalancer': {
      const lb = loadBalancerCell(svc.status?.loadBalancer?.ingress);
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
  }
  return '<unknown>';
}

/** `80/TCP`, `80:30001/TCP`, `53/UDP,53/TCP,9153/TCP`. */
export function servicePorts(ports: ServicePort[] | undefined): string {
  return (ports ?? [])
    .map((p) => {
      const proto = p.protocol ?? 'TCP'; // defaulted by the apiserver
      return p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${proto}` : `${p.port}/${proto}`;
    })
    .join(',');
}

export const servicePrinter = printer<Service>(serviceColumns, (svc, now) => {
  const spec = svc.spec ?? {};
  // clusterIPs[0] is what Kubernetes prints (`None` for headless); older objects only carry clusterIP.
  const clusterIP = spec.clusterIPs?.length ? spec.clusterIPs[0] : spec.clusterIP || NONE;
  return [nameOf(svc), spec.type ?? 'ClusterIP', clusterIP, serviceExternalIP(svc), servicePorts(spec.ports) || NONE, ageOf(svc, now), formatLabels(spec.selector)];
});

// ---- Endpoints -------------------------------------------------------------------------

const endpointsColumns = [NAME, col('Endpoints', 'string', DOC['Endpoints.subsets']), AGE];

/** `ip:port,...`, at most 3 then ` + N more...`; `<none>` without subsets. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return NONE;
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      // headless services may have no ports
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip ?? '');
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip ?? '', port.port ?? 0));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export const endpointsPrinter = printer<Endpoints>(endpointsColumns, (ep, now) => [nameOf(ep), formatEndpoints(ep), ageOf(ep, now)]);

// ---- Ingress ---------------------------------------------------------------------------

const ingressColumns = [
  NAME,
  col('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
  col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
  col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
  col('Ports', 'string', 'Ports of TLS configurations that open'),
  AGE,
];

function formatHosts(rules: { host?: string }[]): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const ret = list.join(',');
  return more ? `${ret} + ${rules.length - max} more...` : ret;
}

export const ingressPrinter = printer<Ingress>(ingressColumns, (ing, now) => [
  nameOf(ing),
  ing.spec?.ingressClassName ?? NONE,
  formatHosts(ing.spec?.rules ?? []),
  loadBalancerCell(ing.status?.loadBalancer?.ingress),
  ing.spec?.tls?.length ? '80, 443' : '80',
  ageOf(ing, now),
]);
