// Containers as kubectl describe prints them for pods and pod templates (describeContainers
// and its helpers in describe.go).
import { joinHostPort, parseResourceList, Quantity } from '@minik/api';
import { goSort } from '../printers/go-sort.js';
import { goQuote, goSlice, goStringLess, intOrString, printBool, rfc1123z, stringOrNone, type Obj } from './format.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './writer.js';

/** Resolves a `fieldRef` env var's value; only pods resolve (templates print an empty value). */
export type EnvResolver = (e: Obj) => string;

export function describeContainers(label: string, containers: Obj[] | undefined, statuses: Obj[] | undefined, resolver: EnvResolver | undefined, w: PrefixWriter, space: string): void {
  const byName = new Map<string, Obj>();
  for (const s of statuses ?? []) byName.set(s?.name, s);
  const list = containers ?? [];
  w.write(LEVEL_0, `${space}${label}:${list.length ? '' : ' <none>'}\n`);
  for (const c of list) {
    const status = byName.get(c?.name);
    describeContainerBasicInfo(c, status, space, w);
    describeContainerCommand(c, w);
    if (status) describeContainerState(status, w);
    describeResources(c?.resources, w, LEVEL_2);
    describeContainerProbes(c, w);
    if (c?.envFrom?.length) describeContainerEnvFrom(c, w);
    describeContainerEnvVars(c, resolver, w);
    describeContainerVolumes(c, w);
  }
}

function describeContainerBasicInfo(c: Obj, status: Obj | undefined, space: string, w: PrefixWriter): void {
  w.write(LEVEL_1, `${space ? ' ' : ''}${c?.name ?? ''}:\n`);
  if (status) w.write(LEVEL_2, `Container ID:\t${status.containerID ?? ''}\n`);
  w.write(LEVEL_2, `Image:\t${c?.image ?? ''}\n`);
  if (status) w.write(LEVEL_2, `Image ID:\t${status.imageID ?? ''}\n`);
  const ports: Obj[] = c?.ports ?? [];
  const portString = ports.map((p) => `${p?.containerPort ?? 0}/${p?.protocol ?? ''}`).join(', ');
  if (portString.includes(',')) w.write(LEVEL_2, `Ports:\t${portString}\n`);
  else w.write(LEVEL_2, `Port:\t${stringOrNone(portString)}\n`);
  const hostPortString = ports.map((p) => `${p?.hostPort ?? 0}/${p?.protocol ?? ''}`).join(', ');
  if (hostPortString.includes(',')) w.write(LEVEL_2, `Host Ports:\t${hostPortString}\n`);
  else w.write(LEVEL_2, `Host Port:\t${stringOrNone(hostPortString)}\n`);
  const seccomp = c?.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(LEVEL_2, `SeccompProfile:\t${seccomp.type ?? ''}\n`);
    if (seccomp.type === 'Localhost') w.write(LEVEL_3, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
  }
}

function describeContainerCommand(c: Obj, w: PrefixWriter): void {
  for (const [title, list] of [
    ['Command', c?.command],
    ['Args', c?.args],
  ] as const) {
    if (!list?.length) continue;
    w.write(LEVEL_2, `${title}:\n`);
    for (const item of list as string[]) for (const s of String(item).split('\n')) w.write(LEVEL_3, `${s}\n`);
  }
}

/** describeResources: Limits then Requests, resource names sorted. */
export function describeResources(resources: Obj, w: PrefixWriter, level: number): void {
  if (!resources) return;
  for (const [title, list] of [
    ['Limits', resources.limits],
    ['Requests', resources.requests],
  ] as const) {
    const names = Object.keys(list ?? {}).sort(goStringLess);
    if (names.length) w.write(level, `${title}:\n`);
    const parsed = parseResourceList(list);
    for (const name of names) w.write(level + 1, `${name}:\t${parsed.get(name)?.toString() ?? String(list[name])}\n`);
  }
}

function describeContainerState(status: Obj, w: PrefixWriter): void {
  describeStatus('State', status?.state, w);
  if (status?.lastState?.terminated) describeStatus('Last State', status.lastState, w);
  w.write(LEVEL_2, `Ready:\t${printBool(status?.ready)}\n`);
  w.write(LEVEL_2, `Restart Count:\t${status?.restartCount ?? 0}\n`);
}

