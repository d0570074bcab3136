// kubelet's syncPod for one pod: make the containers Docker runs match the pod spec
// (sandbox, init containers in order, app containers with restart policy and back-off),
// tear down on deletion, and report the resulting status.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { ApiError, type ApiClient, type EventRecorder, type KubeObject } from '@minik/api';
import type { Docker, ContainerCreateBody } from './docker/index.js';
import type { ContainerInfo, RuntimeView } from './runtime.js';
import { Backoff, formatDelay } from './backoff.js';
import { buildPodStatus, type Waiting } from './pod-status.js';
import { Prober } from './prober.js';
import { buildEnv, EnvError, RefCache } from './env.js';
import { VolumeError, type VolumeManager } from './volumes.js';
import type { IpAllocator } from './ip-allocator.js';
import type { ImageManager, PullPolicy } from './images.js';
import { containerBody, needsSandbox, resolvConf, sandboxBody, specHash, type NodeContext, type PodNetwork } from './container-config.js';
import { containerName, type Role } from './labels.js';

export interface SyncDeps {
  docker: Docker;
  runtime: RuntimeView;
  client: ApiClient;
  recorder: EventRecorder;
  volumes: VolumeManager;
  ips: IpAllocator;
  images: ImageManager;
  node: NodeContext;
  hostIP: string;
  nodeCpuMilli: number;
  nodeMemBytes: number;
  /** Ask for another sync of this pod after `ms`. */
  requeue(uid: string, ms: number): void;
  log(msg: string): void;
}

const podsApi = { group: '', version: 'v1', resource: 'pods' };

function latestOf(cs: ContainerInfo[], role: Role, name: string): ContainerInfo | undefined {
  return cs.filter((c) => c.role === role && c.container === name).sort((a, b) => b.attempt - a.attempt)[0];
}

