// `minik port-forward TYPE/NAME [LOCAL_PORT:]REMOTE_PORT ...` (kubectl's cmd/portforward and
// client-go's tools/portforward): picks the pod (a Service's or workload's first active pod),
// turns Service ports and named ports into container ports, listens on --address (localhost:
// 127.0.0.1 and ::1), and forwards each accepted connection over its own WebSocket to
// pods/NAME/portforward. An error on one connection is reported and the forwarder keeps
// running; it ends with `lost connection to pod` when the pod goes, and cleanly on Ctrl-C.
import net from 'node:net';
import { forwardConnection, openPortForward, type KubeObject } from '@minik/api';
import type { Action } from '../../command-kit.js';
import type { Kube } from '../../context.js';
import { CliError } from '../../errors.js';
import { podRunningTimeout } from './exec.js';
import type { Pod } from './pod-types.js';
import { PODS, attachablePod, getObject, splitArg } from './pods.js';

interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
}

type PodWithPorts = Pod;

export interface ForwardedPort {
  local: number;
  remote: number;
}

/** `LOCAL:REMOTE` → its two parts (`PORT` is both), as kubectl's splitPort. */
function splitPort(spec: string): [string, string] {
  const parts = spec.split(':');
  // kubectl would quietly read `1:2:3` as `1`; say what is wrong instead.
  if (parts.length > 2) throw new CliError(`error: invalid port format '${spec}'`);
  if (parts.length === 2) return [parts[0]!, parts[1]!];
  return [spec, spec];
}

function containerPorts(pod: PodWithPorts): ContainerPort[] {
  return ((pod.spec?.containers ?? []) as { ports?: ContainerPort[] }[]).flatMap((c) => c.ports ?? []);
}

/** util.LookupContainerPortNumberByName. */
function containerPortByName(pod: PodWithPorts, name: string): number {
  const p = containerPorts(pod).find((x) => x.name === name);
  if (!p) throw new CliError(`error: Pod '${pod.metadata?.name}' does not have a named port '${name}'`);
  return p.containerPort;
}

const isNumber = (s: string) => /^[+-]?\d+$/.test(s);

/** convertPodNamedPortToNumber: `8080:http` → `8080:<http's containerPort>`. */
export function podPortsToNumbers(specs: string[], pod: PodWithPorts): string[] {
  return specs.map((spec) => {
    const [local, remote] = splitPort(spec);
    const remoteNum = isNumber(remote) ? remote : String(containerPortByName(pod, remote));
    return local !== remote ? `${local}:${remoteNum}` : remoteNum;
  });
}

/** translateServicePortToTargetPort: Service ports (numbers or names) → the pod's target ports. */
export function servicePortsToTargetPorts(specs: string[], svc: KubeObject, pod: PodWithPorts): string[] {
  const spec = (svc.spec ?? {}) as { ports?: ServicePort[]; clusterIP?: string };
  const name = svc.metadata?.name;
  return specs.map((s) => {
    let [local, remote] = splitPort(s);
    let portnum: number;
    if (isNumber(remote)) portnum = Number(remote);
    else {
      const byName = spec.ports?.find((p) => p.name === remote);
      if (!byName) throw new CliError(`error: Service '${name}' does not have a named port '${remote}'`);
      portnum = byName.port;
      if (local === remote) local = String(portnum);
    }
    const sp = spec.ports?.find((p) => p.port === portnum);
    if (!sp) throw new CliError(`error: Service ${name} does not have a service port ${portnum}`);
    let target: number;
    if (spec.clusterIP === 'None') target = portnum;
    else if (typeof sp.targetPort === 'string' && !isNumber(sp.targetPort)) target = containerPortByName(pod, sp.targetPort);
    else target = Number(sp.targetPort ?? 0) || sp.port;
    return local !== String(target) ? `${local}:${target}` : String(target);
  });
}

