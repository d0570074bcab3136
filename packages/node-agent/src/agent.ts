// A node agent: kubelet (and later kube-proxy) for one simulated laptop. It registers its Node,
// keeps the heartbeat, watches the pods bound to it and runs them as Docker containers.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiClient, ConnectionError, EventRecorder, Informer, WorkQueue, runWorkers, type ClientOptions, type KubeObject } from '@minik/api';
import { Docker, ensurePauseImage } from './docker/index.js';
import { RuntimeView } from './runtime.js';
import { PodSyncer } from './pod-sync.js';
import { VolumeManager } from './volumes.js';
import { IpAllocator } from './ip-allocator.js';
import { ImageManager } from './images.js';
import { NodeHeartbeat, hostFacts } from './node-status.js';
import { L } from './labels.js';
import { startAgentServer, type AgentServer } from './server/index.js';

export interface AgentOptions {
  cluster: string;
  name: string;
  client: ClientOptions;
  stateDir: string;
  network: string;
  podCIDR: string;
  controlPlane: boolean;
  /** kubeadm taints the control plane NoSchedule; single-node clusters leave it untainted. */
  taintControlPlane?: boolean;
  cpuMilli: number;
  memoryBytes: number;
  kubeletVersion: string;
  /** Port for the agent's own API (logs, exec) on 127.0.0.1; 0 picks a free one. */
  kubeletPort: number;
  /** The cluster DNS Service address given to pods (dnsPolicy ClusterFirst). */
  clusterDNS?: string;
  clusterDomain?: string;
  log?: (msg: string) => void;
  /** How often every pod is synced even without events (kubelet's resync). */
  resyncMs?: number;
  /** Node Lease renewal period, ms (default 10 s as kubelet). */
  leaseRenewMs?: number;
}

export class NodeAgent {
  readonly client: ApiClient;
  readonly docker = new Docker();
  private runtime!: RuntimeView;
  private syncer!: PodSyncer;
  private informer!: Informer<KubeObject>;
  private heartbeat!: NodeHeartbeat;
  private readonly queue = new WorkQueue(50, 10_000);
  private readonly byUid = new Map<string, string>(); // uid → ns/name
  private resync?: NodeJS.Timeout;
  private server?: AgentServer;
  private readonly log: (msg: string) => void;
  readonly hostIP: string;

  constructor(private readonly opts: AgentOptions) {
    this.client = new ApiClient({ ...opts.client, userAgent: `minik-node-agent/${opts.name}` });
    this.log = opts.log ?? ((m) => console.error(m));
    this.hostIP = IpAllocator.nodeAddress(opts.podCIDR);
  }

