// `minik expose TYPE NAME | -f FILE [--port] [--target-port] [--protocol] [--type] [--name] ...`:
// a Service for a pod, service, deployment, replica set or replication controller, its
// selector, ports and labels taken from that object as kubectl 1.32's expose does.
import { groupVersion, type KubeObject } from '@minik/api';
import { CliError, formatError } from '../../errors.js';
import { readManifests } from '../../manifest.js';
import type { ApiResource } from '../../discovery.js';
import { asArray, parseDryRun, parseTargets } from '../common.js';
import type { GenAction, GenContext } from './cli.js';
import { applyOverrides } from './overrides.js';
import { atoi, parseLabelSpec } from './parse.js';
import { printerFor } from './print.js';
import { RESOURCES, submit, withApplyAnnotation } from './submit.js';
import { goKeyCompare } from './typed.js';

/** Expose's inputs; like kubectl's options struct, one object's findings carry over to the next. */
export interface ExposeOptions {
  name: string;
  defaultName: string;
  selector: string;
  port: string;
  ports: string;
  protocol: string;
  protocols: string;
  labels: string;
  targetPort: string;
  externalIP: string;
  loadBalancerIP: string;
  type: string;
  sessionAffinity: string;
  clusterIP: string;
}

type Obj = Record<string, any>;

const EXPOSABLE = new Set(['ReplicationController', 'Service', 'Pod', 'Deployment.apps', 'ReplicaSet.apps', 'Deployment.extensions', 'ReplicaSet.extensions']);

/** schema.GroupKind's String(): `Pod`, `Deployment.apps`. */
function groupKind(obj: KubeObject): string {
  const av = obj.apiVersion ?? '';
  const group = av.includes('/') ? av.slice(0, av.indexOf('/')) : '';
  return group ? `${obj.kind}.${group}` : (obj.kind ?? '');
}

export function makeLabels(labels: Record<string, string> | undefined): string {
  return Object.keys(labels ?? {})
    .sort(goKeyCompare)
    .map((k) => `${k}=${labels![k]}`)
    .join(',');
}

/** Go's %+v of []LabelSelectorRequirement. */
function formatExpressions(exprs: Obj[]): string {
  return `[${exprs.map((e) => `{Key:${e.key ?? ''} Operator:${e.operator ?? ''} Values:[${(e.values ?? []).join(' ')}]}`).join(' ')}]`;
}

/** polymorphichelpers.MapBasedSelectorForObject. */
export function selectorFor(obj: KubeObject): string {
  const o = obj as Obj;
  switch (obj.kind) {
    case 'ReplicationController':
      return makeLabels(o.spec?.selector);
    case 'Pod':
      if (!Object.keys(obj.metadata?.labels ?? {}).length) throw new Error('the pod has no labels and cannot be exposed');
      return makeLabels(obj.metadata?.labels);
    case 'Service':
      if (o.spec?.selector == null) throw new Error('the service has no pod selector set');
      return makeLabels(o.spec.selector);
    case 'Deployment':
    case 'ReplicaSet': {
      const sel = o.spec?.selector;
      if (!sel || !Object.keys(sel.matchLabels ?? {}).length) throw new Error(`invalid ${obj.kind.toLowerCase()}: no selectors, therefore cannot be exposed`);
      if (sel.matchExpressions?.length) throw new Error(`couldn't convert expressions - "${formatExpressions(sel.matchExpressions)}" to map-based selector format`);
      return makeLabels(sel.matchLabels);
    }
  }
  throw new Error(`cannot extract pod selector from ${obj.kind}`);
}

function podSpecOf(obj: KubeObject): Obj | undefined {
  const o = obj as Obj;
  return obj.kind === 'Pod' ? o.spec : o.spec?.template?.spec;
}

