// Test support for the controller integration tests: a real in-process apiserver (with its
// controllers) in a temp dir, and a fake kubelet that binds pods to fake nodes, reports them
// Running/Ready after a short delay, and finishes graceful deletions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, ApiError, Informer, type KubeObject, type ResourceClient } from '@minik/api';
import { startApiserver, type RunningApiserver } from '../apiserver.js';
import type { Pod } from './workload-types.js';

/** Pod annotations that override the fake kubelet's delays for one pod (from its template). */
export const READY_AFTER_MS = 'test.minik/ready-after-ms';
export const TERMINATE_AFTER_MS = 'test.minik/terminate-after-ms';

export interface FakeKubeletOptions {
  nodes?: string[];
  /** Pending → Running/Ready after this long (or as long as this says for the pod). */
  readyDelayMs?: number | ((p: Pod) => number);
  /** A pod with a deletionTimestamp is removed after this long. */
  terminateDelayMs?: number;
  /** Pods that never become ready (a broken image). */
  neverReady?: (p: Pod) => boolean;
}

const now = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export class FakeKubelet {
  private readonly informer: Informer<Pod>;
  private readonly pods: ResourceClient<KubeObject>;
  private readonly seen = new Map<string, Set<string>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private next = 0;
  private stopped = false;

  constructor(
    private readonly client: ApiClient,
    private readonly opts: FakeKubeletOptions = {},
  ) {
    this.pods = client.resource({ group: '', version: 'v1', resource: 'pods' });
    this.informer = new Informer(this.pods) as Informer<Pod>;
    const handle = (p: Pod) => this.handle(p);
    this.informer.on({ add: handle, update: (_o, p) => handle(p) });
  }

  async start(): Promise<void> {
    this.informer.start();
    await this.informer.synced;
  }

  stop(): void {
    this.stopped = true;
    this.informer.stop();
    for (const t of this.timers) clearTimeout(t);
  }

  /** Does `what` to a pod once per uid. */
  private once(p: Pod, what: string): boolean {
    const uid = p.metadata.uid!;
    let s = this.seen.get(uid);
    if (!s) this.seen.set(uid, (s = new Set()));
    if (s.has(what)) return false;
    s.add(what);
    return true;
  }

  private later(ms: number, fn: () => Promise<unknown>): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn().catch(() => undefined);
    }, ms);
    this.timers.add(t);
  }

  private handle(p: Pod): void {
    const m = p.metadata;
    if (m.deletionTimestamp) {
      if (this.once(p, 'delete')) {
        this.later(Number(m.annotations?.[TERMINATE_AFTER_MS] ?? this.opts.terminateDelayMs ?? 100), () => this.pods.delete(m.namespace, m.name!, { gracePeriodSeconds: 0, preconditions: { uid: m.uid } }));
      }
      return;
    }
    if (!p.spec?.nodeName) {
      if (this.once(p, 'bind')) {
        const nodes = this.opts.nodes ?? ['node-1'];
        const node = nodes[this.next++ % nodes.length];
        void this.client
          .request('POST', this.pods.path(m.namespace, m.name, 'binding'), {
            body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: m.name, uid: m.uid }, target: { apiVersion: 'v1', kind: 'Node', name: node } },
          })
          .catch(() => undefined);
      }
      return;
    }
    if (p.status?.phase === 'Pending' && !this.opts.neverReady?.(p) && this.once(p, 'run')) {
      const delay = this.opts.readyDelayMs;
      const ms = m.annotations?.[READY_AFTER_MS] ?? (typeof delay === 'function' ? delay(p) : (delay ?? 100));
      this.later(Number(ms), () => this.markRunning(p));
    }
  }

  private async markRunning(p: Pod): Promise<void> {
    for (let i = 0; i < 5; i++) {
      let cur: Pod;
      try {
        cur = (await this.pods.get(p.metadata.namespace, p.metadata.name!)) as Pod;
      } catch {
        return;
      }
      if (cur.metadata.uid !== p.metadata.uid || cur.metadata.deletionTimestamp) return;
      const t = now();
      const containers = ((cur.spec?.containers as { name: string; image: string }[]) ?? []).map((c) => ({
        name: c.name,
        image: c.image,
        imageID: `docker-pullable://${c.image}`,
        containerID: `docker://${p.metadata.uid}`,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: t } },
      }));
      const cond = (type: string) => ({ type, status: 'True' as const, lastProbeTime: null, lastTransitionTime: t });
      cur.status = {
        ...cur.status,
        phase: 'Running',
        conditions: [cond('PodReadyToStartContainers'), cond('Initialized'), cond('Ready'), cond('ContainersReady'), cond('PodScheduled')],
        hostIP: '172.18.0.2',
        podIP: `10.244.0.${(this.next++ % 250) + 2}`,
        startTime: t,
        containerStatuses: containers,
      };
      try {
        await this.pods.updateStatus(p.metadata.namespace, { ...cur, apiVersion: 'v1', kind: 'Pod' });
        return;
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 409)) return;
      }
    }
  }
}

export interface TestCluster {
  server: RunningApiserver;
  client: ApiClient;
  kubelet: FakeKubelet;
  /** What the controllers logged (errors they recovered from). */
  logs: string[];
  close(): Promise<void>;
}

export async function startTestCluster(kubeletOpts: FakeKubeletOptions = {}): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'minik-controllers-'));
  const logs: string[] = [];
  const server = await startApiserver({ dataDir: dir, port: 0, token: 'tok', log: (m) => logs.push(m) });
  const client = new ApiClient({ server: server.url, token: 'tok' });
  const kubelet = new FakeKubelet(client, kubeletOpts);
  await kubelet.start();
  return {
    server,
    client,
    kubelet,
    logs,
    async close() {
      kubelet.stop();
      await client.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `ms`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
