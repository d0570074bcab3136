// Services and Endpoints (describeService, describeEndpoints in describe.go).
import { ApiError, formatLabels, joinHostPort } from '@minik/api';
import { CORE, listAll, type DescribeContext } from './context.js';
import { describeEvents, eventsFor, refFor } from './events.js';
import { printAnnotationsMultiline, printLabelsMultiline, type Obj } from './format.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, tabbedString } from './writer.js';

const MAX_ENDPOINTS = 3;

/** Collects `ip:port` strings as formatEndpointSlices/formatEndpoints do: three, then `+ N more...`. */
class EndpointList {
  private list: string[] = [];
  private more = false;
  private count = 0;
  add(text: string): void {
    if (this.list.length === MAX_ENDPOINTS) this.more = true;
    if (!this.more) this.list.push(text);
    this.count++;
  }
  toString(): string {
    const s = this.list.join(',');
    return this.more ? `${s} + ${this.count - MAX_ENDPOINTS} more...` : s;
  }
}

/** formatEndpointSlices for one service port name (undefined: every port); not-ready endpoints are skipped. */
export function formatEndpointSlices(slices: Obj[], portName: string | undefined): string {
  if (!slices.length) return '<none>';
  const out = new EndpointList();
  const ready = (ep: Obj) => ep?.conditions?.ready === undefined || ep?.conditions?.ready === null || ep.conditions.ready === true;
  for (const s of slices) {
    const endpoints: Obj[] = s?.endpoints ?? [];
    if (!s?.ports?.length) {
      for (const ep of endpoints) if (ready(ep)) out.add(ep?.addresses?.[0] ?? '');
      continue;
    }
    for (const port of s.ports) {
      if (portName !== undefined && (port?.name ?? '') !== portName) continue;
      for (const ep of endpoints) if (ready(ep)) out.add(joinHostPort(ep?.addresses?.[0] ?? '', port?.port ?? 0));
    }
  }
  return out.toString();
}

/** formatEndpoints (kubectl before EndpointSlices): used when the server has no EndpointSlices. */
export function formatEndpoints(ep: Obj | undefined, portName: string | undefined): string {
  const subsets: Obj[] = ep?.subsets ?? [];
  if (!subsets.length) return '<none>';
  const out = new EndpointList();
  for (const ss of subsets) {
    const addrs: Obj[] = ss?.addresses ?? [];
    if (!ss?.ports?.length) {
      for (const a of addrs) out.add(a?.ip ?? '');
      continue;
    }
    for (const port of ss.ports) {
      if (portName !== undefined && (port?.name ?? '') !== portName) continue;
      for (const a of addrs) out.add(joinHostPort(a?.ip ?? '', port?.port ?? 0));
    }
  }
  return out.toString();
}

/** Where a Service's endpoints come from: its EndpointSlices, or its Endpoints object. */
export type EndpointSource = { slices: Obj[] } | { endpoints: Obj | undefined };

function buildIngressString(ingress: Obj[]): string {
  return ingress.map((i) => (i?.ip ? `${i.ip}${i.ipMode ? ` (${i.ipMode})` : ''}` : (i?.hostname ?? ''))).join(', ');
}

export function describeService(svc: Obj, source: EndpointSource, events: Obj[] | undefined, now: number): string {
  return tabbedString((w) => {
    const meta = svc?.metadata ?? {};
    const spec = svc?.spec ?? {};
    w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${meta.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
    w.write(LEVEL_0, `Type:\t${spec.type ?? ''}\n`);
    if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
    w.write(LEVEL_0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
    w.write(LEVEL_0, `IP:\t${spec.clusterIP ?? ''}\n`);
    w.write(LEVEL_0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
    if (spec.externalIPs?.length) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
    if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
    if (spec.externalName) w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`);
    const ingress: Obj[] = svc?.status?.loadBalancer?.ingress ?? [];
    if (ingress.length) w.write(LEVEL_0, `LoadBalancer Ingress:\t${buildIngressString(ingress)}\n`);
    for (const sp of spec.ports ?? []) {
      const name = sp?.name || '<unset>';
      const proto = sp?.protocol ?? '';
      w.write(LEVEL_0, `Port:\t${name}\t${sp?.port ?? 0}/${proto}\n`);
      const target = sp?.targetPort;
      w.write(LEVEL_0, `TargetPort:\t${target === undefined || target === null ? 0 : target}/${proto}\n`);
      if (sp?.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${sp.nodePort}/${proto}\n`);
      const eps = 'slices' in source ? formatEndpointSlices(source.slices, sp?.name ?? '') : formatEndpoints(source.endpoints, sp?.name ?? '');
      w.write(LEVEL_0, `Endpoints:\t${eps}\n`);
    }
    w.write(LEVEL_0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
    if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
    if (spec.internalTrafficPolicy) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
    if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
    if (spec.loadBalancerSourceRanges?.length) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
    if (events) describeEvents(events, w, now);
  });
}

export async function fetchService(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const svc: Obj = await ctx.client.resource(CORE('services')).get(namespace, name);
  let source: EndpointSource;
  try {
    const slices = await listAll(ctx, { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' }, namespace, {
      labelSelector: `kubernetes.io/service-name=${name}`,
    });
    source = { slices };
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 404)) source = { slices: [] };
    else source = { endpoints: await ctx.client.resource(CORE('endpoints')).get(namespace, name).catch(() => undefined) };
  }
  const events = await eventsFor(ctx, refFor(svc, 'Service'));
  return describeService(svc, source, events, ctx.now);
}

export function describeEndpoints(ep: Obj, events: Obj[] | undefined, now: number): string {
  return tabbedString((w) => {
    const meta = ep?.metadata ?? {};
    w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${meta.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    w.write(LEVEL_0, 'Subsets:\n');
    for (const ss of ep?.subsets ?? []) {
      const ips = (list: Obj[] | undefined) => (list ?? []).map((a) => a?.ip ?? '').join(',') || '<none>';
      w.write(LEVEL_1, `Addresses:\t${ips(ss?.addresses)}\n`);
      w.write(LEVEL_1, `NotReadyAddresses:\t${ips(ss?.notReadyAddresses)}\n`);
      if (ss?.ports?.length) {
        w.write(LEVEL_1, 'Ports:\n');
        w.write(LEVEL_2, 'Name\tPort\tProtocol\n');
        w.write(LEVEL_2, '----\t----\t--------\n');
        for (const p of ss.ports) w.write(LEVEL_2, `${p?.name || '<unset>'}\t${p?.port ?? 0}\t${p?.protocol ?? ''}\n`);
      }
      w.write(LEVEL_0, '\n');
    }
    if (events) describeEvents(events, w, now);
  });
}

export async function fetchEndpoints(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  const ep: Obj = await ctx.client.resource(CORE('endpoints')).get(namespace, name);
  const events = await eventsFor(ctx, refFor(ep, 'Endpoints'));
  return describeEndpoints(ep, events, ctx.now);
}
