// The node lifecycle controller (kube-controller-manager's nodelifecycle, with its taint-based
// eviction): a node whose Lease stops being renewed for the grace period gets its conditions set
// to Unknown ("Kubelet stopped posting node status."), the unreachable NoSchedule/NoExecute
// taints, and its pods marked not Ready (so Services stop sending them traffic); pods that do
// not tolerate the NoExecute taint, or whose tolerationSeconds ran out, are deleted so their
// controllers replace them elsewhere. A node that reports Ready again loses the taints.
//
// Like Kubernetes, the grace period runs from when this controller last saw the Lease change
// (not from the Lease's own time), so a controller start never declares every node dead.
import { EventRecorder, type KubeObject } from '@minik/api';
import type { Controller, ControllerContext } from './controller.js';
import { isNotFound } from './controller.js';

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
const MONITOR_PERIOD_MS = 1000;

interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}
interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

const conditionsOf = (o: KubeObject | undefined) => ((o?.status as { conditions?: Condition[] } | undefined)?.conditions ?? []) as Condition[];
const taintsOf = (n: KubeObject) => ((n.spec as { taints?: Taint[] } | undefined)?.taints ?? []) as Taint[];
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** v1.Toleration.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if ((t.operator ?? 'Equal') === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/**
 * When a pod on a node with these NoExecute taints must go (taint manager's logic): now if one
 * is not tolerated, at the earliest timeAdded + tolerationSeconds otherwise; never when every
 * toleration is unbounded.
 */
export function evictionTime(taints: Taint[], tolerations: Toleration[], nowMs: number): number | undefined {
  let at: number | undefined;
  for (const taint of taints.filter((x) => x.effect === 'NoExecute')) {
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (!matching.length) return nowMs;
    const bounded = matching.filter((t) => t.tolerationSeconds !== undefined && t.tolerationSeconds !== null);
    if (bounded.length < matching.length) continue; // tolerated forever
    const seconds = Math.max(0, Math.min(...bounded.map((t) => t.tolerationSeconds!)));
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : nowMs;
    const t = added + seconds * 1000;
    at = at === undefined ? t : Math.min(at, t);
  }
  return at;
}

export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle';
  private timer?: NodeJS.Timeout;
  private running = false;
  /** Per node: the Lease renewTime last seen and when this controller saw it change. */
  private readonly probes = new Map<string, { renewTime?: string; seenAt: number }>();
  private readonly started = Date.now();
  private readonly recorder: EventRecorder;
  private readonly evicted = new Set<string>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly gracePeriodMs: number,
  ) {
    this.recorder = new EventRecorder(ctx.client, { component: 'node-controller' });
    this.recorder.onError = () => undefined;
  }

  start(): void {
    for (const r of [['', 'nodes'], ['coordination.k8s.io', 'leases'], ['', 'pods']] as const) this.ctx.informer(r[0], r[1]);
    const loop = async () => {
      if (!this.running) {
        this.running = true;
        try {
          await this.monitor();
        } catch (e) {
          this.ctx.log(`node-lifecycle: ${(e as Error).message}`);
        } finally {
          this.running = false;
        }
      }
      this.timer = setTimeout(() => void loop(), MONITOR_PERIOD_MS);
      this.timer.unref();
    };
    this.timer = setTimeout(() => void loop(), MONITOR_PERIOD_MS);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private async monitor(): Promise<void> {
    const nodes = this.ctx.informer('', 'nodes').list();
    const leases = this.ctx.informer('coordination.k8s.io', 'leases');
    const t = Date.now();
    for (const node of nodes) {
      const name = node.metadata!.name!;
      if (node.metadata?.deletionTimestamp) continue;
      const lease = leases.get(`kube-node-lease/${name}`);
      const renewTime = (lease?.spec as { renewTime?: string } | undefined)?.renewTime;
      const ready = conditionsOf(node).find((c) => c.type === 'Ready');
      const probe = this.probes.get(name);
      // A heartbeat is a Lease renewal or a Ready condition posted anew.
      const beat = `${renewTime}|${ready?.lastHeartbeatTime}`;
      if (!probe || probe.renewTime !== beat) this.probes.set(name, { renewTime: beat, seenAt: probe ? t : Math.max(this.started, t) });
      const seenAt = this.probes.get(name)!.seenAt;
      if (ready && ready.status !== 'Unknown' && t - seenAt > this.gracePeriodMs) await this.markUnknown(node);
      await this.reconcileTaints(node);
    }
    for (const name of [...this.probes.keys()]) if (!nodes.some((n) => n.metadata?.name === name)) this.probes.delete(name);
    await this.evictPods(nodes, t);
  }

  /** tryUpdateNodeHealth: every condition the kubelet owns becomes Unknown. */
  private async markUnknown(node: KubeObject): Promise<void> {
    const ts = now();
    const conditions = conditionsOf(node).map((c) =>
      c.status === 'Unknown'
        ? c
        : { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: ts },
    );
    const name = node.metadata!.name!;
    try {
      await this.ctx.resource('', 'nodes').patch(undefined, name, { status: { conditions } }, 'strategic', { subresource: 'status' });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    void this.recorder.event({ apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } }, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    // MarkPodsNotReady: endpoints drop them at once, before any eviction.
    for (const pod of this.podsOn(name)) {
      const conds = conditionsOf(pod);
      const r = conds.find((c) => c.type === 'Ready');
      if (!r || r.status === 'False') continue;
      const next = conds.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: ts } : c));
      await this.ctx
        .resource('', 'pods')
        .patch(pod.metadata!.namespace!, pod.metadata!.name!, { status: { conditions: next } }, 'strategic', { subresource: 'status' })
        .catch((e) => {
          if (!isNotFound(e)) throw e;
        });
    }
  }

  /** The not-ready / unreachable taints follow the Ready condition (doNoExecuteTaintingPass). */
  private async reconcileTaints(node: KubeObject): Promise<void> {
    const ready = conditionsOf(node).find((c) => c.type === 'Ready');
    const want = ready?.status === 'Unknown' ? TAINT_UNREACHABLE : ready?.status === 'False' ? TAINT_NOT_READY : undefined;
    const taints = taintsOf(node);
    const ours = (k: string) => k === TAINT_UNREACHABLE || k === TAINT_NOT_READY;
    const keep = taints.filter((x) => !ours(x.key) || (x.key === want && (x.effect === 'NoExecute' || x.effect === 'NoSchedule')));
    const next = [...keep];
    if (want) {
      for (const effect of ['NoSchedule', 'NoExecute']) {
        if (!next.some((x) => x.key === want && x.effect === effect)) next.push({ key: want, effect, ...(effect === 'NoExecute' ? { timeAdded: now() } : {}) });
      }
    }
    if (JSON.stringify(next) === JSON.stringify(taints)) return;
    await this.ctx
      .resource('', 'nodes')
      .patch(undefined, node.metadata!.name!, { spec: { taints: next.length ? next : null } }, 'merge')
      .catch((e) => {
        if (!isNotFound(e)) throw e;
      });
  }

  private podsOn(node: string): KubeObject[] {
    return this.ctx
      .informer('', 'pods')
      .list()
      .filter((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName === node);
  }

  /** The taint manager: delete pods whose NoExecute toleration ran out. */
  private async evictPods(nodes: KubeObject[], t: number): Promise<void> {
    for (const node of nodes) {
      const noExecute = taintsOf(node).filter((x) => x.effect === 'NoExecute');
      if (!noExecute.length) continue;
      for (const pod of this.podsOn(node.metadata!.name!)) {
        const uid = pod.metadata!.uid!;
        if (pod.metadata?.deletionTimestamp || this.evicted.has(uid)) continue;
        const phase = (pod.status as { phase?: string } | undefined)?.phase;
        if (phase === 'Succeeded' || phase === 'Failed') continue;
        const at = evictionTime(noExecute, ((pod.spec as { tolerations?: Toleration[] }).tolerations ?? []) as Toleration[], t);
        if (at === undefined || at > t) continue;
        this.evicted.add(uid);
        void this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata!.namespace}/${pod.metadata!.name}`);
        await this.ctx
          .resource('', 'pods')
          .delete(pod.metadata!.namespace!, pod.metadata!.name!)
          .catch((e) => {
            if (!isNotFound(e)) throw e;
          });
      }
    }
    if (this.evicted.size > 10_000) this.evicted.clear();
  }
}
