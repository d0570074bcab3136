// kubelet's prober: a worker per running container and probe (startup, readiness, liveness)
// running httpGet, tcpSocket or exec every periodSeconds after initialDelaySeconds, with
// timeoutSeconds, successThreshold and failureThreshold. Readiness feeds the Ready condition
// (and so Endpoints); a failed liveness or startup probe kills the container, which the pod
// sync then restarts with back-off. Events and messages are kubelet's (Unhealthy, Killing).
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Container, Pod, Probe } from 'kubernetes-types/core/v1.js';
import { demux, type Docker } from './docker/index.js';

export type ProbeKind = 'startup' | 'readiness' | 'liveness';
const TITLE: Record<ProbeKind, string> = { startup: 'Startup', readiness: 'Readiness', liveness: 'Liveness' };

export interface ProbeResult {
  ok: boolean;
  /** Why it failed, as kubelet words it. */
  output: string;
}

export interface ProberDeps {
  docker: Pick<Docker, 'execCreate' | 'execStart' | 'execInspect'>;
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath: string): void;
  /** Stops a container (liveness/startup failure); the pod sync restarts it. */
  kill(pod: Pod, containerId: string, graceSeconds: number): Promise<void>;
  /** A readiness result changed, or a container was killed: sync the pod again. */
  changed(uid: string): void;
  log(msg: string): void;
}

/** One running container as the pod sync sees it. */
export interface RunningContainer {
  name: string;
  id: string;
  startedAt?: string;
}

const seconds = (v: number | undefined, def: number, min = 1) => Math.max(min, v ?? def) * 1000;

