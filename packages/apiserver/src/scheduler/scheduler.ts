// minik's kube-scheduler: watches pods and nodes, takes pending pods one at a time from the
// scheduling queue, picks a node (algorithm.ts) and binds the pod through pods/binding. Pods
// that fit nowhere get PodScheduled=False/Unschedulable and a FailedScheduling event, and wait
// for a cluster change.
import { ApiError, EventRecorder, LabelSelectorExpr, metaTime, fromLabelSelector, type Informer, type KubeObject, type LabelRequirement } from '@minik/api';
import type { Controller, ControllerContext } from '../controllers/controller.js';
import { schedulePod, type Profile } from './algorithm.js';
import { SchedulerCache } from './cache.js';
import { truncateMessage, type PodMatcher } from './framework.js';
import { SchedulingQueue, type QueueOptions, type QueuedPodInfo } from './queue.js';
import { isTerminated, podKey, type Node, type Pod, type PodCondition } from './types.js';

export const SCHEDULER_NAME = 'default-scheduler';

export interface SchedulerOptions {
  profile?: Profile;
  queue?: QueueOptions;
  random?: () => number;
}

const assigned = (p: Pod) => !!p.spec?.nodeName;

/** Pods this scheduler is responsible for, as kube-scheduler's informer filters select them. */
export function wantsScheduling(p: Pod): boolean {
  const name = p.spec?.schedulerName;
  return !assigned(p) && (!name || name === SCHEDULER_NAME) && !p.metadata.deletionTimestamp && !isTerminated(p);
}

/** Node changes that can turn a "no" into a "yes" (nodeSchedulingPropertiesChange). */
function nodeSchedulingChanged(a: Node, b: Node): boolean {
  const view = (n: Node) =>
    JSON.stringify([
      n.spec?.unschedulable ?? false,
      n.spec?.taints ?? [],
      n.metadata.labels ?? {},
      n.status?.allocatable ?? n.status?.capacity ?? {},
      (n.status?.conditions ?? []).map((c) => [c.type, c.status]),
    ]);
  return view(a) !== view(b);
}

function controllerOf(p: KubeObject) {
  return p.metadata?.ownerReferences?.find((r) => r.controller);
}