  async start(): Promise<void> {
    const { opts } = this;
    mkdirSync(opts.stateDir, { recursive: true });
    claimNode(opts.stateDir, opts.name);
    await this.docker.ping();
    const version = (await this.docker.version()) as { Version: string };
    const pauseImage = 'minik/pause:3.10';
    await ensurePauseImage(this.docker, pauseImage);
    mkdirSync(opts.stateDir, { recursive: true });
    this.runtime = new RuntimeView(this.docker, { [L.cluster]: opts.cluster, [L.node]: opts.name });
    this.server = await startAgentServer({
      docker: this.docker,
      runtime: this.runtime,
      token: opts.client.token ?? '',
      port: opts.kubeletPort,
      log: this.log,
      // What kubelet knows beyond Docker (image pull failures, back-off) for log errors.
      podStatus: (ns, name) => (this.informer?.get(`${ns}/${name}`) as Pod | undefined)?.status,
    });
    const recorder = new EventRecorder(this.client, { component: 'kubelet', host: opts.name });
    recorder.onError = (e) => this.log(`event: ${(e as Error).message}`);
    this.heartbeat = new NodeHeartbeat(this.client, {
      name: opts.name,
      podCIDR: opts.podCIDR,
      internalIP: this.hostIP,
      controlPlane: opts.controlPlane,
      taintControlPlane: opts.taintControlPlane ?? true,
      cpuMilli: opts.cpuMilli,
      memoryBytes: opts.memoryBytes,
      kubeletVersion: opts.kubeletVersion,
      containerRuntimeVersion: `docker://${version.Version}`,
      kubeletPort: this.server.port,
      ...hostFacts(),
    }, opts.leaseRenewMs);
    this.heartbeat.onError = (e) => this.log(`heartbeat: ${(e as Error).message}`);
    // The agent may start before the apiserver answers (minik start launches both at once).
    const node = await retryUntilReachable(() => this.heartbeat.register(), 60_000);
    void recorder.event(node, 'Normal', 'Starting', 'Starting kubelet.');

    this.runtime.onChange = (uid) => this.queue.add(uid);
    this.runtime.onError = (e) => this.log(`runtime: ${(e as Error).message}`);
    const ips = new IpAllocator(opts.podCIDR);
    this.syncer = new PodSyncer({
      docker: this.docker,
      runtime: this.runtime,
      client: this.client,
      recorder,
      volumes: new VolumeManager(join(opts.stateDir, 'pods')),
      ips,
      images: new ImageManager(this.docker),
      node: { cluster: opts.cluster, node: opts.name, network: opts.network, pauseImage, clusterDNS: opts.clusterDNS, clusterDomain: opts.clusterDomain },
      hostIP: this.hostIP,
      nodeCpuMilli: opts.cpuMilli,
      nodeMemBytes: opts.memoryBytes,
      requeue: (uid, ms) => this.queue.addAfter(uid, ms),
      log: this.log,
    });
    await this.runtime.start();

    this.informer = new Informer(this.client.resource({ group: '', version: 'v1', resource: 'pods' }), '', { fieldSelector: `spec.nodeName=${opts.name}` });
    this.informer.onError = (e) => this.log(`pods: ${(e as Error).message}`);
    const enqueue = (o: KubeObject) => {
      const uid = o.metadata?.uid;
      if (!uid) return;
      this.byUid.set(uid, `${o.metadata!.namespace}/${o.metadata!.name}`);
      this.queue.add(uid);
    };
    this.informer.on({ add: enqueue, update: (_o, n) => enqueue(n), delete: (o) => this.queue.add(o.metadata!.uid!) });
    this.informer.start();
    await this.informer.synced;
    // Containers no pod wants any more (deleted while the agent was down) get cleaned up.
    for (const uid of this.runtime.pods()) this.queue.add(uid);
    void runWorkers(this.queue, 16, (uid) => this.syncOne(uid), (uid, e) => this.log(`sync ${uid}: ${(e as Error).stack ?? e}`));
    this.heartbeat.start();
    const resync = () => {
      for (const uid of this.byUid.keys()) this.queue.add(uid);
      this.resync = setTimeout(resync, this.opts.resyncMs ?? 30_000);
      this.resync.unref();
    };
    this.resync = setTimeout(resync, this.opts.resyncMs ?? 30_000);
    this.resync.unref();
    this.log(`node ${opts.name} ready (podCIDR ${opts.podCIDR}, docker ${version.Version})`);
  }

  private async syncOne(uid: string): Promise<void> {
    const key = this.byUid.get(uid);
    const pod = key ? (this.informer.get(key) as Pod | undefined) : undefined;
    const current = pod && pod.metadata?.uid === uid ? pod : undefined;
    if (!current) this.byUid.delete(uid);
    await this.syncer.sync(uid, current);
  }

  async stop(): Promise<void> {
    this.heartbeat?.stop();
    if (this.resync) clearTimeout(this.resync);
    this.informer?.stop();
    this.syncer?.stopProbes();
    this.runtime?.stop();
    this.queue.shutdown();
    await this.server?.close();
    await this.client.close();
  }
}

async function retryUntilReachable<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      const unavailable = e instanceof ConnectionError || (e as { code?: number }).code === 503;
      if (!unavailable || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/**
 * One agent per node: two agents for the same node would fight over its containers. The
 * agent's pid is kept in the node's state directory; a live holder stops a second agent.
 */
function claimNode(stateDir: string, node: string): void {
  const file = join(stateDir, 'agent.pid');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (pid && pid !== process.pid) {
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node-agent');
      } catch {
        alive = false;
      }
      if (alive) throw new Error(`another agent for node ${node} is already running (pid ${pid})`);
    }
  }
  writeFileSync(file, `${process.pid}\n`);
}