/** Runs one probe once against the pod's address. */
export async function runProbe(probe: Probe, c: Container, podIP: string, containerId: string, docker: ProberDeps['docker']): Promise<ProbeResult> {
  const timeoutMs = seconds(probe.timeoutSeconds, 1);
  const port = (p: number | string | undefined): number => {
    if (typeof p === 'number') return p;
    const named = c.ports?.find((x) => x.name === p)?.containerPort;
    if (named) return named;
    return Number(p);
  };
  if (probe.httpGet) {
    const g = probe.httpGet;
    const scheme = (g.scheme ?? 'HTTP').toLowerCase();
    const host = g.host || podIP;
    const p = port(g.port);
    const path = g.path ? (g.path.startsWith('/') ? g.path : `/${g.path}`) : '/';
    const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${p}${path}`;
    if (!Number.isInteger(p) || p <= 0) return { ok: false, output: `invalid port: ${String(g.port)}` };
    return new Promise((resolve) => {
      const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
      for (const h of g.httpHeaders ?? []) headers[h.name] = h.value;
      const mod = scheme === 'https' ? https : http;
      const req = mod.get(url, { headers, timeout: timeoutMs, rejectUnauthorized: false, agent: false }, (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        res.on('end', () => resolve(code >= 200 && code < 400 ? { ok: true, output: '' } : { ok: false, output: `HTTP probe failed with statuscode: ${code}` }));
        res.on('error', () => resolve({ ok: false, output: `HTTP probe failed with statuscode: ${code}` }));
      });
      req.on('timeout', () => {
        req.destroy();
        resolve({ ok: false, output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, output: `Get "${url}": ${dialError(e, host, p)}` }));
    });
  }
  if (probe.tcpSocket) {
    const host = probe.tcpSocket.host || podIP;
    const p = port(probe.tcpSocket.port);
    return new Promise((resolve) => {
      const s = net.connect({ host, port: p });
      const timer = setTimeout(() => {
        s.destroy();
        resolve({ ok: false, output: `dial tcp ${host}:${p}: i/o timeout` });
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        s.destroy();
        resolve({ ok: true, output: '' });
      });
      s.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve({ ok: false, output: dialError(e, host, p) });
      });
    });
  }
  if (probe.exec) {
    const cmd = probe.exec.command ?? [];
    try {
      const id = await docker.execCreate(containerId, { cmd });
      const stream = await docker.execStart(id);
      let out = '';
      const read = (async () => {
        for await (const chunk of demux(stream)) out += chunk.data.toString('utf8');
      })();
      const timedOut = await Promise.race([read.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs))]);
      if (timedOut) {
        stream.destroy();
        return { ok: false, output: `command ${JSON.stringify(cmd.join(' '))} timed out` };
      }
      let info = await docker.execInspect(id);
      for (let i = 0; info.Running && i < 20; i++) {
        await new Promise((r) => setTimeout(r, 10));
        info = await docker.execInspect(id);
      }
      return info.ExitCode === 0 ? { ok: true, output: out } : { ok: false, output: out };
    } catch (e) {
      return { ok: false, output: (e as Error).message };
    }
  }
  return { ok: false, output: 'probe has no handler minik supports (httpGet, tcpSocket or exec)' };
}

function dialError(e: NodeJS.ErrnoException, host: string, port: number): string {
  const what = e.code === 'ECONNREFUSED' ? 'connect: connection refused' : e.code === 'EHOSTUNREACH' ? 'connect: no route to host' : e.code === 'ECONNRESET' ? 'read: connection reset by peer' : e.message;
  return `dial tcp ${host}:${port}: ${what}`;
}

interface Worker {
  kind: ProbeKind;
  probe: Probe;
  timer?: NodeJS.Timeout;
  successes: number;
  failures: number;
  /** The current result: liveness starts true, readiness and startup false (kubelet). */
  result: boolean;
  stopped: boolean;
}

interface ContainerProbes {
  uid: string;
  container: string;
  id: string;
  workers: Map<ProbeKind, Worker>;
  /** The startup probe succeeded (or there is none): readiness and liveness may run. */
  started: boolean;
}

export class Prober {
  /** By container id. */
  private readonly containers = new Map<string, ContainerProbes>();

  constructor(private readonly d: ProberDeps) {}

  /** Starts workers for running containers with probes; stops those of containers gone. */
  update(pod: Pod, podIP: string | undefined, running: RunningContainer[]): void {
    const uid = pod.metadata!.uid!;
    const keep = new Set<string>();
    for (const r of running) {
      const spec = pod.spec!.containers.find((c) => c.name === r.name);
      if (!spec || !podIP || !(spec.startupProbe || spec.readinessProbe || spec.livenessProbe)) continue;
      keep.add(r.id);
      if (this.containers.has(r.id)) continue;
      const cp: ContainerProbes = { uid, container: r.name, id: r.id, workers: new Map(), started: !spec.startupProbe };
      this.containers.set(r.id, cp);
      const since = r.startedAt ? Date.parse(r.startedAt) : Date.now();
      for (const kind of ['startup', 'readiness', 'liveness'] as const) {
        const probe = spec[`${kind}Probe`];
        if (!probe) continue;
        const w: Worker = { kind, probe, successes: 0, failures: 0, result: kind === 'liveness', stopped: false };
        cp.workers.set(kind, w);
        const delay = Math.max(0, since + (probe.initialDelaySeconds ?? 0) * 1000 - Date.now());
        w.timer = setTimeout(() => void this.tick(pod, spec, podIP, cp, w), delay);
      }
    }
    for (const [id, cp] of this.containers) if (cp.uid === uid && !keep.has(id)) this.stop(id);
  }

  /** Whether the container counts as ready (kubelet's readiness manager). */
  ready(uid: string, container: string, running: boolean): boolean {
    if (!running) return false;
    for (const cp of this.containers.values()) {
      if (cp.uid !== uid || cp.container !== container) continue;
      if (!cp.started) return false;
      const r = cp.workers.get('readiness');
      return r ? r.result : true;
    }
    return running;
  }

  /** The pod is gone: no more probing. */
  forget(uid: string): void {
    for (const [id, cp] of this.containers) if (cp.uid === uid) this.stop(id);
  }

  stopAll(): void {
    for (const id of [...this.containers.keys()]) this.stop(id);
  }

  private stop(id: string): void {
    const cp = this.containers.get(id);
    if (!cp) return;
    for (const w of cp.workers.values()) {
      w.stopped = true;
      clearTimeout(w.timer);
    }
    this.containers.delete(id);
  }

  private async tick(pod: Pod, spec: Container, podIP: string, cp: ContainerProbes, w: Worker): Promise<void> {
    if (w.stopped) return;
    const period = seconds(w.probe.periodSeconds, 10);
    const next = () => {
      if (!w.stopped) w.timer = setTimeout(() => void this.tick(pod, spec, podIP, cp, w), period);
    };
    // Before the startup probe succeeds, the others wait (kubelet skips them).
    if (w.kind !== 'startup' && !cp.started) return next();
    const res = await runProbe(w.probe, spec, podIP, cp.id, this.d.docker).catch((e: Error) => ({ ok: false, output: e.message }));
    if (w.stopped) return;
    const path = `spec.containers{${spec.name}}`;
    if (res.ok) {
      w.failures = 0;
      w.successes++;
      if (!w.result && w.successes >= (w.kind === 'readiness' ? (w.probe.successThreshold ?? 1) : 1)) {
        w.result = true;
        if (w.kind === 'startup') {
          cp.started = true;
          w.stopped = true; // a startup probe stops once it succeeds
          this.d.changed(cp.uid);
          return;
        }
        this.d.changed(cp.uid);
      }
      return next();
    }
    w.successes = 0;
    w.failures++;
    this.d.event(pod, 'Warning', 'Unhealthy', `${TITLE[w.kind]} probe failed: ${res.output}`, path);
    if (w.failures < (w.probe.failureThreshold ?? 3)) return next();
    if (w.kind === 'readiness') {
      if (w.result) {
        w.result = false;
        this.d.changed(cp.uid);
      }
      return next();
    }
    // Liveness or startup: the container is restarted (by the pod sync, after this kill).
    this.d.event(pod, 'Normal', 'Killing', `Container ${spec.name} failed ${w.kind} probe, will be restarted`, path);
    this.stop(cp.id);
    const grace = w.probe.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    try {
      await this.d.kill(pod, cp.id, grace);
    } catch (e) {
      this.d.log(`probe kill ${pod.metadata?.name}/${spec.name}: ${(e as Error).message}`);
    }
    this.d.changed(cp.uid);
  }
}
