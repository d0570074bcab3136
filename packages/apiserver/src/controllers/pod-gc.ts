// The pod garbage collector (kube-controller-manager's podgc): pods bound to a node that no longer
// exists are force-deleted, since no kubelet will ever finish them (`kubectl delete node` /
// `minik node rm` leave them otherwise). Like Kubernetes it waits a moment before acting, so a
// node deleted and re-registered at once (an agent restart) keeps its pods.
import type { KubeObject } from '@minik/api';
import type { Controller, ControllerContext } from './controller.js';
import { isNotFound } from './controller.js';

const PERIOD_MS = 2000;

export class PodGarbageCollector implements Controller {
  readonly name = 'pod-gc';
  private timer?: NodeJS.Timeout;
  /** Nodes seen missing, and since when. */
  private readonly missingSince = new Map<string, number>();

  constructor(
    private readonly ctx: ControllerContext,
    /** How long a node must stay gone before its pods are collected (Kubernetes: 40 s). */
    private readonly quarantineMs = 40_000,
  ) {}

  start(): void {
    this.ctx.informer('', 'nodes');
    this.ctx.informer('', 'pods');
    const loop = async () => {
      try {
        await this.collect();
      } catch (e) {
        this.ctx.log(`pod-gc: ${(e as Error).message}`);
      }
      this.timer = setTimeout(() => void loop(), PERIOD_MS);
      this.timer.unref();
    };
    this.timer = setTimeout(() => void loop(), PERIOD_MS);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private async collect(): Promise<void> {
    const nodes = this.ctx.informer('', 'nodes');
    const now = Date.now();
    const orphans: KubeObject[] = [];
    const missing = new Set<string>();
    for (const pod of this.ctx.informer('', 'pods').list()) {
      const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
      if (!node || nodes.get(node)) continue;
      missing.add(node);
      const since = this.missingSince.get(node) ?? now;
      this.missingSince.set(node, since);
      if (now - since >= this.quarantineMs) orphans.push(pod);
    }
    for (const n of [...this.missingSince.keys()]) if (!missing.has(n)) this.missingSince.delete(n);
    for (const pod of orphans) {
      await this.ctx
        .resource('', 'pods')
        .delete(pod.metadata!.namespace!, pod.metadata!.name!, { gracePeriodSeconds: 0 })
        .catch((e) => {
          if (!isNotFound(e)) throw e;
        });
    }
  }
}