/** Ports (deduplicated, in order) and each port's protocols, from containers or service ports. */
export function portsFor(obj: KubeObject): { ports: string[]; protocols: Map<string, string[]> } {
  const entries: { port: number; protocol?: string }[] =
    obj.kind === 'Service'
      ? ((obj as Obj).spec?.ports ?? []).map((p: Obj) => ({ port: p.port, protocol: p.protocol }))
      : (podSpecOf(obj)?.containers ?? []).flatMap((c: Obj) => (c.ports ?? []).map((p: Obj) => ({ port: p.containerPort, protocol: p.protocol })));
  const ports: string[] = [];
  const protocols = new Map<string, string[]>();
  for (const e of entries) {
    const key = String(e.port ?? 0);
    if (!protocols.has(key)) {
      ports.push(key);
      protocols.set(key, []);
    }
    protocols.get(key)!.push(e.protocol || 'TCP');
  }
  return { ports, protocols };
}

function parseProtocols(s: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const item of s.split(',')) {
    const pp = item.split('/');
    if (pp.length !== 2) throw new Error(`unexpected port protocol mapping: ${item}`);
    if (!pp[0]) throw new Error('unexpected empty port');
    if (!pp[1]) throw new Error('unexpected empty protocol');
    out.set(pp[0], [...(out.get(pp[0]) ?? []), pp[1]]);
  }
  return out;
}

/** ExposeServiceOptions.createService. */
export function buildExposedService(o: ExposeOptions): KubeObject {
  if (!o.selector) throw new Error('selector must be specified');
  const selector = parseLabelSpec(o.selector);
  const labels = o.labels ? parseLabelSpec(o.labels) : undefined;
  const name = o.name || o.defaultName;
  if (!name) throw new Error('name must be specified');
  const protoMap = o.protocols ? parseProtocols(o.protocols) : new Map<string, string[]>();
  const portString = o.ports || o.port;
  const ports: Obj[] = [];
  if (portString) {
    const list = portString.split(',');
    list.forEach((p, i) => {
      const port = atoi(p);
      const portName = list.length > 1 ? `port-${i + 1}` : '';
      let protocol = o.protocol;
      if (!protocol && !protoMap.size) protocol = 'TCP';
      else if (!protocol && protoMap.size) {
        protocol = 'TCP';
        const found = protoMap.get(p);
        if (found?.length === 1) protocol = found[0];
        else if (found) {
          // One port served over several protocols becomes one service port per protocol.
          for (const proto of found) ports.push({ name: `port-${i + 1}-${proto.toLowerCase()}`, port, protocol: proto });
          return;
        }
      }
      ports.push({ name: portName, port, protocol });
    });
  }
  const target = o.targetPort ? (/^[+-]?\d+$/.test(o.targetPort) ? atoi(o.targetPort) : o.targetPort) : undefined;
  for (const p of ports) p.targetPort = target ?? p.port;
  const spec: Obj = { selector, ports };
  if (o.externalIP) spec.externalIPs = [o.externalIP];
  if (o.type) spec.type = o.type;
  if (spec.type === 'LoadBalancer') spec.loadBalancerIP = o.loadBalancerIP;
  if (o.sessionAffinity) {
    if (o.sessionAffinity !== 'None' && o.sessionAffinity !== 'ClientIP') throw new Error(`unknown session affinity: ${o.sessionAffinity}`);
    spec.sessionAffinity = o.sessionAffinity;
  }
  if (o.clusterIP) spec.clusterIP = o.clusterIP;
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, ...(labels ? { labels } : {}) }, spec };
}

