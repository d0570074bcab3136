// The node's view of its containers (kubelet's PLEG): Docker is listed once, then kept current
// from the event stream; every change names the pod it belongs to so its sync can run.
import { metaTime } from '@minik/api';
import type { Docker } from './docker/index.js';
import { L, type Role } from './labels.js';

export interface ContainerInfo {
  id: string;
  name: string;
  role: Role;
  /** Kubernetes container name ('' for the sandbox). */
  container: string;
  podUid: string;
  podName: string;
  namespace: string;
  attempt: number;
  specHash: string;
  podIP?: string;
  state: 'created' | 'running' | 'exited' | 'dead' | 'paused' | 'restarting' | 'removing';
  exitCode: number;
  startedAt?: string;
  finishedAt?: string;
  oomKilled: boolean;
  error?: string;
  imageId: string;
  image: string;
  tty: boolean;
}

interface InspectResult {
  Id: string;
  Name: string;
  Image: string;
  State: { Status: ContainerInfo['state']; ExitCode: number; StartedAt: string; FinishedAt: string; OOMKilled: boolean; Error: string };
  Config: { Labels: Record<string, string>; Image: string; Tty: boolean };
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Docker's nanosecond timestamps → Kubernetes' second-precision RFC 3339. */
export function k8sTime(t: string | undefined): string | undefined {
  if (!t || t.startsWith('0001-01-01')) return undefined;
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) return undefined;
  return metaTime(ms);
}

function toInfo(i: InspectResult): ContainerInfo | undefined {
  const l = i.Config?.Labels ?? {};
  if (!l[L.uid]) return undefined;
  return {
    id: i.Id,
    name: i.Name.replace(/^\//, ''),
    role: (l[L.role] as Role) ?? 'app',
    container: l[L.container] ?? '',
    podUid: l[L.uid],
    podName: l[L.pod] ?? '',
    namespace: l[L.namespace] ?? '',
    attempt: Number(l[L.restartCount] ?? 0),
    specHash: l[L.specHash] ?? '',
    podIP: l[L.podIP],
    state: i.State.Status,
    exitCode: i.State.ExitCode,
    startedAt: i.State.StartedAt === ZERO_TIME ? undefined : i.State.StartedAt,
    finishedAt: i.State.FinishedAt === ZERO_TIME ? undefined : i.State.FinishedAt,
    oomKilled: i.State.OOMKilled,
    error: i.State.Error || undefined,
    imageId: i.Image,
    image: i.Config.Image,
    tty: !!i.Config.Tty,
  };
}

export class RuntimeView {
  private readonly byId = new Map<string, ContainerInfo>();
  private abort = new AbortController();
  /** Called with the pod uid whenever one of its containers changed. */
  onChange?: (podUid: string) => void;
  onError?: (e: unknown) => void;

  constructor(
    private readonly docker: Docker,
    private readonly labels: Record<string, string>,
  ) {}

  /** Lists every container of this node, then follows Docker's events. */
  async start(): Promise<void> {
    // Docker answers /events before it subscribes: ask for events since just before the list,
    // so nothing that happens in between is missed.
    const since = Math.floor(Date.now() / 1000) - 1;
    await this.relist();
    void this.follow(since);
  }

  stop(): void {
    this.abort.abort();
  }

  async relist(): Promise<void> {
    const list = (await this.docker.containerList({ all: true, labels: this.labels })) as { Id: string }[];
    const seen = new Set<string>();
    for (const c of list) {
      seen.add(c.Id);
      await this.refresh(c.Id, false);
    }
    for (const [id, info] of this.byId) {
      if (!seen.has(id)) {
        this.byId.delete(id);
        this.onChange?.(info.podUid);
      }
    }
  }

  /** Re-reads one container; `notify` tells its pod to sync. */
  async refresh(id: string, notify = true): Promise<ContainerInfo | undefined> {
    const raw = (await this.docker.containerInspect(id)) as InspectResult | undefined;
    const prev = this.byId.get(id);
    const info = raw ? toInfo(raw) : undefined;
    if (info) this.byId.set(id, info);
    else this.byId.delete(id);
    const uid = info?.podUid ?? prev?.podUid;
    if (notify && uid) this.onChange?.(uid);
    return info;
  }

  forget(id: string): void {
    this.byId.delete(id);
  }

  private async follow(since: number): Promise<void> {
    const filters = { type: ['container'], label: Object.entries(this.labels).map(([k, v]) => `${k}=${v}`) };
    for (let backoff = 100; !this.abort.signal.aborted; backoff = Math.min(backoff * 2, 5000)) {
      try {
        for await (const ev of await this.docker.events({ filters, since }, this.abort.signal)) {
          since = Math.floor(Date.now() / 1000) - 1;
          backoff = 100;
          const e = ev as { id?: string; Action?: string };
          if (!e.id || !e.Action) continue;
          if (e.Action === 'destroy') {
            const prev = this.byId.get(e.id);
            this.byId.delete(e.id);
            if (prev) this.onChange?.(prev.podUid);
          } else if (e.Action === 'start' && this.byId.get(e.id)?.state === 'running') {
            // Our own start, already recorded when we started it: no need to ask Docker again.
            continue;
          } else if (['start', 'die', 'oom', 'stop', 'restart', 'pause', 'unpause'].includes(e.Action)) {
            await this.refresh(e.id).catch((err) => this.onError?.(err));
          }
        }
        // The stream ended (daemon restart): resync everything.
        if (!this.abort.signal.aborted) await this.relist();
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.onError?.(err);
        await new Promise((r) => setTimeout(r, backoff));
        await this.relist().catch(() => undefined);
      }
    }
  }

  forPod(uid: string): ContainerInfo[] {
    return [...this.byId.values()].filter((c) => c.podUid === uid);
  }

  pods(): Set<string> {
    return new Set([...this.byId.values()].map((c) => c.podUid));
  }

  all(): ContainerInfo[] {
    return [...this.byId.values()];
  }
}