/** client-go's parsePorts. */
export function parsePorts(specs: string[]): ForwardedPort[] {
  return specs.map((spec) => {
    const parts = spec.split(':');
    let local: string;
    let remote: string;
    if (parts.length === 1) local = remote = parts[0]!;
    else if (parts.length === 2) {
      local = parts[0] || '0';
      remote = parts[1]!;
    } else throw new CliError(`error: invalid port format '${spec}'`);
    const parse = (v: string, what: string) => {
      if (!/^\d+$/.test(v)) throw new CliError(`error: error parsing ${what} port '${v}': strconv.ParseUint: parsing ${JSON.stringify(v)}: invalid syntax`);
      const n = Number(v);
      if (n > 65535) throw new CliError(`error: error parsing ${what} port '${v}': strconv.ParseUint: parsing ${JSON.stringify(v)}: value out of range`);
      return n;
    };
    const l = parse(local, 'local');
    const r = parse(remote, 'remote');
    if (r === 0) throw new CliError('error: remote port must be > 0');
    return { local: l, remote: r };
  });
}

/** checkUDPPorts: a port the pod (or Service) only serves over UDP cannot be forwarded. */
function checkUDP(ports: number[], declared: { port: number; protocol?: string }[]): void {
  for (const port of ports) {
    const protos = new Set(declared.filter((d) => d.port === port).map((d) => d.protocol ?? 'TCP'));
    if (protos.has('UDP') && !protos.has('TCP')) throw new CliError(`error: UDP protocol is not supported for ${port}`);
  }
}