function podRef(pod: Pod): string {
  return `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;
}

function fieldPath(role: Role, name: string): string {
  return role === 'init' ? `spec.initContainers{${name}}` : `spec.containers{${name}}`;
}

export class PodSyncer {
  private readonly restarts = new Backoff();
  /** Why each container (uid/name) is not running, for the status. */
  private readonly waiting = new Map<string, Map<string, Waiting>>();
  private readonly lastStatus = new Map<string, string>();
  /** Container ids whose exit has already been counted for back-off. */
  private readonly exitsSeen = new Set<string>();
  private readonly terminating = new Set<string>();
  /** When each container (by id) failed to start: it stays `created`, and restarts back off. */
  private readonly startFailedAt = new Map<string, { uid: string; at: number }>();
  /** Pods (uid) that finished: their stopped containers' addresses are free again. */
  private readonly finished = new Set<string>();

  private readonly prober: Prober;

  constructor(private readonly d: SyncDeps) {
    this.prober = new Prober({
      docker: d.docker,
      event: (pod, type, reason, message, path) => this.event(pod, type, reason, message, path),
      kill: (_pod, id, grace) => d.docker.containerStop(id, grace),
      changed: (uid) => d.requeue(uid, 0),
      log: d.log,
    });
  }

  /** Stops every probe (the agent is shutting down). */
  stopProbes(): void {
    this.prober.stopAll();
  }

  private waitingOf(uid: string): Map<string, Waiting> {
    let m = this.waiting.get(uid);
    if (!m) this.waiting.set(uid, (m = new Map()));
    return m;
  }

  private event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, path?: string): void {
    void this.d.recorder.event(pod as KubeObject, type, reason, message, path);
  }

  /** Brings one pod to its desired state. `pod` is undefined when it no longer exists in the API. */
  async sync(uid: string, pod: Pod | undefined): Promise<void> {
    const containers = this.d.runtime.forPod(uid);
    if (!pod) {
      await this.removeAll(uid, containers, 0);
      this.forget(uid);
      return;
    }
    if (pod.metadata?.deletionTimestamp) {
      this.prober.forget(uid);
      return this.terminate(pod, containers);
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      this.prober.forget(uid);
      this.finished.add(uid);
      // Finished pods keep their containers (for logs) but give back the sandbox.
      const sb = latestOf(containers, 'sandbox', '');
      if (sb?.state === 'running') await this.d.docker.containerStop(sb.id, 0);
      return;
    }
    const waiting = this.waitingOf(uid);
    let podIP: string | undefined;
    let sandbox: ContainerInfo | undefined;
    // The network every new container of this pod gets.
    let net: () => PodNetwork;
    if (needsSandbox(pod)) {
      sandbox = await this.ensureSandbox(pod, containers);
      if (!sandbox) return this.writeStatus(pod, undefined, false);
      podIP = sandbox.podIP;
      const id = sandbox.id;
      net = () => ({ sandboxId: id });
    } else {
      // The single container holds the network: keep its address across restarts. A Service
      // proxy holds its Service's ClusterIP instead.
      const latest = latestOf(containers, 'app', pod.spec!.containers[0].name);
      podIP = fixedPodIP(pod) ?? latest?.podIP;
      net = () => {
        podIP ??= this.allocateIP();
        return { ip: podIP };
      };
    }
    const refs = new RefCache(this.d.client, pod.metadata!.namespace!);
    let prepared;
    try {
      prepared = await this.d.volumes.prepare(pod, refs);
    } catch (e) {
      if (!(e instanceof VolumeError)) throw e;
      this.event(pod, 'Warning', 'FailedMount', e.message);
      for (const c of pod.spec!.containers) waiting.set(c.name, { reason: 'ContainerCreating' });
      this.d.requeue(uid, 2000);
      return this.writeStatus(pod, podIP, false);
    }
    const current = () => this.d.runtime.forPod(uid);

    // Init containers, one at a time, each to successful completion — in this sandbox: a new
    // sandbox (after a node restart) runs them again, as kubelet does.
    let failed = false;
    let initialized = true;
    const sandboxStart = sandbox?.startedAt ? Date.parse(sandbox.startedAt) : 0;
    for (const c of pod.spec!.initContainers ?? []) {
      const found = latestOf(current(), 'init', c.name);
      const cur = found && found.startedAt && Date.parse(found.startedAt) < sandboxStart ? undefined : found;
      const nextAttempt = (found?.attempt ?? -1) + 1;
      if (cur?.state === 'running') {
        waiting.delete(c.name);
        initialized = false;
        break;
      }
      if (cur && cur.state === 'exited' && cur.exitCode === 0) {
        waiting.delete(c.name);
        continue;
      }
      initialized = false;
      if (cur && cur.state === 'exited') {
        if (pod.spec!.restartPolicy === 'Never') {
          failed = true;
          break;
        }
        if (this.inBackOff(pod, c, 'init', cur, waiting)) break;
      }
      await this.startContainer(pod, c, 'init', nextAttempt, net, refs, prepared, waiting);
      break;
    }
    if (initialized && !failed) {
      for (const c of pod.spec!.containers) {
        const cur = latestOf(current(), 'app', c.name);
        if (cur?.state === 'running') {
          if (cur.specHash && cur.specHash !== specHash(c)) {
            this.event(pod, 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`, fieldPath('app', c.name));
            await this.d.docker.containerStop(cur.id, pod.spec!.terminationGracePeriodSeconds ?? 30);
            await this.startContainer(pod, c, 'app', cur.attempt + 1, net, refs, prepared, waiting);
          } else waiting.delete(c.name);
          continue;
        }
        if (cur && (cur.state === 'exited' || cur.state === 'dead' || cur.state === 'created')) {
          const policy = pod.spec!.restartPolicy ?? 'Always';
          const restart = cur.state === 'created' || policy === 'Always' || (policy === 'OnFailure' && cur.exitCode !== 0);
          if (!restart) {
            waiting.delete(c.name);
            continue;
          }
          // A container that never ran (agent stopped between create and start) starts at once;
          // one whose start failed backs off like a crash, as kubelet's RunContainerError does.
          const failedAt = this.startFailedAt.get(cur.id)?.at;
          if ((cur.state !== 'created' || failedAt) && this.inBackOff(pod, c, 'app', cur, waiting, failedAt)) continue;
          await this.startContainer(pod, c, 'app', cur.attempt + 1, net, refs, prepared, waiting);
          continue;
        }
        if (!cur) await this.startContainer(pod, c, 'app', 0, net, refs, prepared, waiting);
      }
    }
    await this.pruneOld(uid);
    // Without a sandbox the pod has an IP only while its container runs.
    if (!sandbox) podIP = latestOf(this.d.runtime.forPod(uid), 'app', pod.spec!.containers[0].name)?.state === 'running' ? podIP : undefined;
    const running = pod.spec!.containers.map((c) => latestOf(this.d.runtime.forPod(uid), 'app', c.name)).filter((c): c is ContainerInfo => c?.state === 'running');
    this.prober.update(pod, podIP, running.map((c) => ({ name: c.container, id: c.id, startedAt: c.startedAt })));
    await this.writeStatus(pod, podIP, failed);
  }

  /** Restart back-off: the first restart is immediate, then 10 s doubling to 5 min (kubelet). */
  private inBackOff(pod: Pod, c: Container, role: Role, cur: ContainerInfo, waiting: Map<string, Waiting>, failedAt?: number): boolean {
    const key = `${pod.metadata!.uid}/${c.name}`;
    const finished = failedAt ?? (cur.finishedAt ? Date.parse(cur.finishedAt) : Date.now());
    const delay = this.restarts.delay(key);
    const remaining = delay ? delay - (Date.now() - finished) : 0;
    if (remaining > 0) {
      const message = `back-off ${formatDelay(delay)} restarting failed container=${c.name} pod=${podRef(pod)}`;
      if (!this.exitsSeen.has(cur.id)) {
        this.exitsSeen.add(cur.id);
        this.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podRef(pod)}`, fieldPath(role, c.name));
      }
      waiting.set(c.name, { reason: 'CrashLoopBackOff', message });
      this.d.requeue(pod.metadata!.uid!, remaining + 50);
      return true;
    }
    this.restarts.next(key, finished);
    return false;
  }

  private async ensureSandbox(pod: Pod, containers: ContainerInfo[]): Promise<ContainerInfo | undefined> {
    const sb = latestOf(containers, 'sandbox', '');
    if (sb?.state === 'running') return sb;
    const uid = pod.metadata!.uid!;
    if (sb) {
      // The sandbox died (node stopped, daemon restarted): every container of the pod lost its
      // network, so they all start again in a new sandbox, as kubelet does.
      for (const c of containers) if (c.role !== 'sandbox' && c.state === 'running') await this.d.docker.containerStop(c.id, 0);
      await this.d.docker.containerRemove(sb.id, { force: true });
      this.d.runtime.forget(sb.id);
    }
    const ip = this.allocateIP();
    const attempt = sb ? sb.attempt + 1 : 0;
    const name = containerName(this.d.node.cluster, 'sandbox', '', pod.metadata!.name!, pod.metadata!.namespace!, uid, attempt);
    try {
      const id = await this.d.docker.containerCreate(name, sandboxBody(this.d.node, pod, attempt, ip) as unknown as ContainerCreateBody);
      await this.d.docker.containerStart(id);
      return await this.d.runtime.refresh(id, false);
    } catch (e) {
      this.d.ips.release(ip);
      this.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(e as Error).message}`);
      this.d.requeue(uid, 5000);
      return undefined;
    }
  }

  /**
   * A free pod IP. Taken: addresses of running containers, and those a stopped single-container
   * pod will start again with (after `minik stop`, each pod keeps its address) unless it finished.
   */
  private allocateIP(): string {
    const inUse = this.d.runtime
      .all()
      .filter((c) => c.podIP && (c.state === 'running' || c.state === 'created' || c.state === 'restarting' || (c.role === 'app' && !this.finished.has(c.podUid))))
      .map((c) => c.podIP!);
    return this.d.ips.allocate(inUse);
  }

  private async startContainer(
    pod: Pod,
    c: Container,
    role: Role,
    attempt: number,
    net: () => PodNetwork,
    refs: RefCache,
    prepared: Awaited<ReturnType<VolumeManager['prepare']>>,
    waiting: Map<string, Waiting>,
  ): Promise<void> {
    const uid = pod.metadata!.uid!;
    const path = fieldPath(role, c.name);
    const img = await this.d.images.ensure(c.image ?? '', c.imagePullPolicy as PullPolicy | undefined, `${uid}/${c.name}/image`);
    for (const e of img.events) this.event(pod, e.type, e.reason, e.message, path);
    if (img.waiting) {
      waiting.set(c.name, img.waiting);
      this.d.requeue(uid, Math.max(1000, this.d.images.retryAfter(`${uid}/${c.name}/image`)));
      return;
    }
    const network = net();
    const podIP = 'ip' in network ? network.ip : (this.d.runtime.forPod(uid).find((x) => x.role === 'sandbox' && x.state === 'running')?.podIP ?? '');
    let env: Record<string, string>;
    let mounts;
    try {
      env = await buildEnv(c, { pod, refs, podIP, hostIP: this.d.hostIP, nodeCpuMilli: this.d.nodeCpuMilli, nodeMemBytes: this.d.nodeMemBytes });
      mounts = this.d.volumes.mounts(c.volumeMounts, prepared);
      // Docker would point /etc/resolv.conf at its embedded resolver (127.0.0.11); pods get
      // the cluster DNS itself, as kubelet writes it (`nameserver 10.96.0.10`, search path).
      const conf = resolvConf(this.d.node, pod);
      if (conf) mounts.push({ Type: 'bind', Source: this.d.volumes.writePodFile(uid, 'resolv.conf', conf), Target: '/etc/resolv.conf', ReadOnly: false });
    } catch (e) {
      if (!(e instanceof EnvError) && !(e instanceof VolumeError)) throw e;
      waiting.set(c.name, { reason: 'CreateContainerConfigError', message: e.message });
      this.event(pod, 'Warning', 'Failed', `Error: ${e.message}`, path);
      this.d.requeue(uid, 5000);
      return;
    }
    const name = containerName(this.d.node.cluster, role, c.name, pod.metadata!.name!, pod.metadata!.namespace!, uid, attempt);
    let id: string;
    try {
      // A leftover with the same name (an agent that died mid-create) is replaced.
      const stale = this.d.runtime.forPod(uid).find((x) => x.name === name);
      if (stale) await this.d.docker.containerRemove(stale.id, { force: true });
      id = await this.d.docker.containerCreate(name, containerBody(this.d.node, pod, c, role, attempt, network, env, mounts) as unknown as ContainerCreateBody);
    } catch (e) {
      const message = (e as Error).message;
      waiting.set(c.name, { reason: 'CreateContainerError', message });
      this.event(pod, 'Warning', 'Failed', `Error: ${message}`, path);
      this.d.requeue(uid, 5000);
      return;
    }
    this.event(pod, 'Normal', 'Created', `Created container ${c.name}`, path);
    try {
      await this.d.docker.containerStart(id);
    } catch (e) {
      const message = (e as Error).message;
      this.event(pod, 'Warning', 'Failed', `Error: failed to start container "${c.name}": ${message}`, path);
      waiting.set(c.name, { reason: 'RunContainerError', message });
      this.startFailedAt.set(id, { uid, at: Date.now() });
      await this.d.runtime.refresh(id, false);
      this.d.requeue(uid, 1000);
      return;
    }
    waiting.delete(c.name);
    this.event(pod, 'Normal', 'Started', `Started container ${c.name}`, path);
    await this.d.runtime.refresh(id, false);
  }

  /** Keeps the current and the previous attempt of each container (for `logs --previous`). */
  private async pruneOld(uid: string): Promise<void> {
    const byName = new Map<string, ContainerInfo[]>();
    for (const c of this.d.runtime.forPod(uid)) {
      const k = `${c.role}/${c.container}`;
      byName.set(k, [...(byName.get(k) ?? []), c]);
    }
    for (const list of byName.values()) {
      list.sort((a, b) => b.attempt - a.attempt);
      for (const old of list.slice(2)) {
        if (old.state === 'running') continue;
        await this.d.docker.containerRemove(old.id, { force: true });
        this.d.runtime.forget(old.id);
      }
    }
  }

  private async writeStatus(pod: Pod, podIP: string | undefined, failed: boolean): Promise<void> {
    const uid = pod.metadata!.uid!;
    const status = buildPodStatus({
      pod,
      containers: this.d.runtime.forPod(uid),
      waiting: this.waitingOf(uid),
      hostIP: this.d.hostIP,
      podIP,
      failed,
      ready: (name, running) => this.prober.ready(uid, name, running),
    });
    const json = JSON.stringify(status);
    if (this.lastStatus.get(uid) === json) return;
    // Compare with what the API has, ignoring timestamps that did not move.
    if (JSON.stringify(pod.status ?? {}) === json) {
      this.lastStatus.set(uid, json);
      return;
    }
    try {
      await this.d.client.resource(podsApi).patch(pod.metadata!.namespace!, pod.metadata!.name!, { status }, 'merge', { subresource: 'status' });
      this.lastStatus.set(uid, json);
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return;
      throw e;
    }
  }

  /** Graceful termination: SIGTERM, grace period, SIGKILL; then the final delete (grace 0). */
  private async terminate(pod: Pod, containers: ContainerInfo[]): Promise<void> {
    const uid = pod.metadata!.uid!;
    if (this.terminating.has(uid)) return;
    this.terminating.add(uid);
    try {
      const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      await this.removeAll(uid, containers, grace, pod);
      try {
        await this.d.client.resource(podsApi).delete(pod.metadata!.namespace!, pod.metadata!.name!, { gracePeriodSeconds: 0, preconditions: { uid } });
      } catch (e) {
        if (!(e instanceof ApiError && (e.code === 404 || e.code === 409))) throw e;
      }
      this.forget(uid);
    } finally {
      this.terminating.delete(uid);
    }
  }

  private async removeAll(uid: string, containers: ContainerInfo[], grace: number, pod?: Pod): Promise<void> {
    const running = containers.filter((c) => c.role !== 'sandbox' && c.state === 'running');
    await Promise.all(
      running.map(async (c) => {
        if (pod) this.event(pod, 'Normal', 'Killing', `Stopping container ${c.container}`, fieldPath(c.role, c.container));
        await this.d.docker.containerStop(c.id, grace);
      }),
    );
    for (const c of containers) {
      await this.d.docker.containerRemove(c.id, { force: true });
      this.d.runtime.forget(c.id);
    }
    this.d.volumes.cleanup(uid);
  }

  private forget(uid: string): void {
    this.prober.forget(uid);
    this.waiting.delete(uid);
    this.lastStatus.delete(uid);
    this.restarts.forgetPrefix(`${uid}/`);
    this.finished.delete(uid);
    for (const [id, f] of this.startFailedAt) if (f.uid === uid) this.startFailedAt.delete(id);
  }
}

/**
 * minik's Service proxies (kube-system pods labelled k8s-app=kube-proxy) take the ClusterIP their
 * Service proxy controller wrote in an annotation; no other pod may choose its address.
 */
function fixedPodIP(pod: Pod): string | undefined {
  const m = pod.metadata;
  if (m?.namespace !== 'kube-system' || m.labels?.['k8s-app'] !== 'kube-proxy') return undefined;
  return m.annotations?.['minik.io/pod-ip'];
}