/** Fills the options from one object, as RunExpose's visitor does, and builds its Service. */
export function exposeObject(obj: KubeObject, o: ExposeOptions): KubeObject {
  if (!EXPOSABLE.has(groupKind(obj))) throw new Error(`cannot expose a ${groupKind(obj)}`);
  o.defaultName = (obj.metadata?.name ?? '').slice(0, 63);
  if (!o.selector) {
    try {
      o.selector = selectorFor(obj);
    } catch (e) {
      throw new Error(`couldn't retrieve selectors via --selector flag or introspection: ${(e as Error).message}`);
    }
  }
  const { ports, protocols } = portsFor(obj);
  if (!o.port) {
    if (ports.length === 0 && o.clusterIP !== 'None') throw new Error("couldn't find port via --port flag or introspection");
    if (ports.length === 1) o.port = ports[0];
    else if (ports.length > 1) o.ports = ports.join(',');
  }
  const protos = [...protocols].flatMap(([port, list]) => list.map((p) => `${port}/${p}`)).join(',');
  if (protos) o.protocols = protos;
  if (!o.labels) o.labels = makeLabels(obj.metadata?.labels);
  return buildExposedService(o);
}

const str = (v: unknown) => (v === undefined ? '' : String(v));

const RESOURCE_HELP =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

type Source = { obj: KubeObject } | { resource: ApiResource; name: string };

/** What to expose: -f files' objects as written, else TYPE NAME... read from the server later. */
async function sources(ctx: GenContext, args: string[], opts: Record<string, unknown>): Promise<Source[]> {
  const files = asArray(opts.filename);
  if (files.length) return readManifests(files, !!opts.recursive).map((m) => ({ obj: m.obj }));
  if (!args.length) throw new CliError(`error: ${RESOURCE_HELP}`);
  const targets = await parseTargets(ctx.kube, args);
  if (targets.some((t) => !t.names.length)) throw new CliError('error: resource(s) were provided, but no name was specified');
  return targets.flatMap((t) => t.names.map((name) => ({ resource: t.resource, name })));
}

async function load(ctx: GenContext, s: Source): Promise<KubeObject> {
  if ('obj' in s) return s.obj;
  const r = s.resource;
  const obj = await ctx.kube.client.resource(r).get(r.namespaced ? ctx.namespace : undefined, s.name);
  return { ...obj, apiVersion: obj.apiVersion ?? groupVersion(r), kind: obj.kind ?? r.kind };
}

export const expose: GenAction = async (ctx, args, opts) => {
  const dryRun = parseDryRun(opts.dryRun);
  const printer = await printerFor(opts, 'exposed', dryRun);
  const o: ExposeOptions = {
    name: str(opts.name),
    defaultName: '',
    selector: str(opts.selector),
    port: str(opts.port),
    ports: '',
    protocol: str(opts.protocol),
    protocols: '',
    labels: str(opts.labels),
    targetPort: str(opts.targetPort),
    externalIP: str(opts.externalIp),
    loadBalancerIP: str(opts.loadBalancerIp),
    type: str(opts.type),
    sessionAffinity: str(opts.sessionAffinity),
    clusterIP: str(opts.clusterIp),
  };
  // As kubectl's ContinueOnError builder: every object is tried, the errors are reported at the end.
  const failures: unknown[] = [];
  for (const s of await sources(ctx, args, opts)) {
    try {
      const obj = await load(ctx, s);
      let svc: KubeObject;
      try {
        svc = applyOverrides(exposeObject(obj, o), opts);
      } catch (e) {
        throw e instanceof CliError ? e : new CliError(`error: ${(e as Error).message}`);
      }
      if (dryRun === 'client') {
        if (ctx.explicitNamespace) svc.metadata = { ...svc.metadata, namespace: ctx.namespace };
        await printer.write(svc);
        continue;
      }
      if (opts.saveConfig) svc = withApplyAnnotation(svc);
      const fieldManager = str(opts.fieldManager) || 'kubectl-expose';
      await printer.write(await submit(ctx, { obj: svc, gvr: RESOURCES.services, namespace: ctx.namespace, dryRun, fieldManager }));
    } catch (e) {
      failures.push(e);
    }
  }
  if (!failures.length) return 0;
  for (const f of failures.slice(0, -1)) process.stderr.write(formatError(f) + '\n');
  throw failures[failures.length - 1];
};