/** klog's error line, as kubectl prints a forwarding error (and goes on). */
function klogError(msg: string): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${p(d.getMonth() + 1)}${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`;
  return `E${stamp} ${String(process.pid).padStart(7)} portforward.go:424] "Unhandled Error" err=${JSON.stringify(msg)}\n`;
}

/** Where to listen for one --address value: localhost is both loopbacks, as kubectl does. */
function listenHosts(address: string): { host: string; family: 'tcp4' | 'tcp6' }[] {
  if (address === 'localhost') {
    return [
      { host: '127.0.0.1', family: 'tcp4' },
      { host: '::1', family: 'tcp6' },
    ];
  }
  const v = net.isIP(address);
  if (!v) throw new CliError(`error: ${address} is not a valid IP`);
  return [{ host: address, family: v === 6 ? 'tcp6' : 'tcp4' }];
}

const hostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

function listen(host: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer({ allowHalfOpen: true });
    srv.once('error', reject);
    srv.listen({ host, port, exclusive: true }, () => {
      srv.off('error', reject);
      resolve(srv);
    });
  });
}

function goListenError(e: NodeJS.ErrnoException, family: string, host: string, port: number): string {
  const what = e.code === 'EADDRINUSE' ? 'bind: address already in use' : e.code === 'EACCES' ? 'bind: permission denied' : e.code === 'EADDRNOTAVAIL' ? 'bind: cannot assign requested address' : e.message;
  return `unable to create listener: Error listen ${family} ${hostPort(host, port)}: ${what}`;
}

export const portForward: Action = async (kube, args, opts) => {
  if (args.length < 2) throw new CliError("error: TYPE/NAME and list of ports are required for port-forward\nSee 'minik port-forward -h' for help and examples");
  const timeoutMs = podRunningTimeout(opts, 'port-forward', '1m0s');
  const addresses = ((opts.address as string[] | undefined) ?? ['localhost']).flatMap((a) => a.split(',')).filter(Boolean);
  const hosts = addresses.flatMap(listenHosts);

  const { type, name } = splitArg(args[0]!);
  const obj = await getObject(kube, type, name);
  const pod = (await attachablePod(kube, obj, timeoutMs)) as PodWithPorts;
  let specs = args.slice(1);
  if (obj.kind === 'Service') {
    const svcPorts = ((obj.spec as { ports?: ServicePort[] } | undefined)?.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol }));
    checkUDP(specs.map((s) => Number(splitPort(s)[1])).filter(Number.isFinite), svcPorts);
    specs = servicePortsToTargetPorts(specs, obj, pod);
  } else specs = podPortsToNumbers(specs, pod);
  const ports = parsePorts(specs);
  checkUDP(
    ports.map((p) => p.remote),
    containerPorts(pod).map((c) => ({ port: c.containerPort, protocol: c.protocol })),
  );
  const phase = pod.status?.phase;
  if (phase !== 'Running') throw new CliError(`error: unable to forward port because pod is not running. Current status=${phase ?? ''}`);

  const client = kube.resolved?.client;
  if (!client) throw new Error('no cluster connection settings (kubeconfig) to forward with');
  const namespace = pod.metadata?.namespace ?? kube.namespace;
  const podName = pod.metadata?.name ?? '';

  // Listeners: a port counts as forwarded when at least one of its addresses could be bound.
  const servers: net.Server[] = [];
  const conns = new Set<net.Socket>();
  let anyPort = false;
  for (const p of ports) {
    const errs: string[] = [];
    let local = p.local;
    let bound = false;
    for (const h of hosts) {
      try {
        const srv = await listen(h.host, local);
        local = (srv.address() as net.AddressInfo).port;
        servers.push(srv);
        bound = true;
        process.stdout.write(`Forwarding from ${hostPort(h.host, local)} -> ${p.remote}\n`);
        srv.on('connection', (conn) => void handle(conn, local, p.remote));
      } catch (e) {
        errs.push(goListenError(e as NodeJS.ErrnoException, h.family, h.host, local));
      }
    }
    if (bound) anyPort = true;
    else process.stderr.write(klogError(`Unable to listen on port ${p.local}: Listeners failed to create with the following errors: [${errs.join(' ')}]`));
  }
  const close = () => {
    for (const s of servers) s.close();
    for (const c of conns) c.destroy();
  };
  if (!anyPort) {
    close();
    throw new CliError(`error: unable to listen on any of the requested ports: [${ports.map((p) => `{${p.local} ${p.remote}}`).join(' ')}]`);
  }

  async function handle(conn: net.Socket, local: number, remote: number): Promise<void> {
    conn.on('error', () => undefined);
    conn.setNoDelay(true);
    conns.add(conn);
    conn.once('close', () => conns.delete(conn));
    process.stdout.write(`Handling connection for ${local}\n`);
    try {
      const ws = await openPortForward({ client, namespace, pod: podName, port: remote, userAgent: 'minik' });
      const r = await forwardConnection(ws, conn);
      if (r.error) process.stderr.write(klogError(`an error occurred forwarding ${local} -> ${remote}: ${r.error}`));
    } catch (e) {
      conn.destroy();
      process.stderr.write(klogError(`error creating forwarding stream for port ${local} -> ${remote}: ${(e as Error).message}`));
    }
  }

  return await runUntilDone(kube, namespace, podName, pod.metadata?.uid, close);
};

/** Runs until Ctrl-C (exit 0) or the pod stops running or goes away (`lost connection to pod`). */
async function runUntilDone(kube: Kube, namespace: string, name: string, uid: string | undefined, close: () => void): Promise<number> {
  const abort = new AbortController();
  const stopped = new Promise<number>((resolve) => {
    const stop = () => resolve(0);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const lost = (async (): Promise<number> => {
    const pods = kube.client.resource(PODS);
    for (;;) {
      try {
        const list = await pods.list(namespace, { fieldSelector: `metadata.name=${name}` });
        const cur = list.items[0] as Pod | undefined;
        if (!cur || cur.metadata?.uid !== uid || cur.status?.phase !== 'Running' || cur.metadata?.deletionTimestamp) return 1;
        for await (const ev of pods.watch(namespace, { fieldSelector: `metadata.name=${name}`, resourceVersion: list.metadata?.resourceVersion }, abort.signal)) {
          const p = ev.object as Pod;
          if (ev.type === 'DELETED' || p.status?.phase !== 'Running' || p.metadata?.deletionTimestamp) return 1;
        }
      } catch (e) {
        if (abort.signal.aborted) return 0;
        // The API is unreachable for a moment: keep forwarding, look again shortly.
        void e;
      }
      if (abort.signal.aborted) return 0;
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  const code = await Promise.race([stopped, lost]);
  abort.abort();
  close();
  if (code !== 0) throw new CliError('error: lost connection to pod');
  return 0;
}
