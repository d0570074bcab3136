// Namespace controller: when a Namespace is deleted, delete everything in it, then remove the
// `kubernetes` finalizer so the Namespace itself goes (kube-controller-manager's namespace controller).
import type { KubeObject } from '@minik/api';
import { RESOURCES } from '../registry/resources.js';
import { WorkQueue, runWorkers } from './workqueue.js';
import { isNotFound, type Controller, type ControllerContext } from './controller.js';

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  private readonly queue = new WorkQueue(100, 10_000);

  constructor(private readonly ctx: ControllerContext) {}

  start(): void {
    const enqueue = (o: KubeObject) => {
      if (o.metadata?.deletionTimestamp) this.queue.add(o.metadata.name!);
    };
    this.ctx.informer('', 'namespaces').on({ add: enqueue, update: (_o, n) => enqueue(n) });
    void runWorkers(this.queue, 2, (name) => this.sync(name), (name, e) => this.ctx.log(`namespace: ${name}: ${(e as Error).message}`));
  }

  stop(): void {
    this.queue.shutdown();
  }

  private async sync(name: string): Promise<void> {
    const nsClient = this.ctx.resource('', 'namespaces');
    let ns: KubeObject;
    try {
      ns = await nsClient.get('', name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!ns.metadata?.deletionTimestamp) return;
    let remaining = 0;
    for (const def of RESOURCES) {
      if (!def.namespaced || !def.verbs.includes('delete')) continue;
      const rc = this.ctx.resource(def.group, def.resource);
      const list = await rc.list(name);
      if (!list.items.length) continue;
      remaining += list.items.length;
      for (const o of list.items) {
        if (o.metadata?.deletionTimestamp) continue;
        try {
          await rc.delete(name, o.metadata!.name!, { propagationPolicy: 'Background' });
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
    if (remaining > 0) {
      // Graceful deletions (pods) take time; look again shortly.
      this.queue.addAfter(name, 200);
      return;
    }
    const finalizers = ((ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).filter((f) => f !== 'kubernetes');
    await this.ctx.client.request('PUT', `/api/v1/namespaces/${encodeURIComponent(name)}/finalize`, {
      body: { ...ns, spec: { ...(ns.spec as object), finalizers } },
    });
  }
}