function describeStatus(stateName: string, state: Obj, w: PrefixWriter): void {
  if (state?.running) {
    w.write(LEVEL_2, `${stateName}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(LEVEL_2, `${stateName}:\tWaiting\n`);
    if (state.waiting.reason) w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(LEVEL_2, `${stateName}:\tTerminated\n`);
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`);
    w.write(LEVEL_3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(LEVEL_2, `${stateName}:\tWaiting\n`);
  }
}

function describeContainerProbes(c: Obj, w: PrefixWriter): void {
  if (c?.livenessProbe) w.write(LEVEL_2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
  if (c?.readinessProbe) w.write(LEVEL_2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
  if (c?.startupProbe) w.write(LEVEL_2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
}

/** url.URL.String()'s escaping: everything but unreserved characters and path delimiters. */
function escapeUrl(s: string, keep: RegExp): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (keep.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}
const PATH_SAFE = /^[A-Za-z0-9\-_.~$&+,/:;=@]$/;
const HOST_SAFE = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]$/;

/** net.JoinHostPort */
/** DescribeProbe: `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`. */
export function describeProbe(p: Obj): string {
  const attrs = `delay=${p?.initialDelaySeconds ?? 0}s timeout=${p?.timeoutSeconds ?? 0}s period=${p?.periodSeconds ?? 0}s #success=${p?.successThreshold ?? 0} #failure=${p?.failureThreshold ?? 0}`;
  if (p?.exec) return `exec ${goSlice(p.exec.command)} ${attrs}`;
  if (p?.httpGet) {
    const g = p.httpGet;
    const scheme = String(g.scheme ?? '').toLowerCase();
    const port = intOrString(g.port);
    const host = port.length > 0 ? joinHostPort(g.host ?? '', port) : (g.host ?? '');
    const path = escapeUrl(g.path ?? '', PATH_SAFE);
    let url = scheme ? `${scheme}:` : '';
    if ((scheme || host) && (host || path)) url += '//';
    url += escapeUrl(host, HOST_SAFE);
    if (path && !path.startsWith('/') && host) url += '/';
    url += path;
    return `http-get ${url} ${attrs}`;
  }
  if (p?.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${intOrString(p.tcpSocket.port)} ${attrs}`;
  if (p?.grpc) return `grpc <pod>:${p.grpc.port ?? 0} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeContainerEnvFrom(c: Obj, w: PrefixWriter): void {
  w.write(LEVEL_2, 'Environment Variables from:\n');
  for (const e of c.envFrom as Obj[]) {
    let from = '';
    let name = '';
    let optional = false;
    if (e?.configMapRef) [from, name, optional] = ['ConfigMap', e.configMapRef.name ?? '', e.configMapRef.optional === true];
    else if (e?.secretRef) [from, name, optional] = ['Secret', e.secretRef.name ?? '', e.secretRef.optional === true];
    if (!e?.prefix) w.write(LEVEL_3, `${name}\t${from}\tOptional: ${optional}\n`);
    else w.write(LEVEL_3, `${name}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n`);
  }
}

function describeContainerEnvVars(c: Obj, resolver: EnvResolver | undefined, w: PrefixWriter): void {
  const env: Obj[] = c?.env ?? [];
  w.write(LEVEL_2, `Environment:${env.length ? '' : '\t<none>'}\n`);
  for (const e of env) {
    const vf = e?.valueFrom;
    if (!vf) {
      String(e?.value ?? '')
        .split('\n')
        .forEach((s, i) => w.write(LEVEL_3, i === 0 ? `${e?.name ?? ''}:\t${s}\n` : `\t${s}\n`));
      continue;
    }
    if (vf.fieldRef) {
      const value = resolver ? resolver(e) : '';
      w.write(LEVEL_3, `${e.name}:\t${value} (${vf.fieldRef.apiVersion ?? ''}:${vf.fieldRef.fieldPath ?? ''})\n`);
    } else if (vf.resourceFieldRef) {
      const resource = vf.resourceFieldRef.resource ?? '';
      let value = containerResourceValue(vf.resourceFieldRef, c);
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable';
      w.write(LEVEL_3, `${e.name}:\t${value} (${resource})\n`);
    } else if (vf.secretKeyRef) {
      const r = vf.secretKeyRef;
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${r.key ?? ''}' in secret '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`);
    } else if (vf.configMapKeyRef) {
      const r = vf.configMapKeyRef;
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${r.key ?? ''}' of config map '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`);
    }
  }
}

/** resourcehelper.ExtractContainerResourceValue: ceil(value / divisor), '' when unsupported. */
function containerResourceValue(fs: Obj, c: Obj): string {
  let divisor = Quantity.fromJSON(fs?.divisor) ?? Quantity.zero();
  if (divisor.isZero()) divisor = Quantity.parse('1')!;
  const [kind, name] = String(fs?.resource ?? '').split(/\.(.*)/s);
  if ((kind !== 'limits' && kind !== 'requests') || !name) return '';
  const q = parseResourceList(c?.resources?.[kind]).get(name) ?? Quantity.zero();
  const ceil = (x: number) => String(Math.ceil(x));
  if (name === 'cpu') return ceil(q.milliValue() / divisor.milliValue());
  if (name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) return ceil(q.value() / divisor.value());
  return '';
}

function describeContainerVolumes(c: Obj, w: PrefixWriter): void {
  const mounts: Obj[] = c?.volumeMounts ?? [];
  const none = mounts.length ? '' : '\t<none>';
  w.write(LEVEL_2, `Mounts:${none}\n`);
  for (const m of goSort(mounts, (a, b) => (a?.mountPath ?? '') < (b?.mountPath ?? ''))) {
    const flags = [m?.readOnly ? 'ro' : 'rw'];
    if (m?.subPath) flags.push(`path=${goQuote(m.subPath)}`);
    w.write(LEVEL_3, `${m?.mountPath ?? ''} from ${m?.name ?? ''} (${flags.join(',')})\n`);
  }
  const devices: Obj[] = c?.volumeDevices ?? [];
  if (devices.length) {
    w.write(LEVEL_2, `Devices:${none}\n`);
    for (const d of goSort(devices, (a, b) => (a?.devicePath ?? '') < (b?.devicePath ?? ''))) w.write(LEVEL_3, `${d?.devicePath ?? ''} from ${d?.name ?? ''}\n`);
  }
}
