// A container's environment as kubelet builds it: envFrom, then env (value, valueFrom refs to
// ConfigMaps, Secrets, pod fields and resources), with $(VAR) references expanded.
import type { Container, EnvVar, Pod } from 'kubernetes-types/core/v1.js';
import { ApiError, Quantity, type ApiClient, type KubeObject } from '@minik/api';

export class EnvError extends Error {
  /** CreateContainerConfigError, as kubelet reports a missing reference. */
  readonly reason = 'CreateContainerConfigError';
}

type Data = Record<string, string>;

/** Fetches ConfigMaps and Secrets once per sync. */
export class RefCache {
  private readonly cache = new Map<string, Promise<KubeObject | undefined>>();
  constructor(
    private readonly client: ApiClient,
    private readonly namespace: string,
  ) {}

  get(kind: 'configmaps' | 'secrets', name: string): Promise<KubeObject | undefined> {
    const key = `${kind}/${name}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.client
        .resource({ group: '', version: 'v1', resource: kind })
        .get(this.namespace, name)
        .catch((e) => {
          if (e instanceof ApiError && e.code === 404) return undefined;
          throw e;
        });
      this.cache.set(key, p);
    }
    return p;
  }

  async data(kind: 'configmaps' | 'secrets', name: string): Promise<Data | undefined> {
    const o = await this.get(kind, name);
    if (!o) return undefined;
    if (kind === 'secrets') {
      const d = (o.data ?? {}) as Data;
      return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    }
    return { ...((o.data ?? {}) as Data) };
  }
}

/** Expands $(VAR) from `vars`; $$(VAR) escapes; unknown references stay as written (as kubelet). */
export function expand(s: string, vars: Data): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && name in vars ? vars[name] : m;
  });
}

function fieldRef(pod: Pod, path: string, podIP: string, hostIP: string): string {
  const m = pod.metadata ?? {};
  const label = /^metadata\.labels\['(.+)'\]$/.exec(path);
  if (label) return m.labels?.[label[1]] ?? '';
  const ann = /^metadata\.annotations\['(.+)'\]$/.exec(path);
  if (ann) return m.annotations?.[ann[1]] ?? '';
  switch (path) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? '';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return hostIP;
    default:
      return '';
  }
}

function resourceRef(c: Container, resource: string, divisor: string | undefined, nodeCpuMilli: number, nodeMemBytes: number): string {
  const [kind, name] = resource.split('.') as ['limits' | 'requests', string];
  const raw = (c.resources?.[kind] as Record<string, string | number> | undefined)?.[name];
  const isCpu = name === 'cpu';
  const value = raw !== undefined ? quantityNumber(raw) : kind === 'limits' ? (isCpu ? nodeCpuMilli / 1000 : nodeMemBytes) : 0;
  const div = divisor ? quantityNumber(divisor) : 1;
  return String(Math.ceil(value / div));
}

/** A quantity as a Number (cpu in cores, memory in bytes); NaN when malformed. */
export function quantityNumber(q: unknown): number {
  return Quantity.fromJSON(q)?.asApproximateFloat64() ?? NaN;
}

export interface EnvContext {
  pod: Pod;
  refs: RefCache;
  podIP: string;
  hostIP: string;
  nodeCpuMilli: number;
  nodeMemBytes: number;
  /** Service links (FOO_SERVICE_HOST, ...) when enableServiceLinks. */
  serviceEnv?: Data;
}

/** The ordered environment of a container, or an EnvError naming what is missing. */
export async function buildEnv(c: Container, ctx: EnvContext): Promise<Data> {
  const vars: Data = { ...(ctx.serviceEnv ?? {}) };
  for (const src of c.envFrom ?? []) {
    const kind = src.configMapRef ? 'configmaps' : 'secrets';
    const ref = src.configMapRef ?? src.secretRef;
    if (!ref?.name) continue;
    const data = await ctx.refs.data(kind, ref.name);
    if (!data) {
      if (ref.optional) continue;
      throw new EnvError(`${kind === 'configmaps' ? 'configmap' : 'secret'} "${ref.name}" not found`);
    }
    for (const [k, v] of Object.entries(data)) vars[(src.prefix ?? '') + k] = v;
  }
  for (const e of c.env ?? []) vars[e.name] = await envValue(e, c, ctx, vars);
  return vars;
}

async function envValue(e: EnvVar, c: Container, ctx: EnvContext, vars: Data): Promise<string> {
  if (e.value !== undefined) return expand(e.value, vars);
  const vf = e.valueFrom;
  if (!vf) return '';
  if (vf.fieldRef) return fieldRef(ctx.pod, vf.fieldRef.fieldPath, ctx.podIP, ctx.hostIP);
  if (vf.resourceFieldRef) return resourceRef(c, vf.resourceFieldRef.resource, vf.resourceFieldRef.divisor as string | undefined, ctx.nodeCpuMilli, ctx.nodeMemBytes);
  const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
  if (ref) {
    const kind = vf.configMapKeyRef ? 'configmaps' : 'secrets';
    const what = kind === 'configmaps' ? 'configmap' : 'secret';
    const data = await ctx.refs.data(kind, ref.name ?? '');
    if (!data) {
      if (ref.optional) return '';
      throw new EnvError(`${what} "${ref.name}" not found`);
    }
    if (!(ref.key in data)) {
      if (ref.optional) return '';
      throw new EnvError(`couldn't find key ${ref.key} in ${what === 'configmap' ? 'ConfigMap' : 'Secret'} ${ctx.pod.metadata?.namespace}/${ref.name}`);
    }
    return data[ref.key];
  }
  return '';
}