export class Scheduler implements Controller {
  readonly name = 'scheduler';
  private readonly queue: SchedulingQueue;
  private readonly cache = new SchedulerCache();
  private readonly recorder: EventRecorder;
  private readonly pods: Informer<KubeObject>;
  private readonly nodes: Informer<KubeObject>;
  private readonly services: Informer<KubeObject>;
  private readonly replicaSets: Informer<KubeObject>;
  private running = false;
  /** Resolves when the scheduling loop has ended (after stop). */
  done: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly opts: SchedulerOptions = {},
  ) {
    this.queue = new SchedulingQueue(opts.queue);
    this.recorder = new EventRecorder(ctx.client, { component: SCHEDULER_NAME });
    this.recorder.onError = (e) => ctx.log(`scheduler: event: ${(e as Error).message}`);
    this.pods = ctx.informer('', 'pods');
    this.nodes = ctx.informer('', 'nodes');
    this.services = ctx.informer('', 'services');
    this.replicaSets = ctx.informer('apps', 'replicasets');
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.nodes.on({
      add: (n) => {
        this.cache.addNode(n as Node);
        this.queue.moveAllToActiveOrBackoff();
      },
      update: (old, n) => {
        this.cache.updateNode(n as Node);
        if (nodeSchedulingChanged(old as Node, n as Node)) this.queue.moveAllToActiveOrBackoff();
      },
      delete: (n) => this.cache.removeNode(n as Node),
    });
    this.pods.on({
      add: (p) => this.onPod(undefined, p as Pod),
      update: (old, p) => this.onPod(old as Pod, p as Pod),
      delete: (p) => this.onPodDelete(p as Pod),
    });
    this.done = this.loop();
  }

  stop(): void {
    this.running = false;
    this.queue.close();
  }

  private onPod(old: Pod | undefined, pod: Pod): void {
    if (assigned(pod)) {
      this.queue.delete(pod);
      if (isTerminated(pod)) {
        // A finished pod frees its node's resources, like a deleted one.
        if (old && !isTerminated(old)) this.onPodDelete(pod);
        return;
      }
      this.cache.addPod(pod);
      return;
    }
    // An assumed pod is bound already; a stale unbound copy must not be scheduled twice.
    if (wantsScheduling(pod) && !this.cache.isAssumed(pod)) this.queue.update(pod);
    else this.queue.delete(pod);
  }

  private onPodDelete(pod: Pod): void {
    this.queue.delete(pod);
    if (!assigned(pod) && !this.cache.isAssumed(pod)) return;
    this.cache.removePod(pod);
    this.queue.moveAllToActiveOrBackoff();
  }

  private async loop(): Promise<void> {
    // Like kube-scheduler, decide nothing before the caches hold the cluster.
    await Promise.all([this.pods.synced, this.nodes.synced, this.services.synced, this.replicaSets.synced]);
    while (this.running) {
      const qp = await this.queue.pop();
      if (!qp) return;
      try {
        await this.scheduleOne(qp);
      } catch (e) {
        this.ctx.log(`scheduler: ${qp.key}: ${(e as Error).message}`);
        this.queue.requeue(qp, false);
      }
    }
  }

  private async scheduleOne(qp: QueuedPodInfo): Promise<void> {
    const pod = qp.pod;
    if (!wantsScheduling(pod) || this.cache.isAssumed(pod)) return this.queue.done(qp);
    const result = schedulePod(pod, this.cache.nodeInfos(), { profile: this.opts.profile, spreadMatcher: this.spreadMatcher(pod), random: this.opts.random });
    if (result.nodeName === undefined) return this.fail(qp, 'Unschedulable', result.message, true);

    const node = result.nodeName;
    this.cache.assumePod(pod, node);
    // Binding runs in the background, as kube-scheduler's binding cycle does: the assumed pod
    // already counts on its node, so the next pod can be scheduled meanwhile.
    void this.bind(qp, node).catch((e) => {
      this.ctx.log(`scheduler: ${qp.key}: ${(e as Error).message}`);
      this.cache.forgetPod(pod);
      this.queue.requeue(qp, false);
    });
  }

  private async bind(qp: QueuedPodInfo, node: string): Promise<void> {
    const pod = qp.pod;
    const { namespace, name, uid } = pod.metadata;
    try {
      await this.ctx.client.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace!)}/pods/${encodeURIComponent(name!)}/binding`, {
        body: { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid }, target: { apiVersion: 'v1', kind: 'Node', name: node } },
      });
    } catch (e) {
      this.cache.forgetPod(pod);
      // Already bound, being deleted, or gone: nothing left for the scheduler to do.
      if (e instanceof ApiError && (e.code === 409 || e.code === 404)) return this.queue.done(qp);
      return this.fail(qp, 'SchedulerError', `binding rejected: ${(e as Error).message}`, false);
    }
    this.queue.done(qp);
    void this.recorder.event(asPod(pod), 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`);
  }

  /** handleSchedulingFailure: requeue, then tell the user on the pod (event and condition). */
  private async fail(qp: QueuedPodInfo, reason: string, message: string, unschedulable: boolean): Promise<void> {
    this.queue.requeue(qp, unschedulable);
    // Only while the pod still exists and is still pending (it may have gone meanwhile).
    const current = this.pods.get(qp.key) as Pod | undefined;
    if (!current || assigned(current) || current.metadata.uid !== qp.pod.metadata.uid) return;
    void this.recorder.event(asPod(current), 'Warning', 'FailedScheduling', truncateMessage(message));
    await this.setPodScheduledFalse(current, reason, message);
  }

  private async setPodScheduledFalse(pod: Pod, reason: string, message: string): Promise<void> {
    const old = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    // podutil.UpdatePodCondition: write only when something changed.
    if (old && old.status === 'False' && old.reason === reason && old.message === message) return;
    const cond: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : metaTime(),
      reason,
      message,
    };
    try {
      await this.ctx.resource('', 'pods').patch(pod.metadata.namespace, pod.metadata.name!, { status: { conditions: [cond] } }, 'strategic', { subresource: 'status' });
    } catch (e) {
      if (!(e instanceof ApiError && (e.code === 404 || e.code === 409))) this.ctx.log(`scheduler: ${podKey(pod)}: status: ${(e as Error).message}`);
    }
  }

  /**
   * helper.DefaultSelector: the selectors of the Services that select the pod, plus its
   * ReplicaSet's. Pods with another kind of controller spread with their siblings (same
   * controller uid): minik has no StatefulSet lister to read their selector from.
   */
  private spreadMatcher(pod: Pod): PodMatcher | undefined {
    const ns = pod.metadata.namespace;
    const labels = pod.metadata.labels ?? {};
    const reqs: LabelRequirement[] = [];
    const merged: Record<string, string> = {};
    for (const s of this.services.list()) {
      if (s.metadata?.namespace !== ns) continue;
      const sel = (s.spec as { selector?: Record<string, string> } | undefined)?.selector;
      if (!sel || !Object.keys(sel).length) continue;
      if (Object.entries(sel).every(([k, v]) => labels[k] === v)) Object.assign(merged, sel);
    }
    for (const [k, v] of Object.entries(merged)) reqs.push({ key: k, op: '=', values: [v] });
    const owner = controllerOf(pod);
    let siblingsOf: string | undefined;
    if (owner) {
      const rs = owner.kind === 'ReplicaSet' && owner.apiVersion === 'apps/v1' ? this.replicaSets.get(`${ns}/${owner.name}`) : undefined;
      if (rs && rs.metadata?.uid === owner.uid) {
        try {
          reqs.push(...fromLabelSelector((rs.spec as { selector?: never } | undefined)?.selector).requirements);
        } catch {
          siblingsOf = owner.uid;
        }
      } else siblingsOf = owner.uid;
    }
    if (!reqs.length && !siblingsOf) return undefined;
    const selector = new LabelSelectorExpr(reqs);
    return (p) => (reqs.length > 0 && selector.matches(p.metadata.labels)) || (!!siblingsOf && controllerOf(p)?.uid === siblingsOf);
  }
}

/** List items may lack kind/apiVersion; events need them for involvedObject. */
const asPod = (p: Pod): KubeObject => ({ ...p, apiVersion: 'v1', kind: 'Pod' });
