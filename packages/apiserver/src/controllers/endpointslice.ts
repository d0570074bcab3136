// EndpointSlice controller (pkg/controller/endpointslice/endpointslice_controller.go): for every
// Service with a selector, discovery.k8s.io/v1 EndpointSlices named `<service>-<random>`, labelled
// with the Service's name and `managed-by: endpointslice-controller.k8s.io`, owned by the Service
// (the garbage collector deletes them with it), listing the selected pods with their
// ready/serving/terminating conditions. kubectl (1.29 and later) reads these for the
// `Endpoints:` line of `describe service`. What is written is planned by endpointslice-reconciler.
import type { Informer, KubeObject } from '@minik/api';
import { isConflict, isNotFound, type Controller, type ControllerContext } from './controller.js';
import { TriggerTimeTracker, podsForService, serviceSelector, servicesMatching, servicesToUpdateOnPodChange, type Service } from './endpoints-util.js';
import { CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, reconcile, type EndpointSlice, type NodeView } from './endpointslice-reconciler.js';
import { isNamespaceTerminating } from './replicaset.js';
import { WorkQueue, runWorkers } from './workqueue.js';
import { keyOf, splitKey, type Pod } from './workload-types.js';

/** --concurrent-service-endpoint-syncs */
const WORKERS = 5;
/** endpointSliceChangeMinSyncDelay: how long a change someone else made to a managed slice waits. */
const SLICE_CHANGE_MIN_SYNC_DELAY_MS = 1000;
const DELETION_EXPECTED = -1;

class StaleCacheError extends Error {}

/**
 * EndpointSliceTracker: the generation of every slice this controller last wrote (or that it
 * expects gone), per Service, so that its own writes coming back through the informer are not
 * mistaken for outside changes and a cache that has not caught up yet is noticed.
 */
export class EndpointSliceTracker {
  private readonly byService = new Map<string, Map<string, number>>();

  private static serviceKey(s: EndpointSlice): string {
    return `${s.metadata.namespace}/${s.metadata.labels?.[SERVICE_NAME_LABEL] ?? ''}`;
  }

  private gens(s: EndpointSlice): Map<string, number> | undefined {
    return this.byService.get(EndpointSliceTracker.serviceKey(s));
  }

  has(s: EndpointSlice): boolean {
    return this.gens(s)?.has(s.metadata.uid!) ?? false;
  }

  /** ShouldSync: a slice this controller did not write, or one changed since it did. */
  shouldSync(s: EndpointSlice): boolean {
    const g = this.gens(s)?.get(s.metadata.uid!);
    return g === undefined || (s.metadata.generation ?? 0) > g;
  }

  update(s: EndpointSlice): void {
    const key = EndpointSliceTracker.serviceKey(s);
    let gens = this.byService.get(key);
    if (!gens) this.byService.set(key, (gens = new Map()));
    gens.set(s.metadata.uid!, s.metadata.generation ?? 0);
  }

  expectDeletion(s: EndpointSlice): void {
    const key = EndpointSliceTracker.serviceKey(s);
    let gens = this.byService.get(key);
    if (!gens) this.byService.set(key, (gens = new Map()));
    gens.set(s.metadata.uid!, DELETION_EXPECTED);
  }

  /** HandleDeletion: false when the deletion was not this controller's doing. */
  handleDeletion(s: EndpointSlice): boolean {
    const gens = this.gens(s);
    if (gens) {
      const g = gens.get(s.metadata.uid!);
      gens.delete(s.metadata.uid!);
      if (g !== undefined && g !== DELETION_EXPECTED) return false;
    }
    return true;
  }

  deleteService(key: string): void {
    this.byService.delete(key);
  }

  /** StaleSlices: the cache lags behind a write, or still holds a slice deleted since. */
  staleSlices(svc: Service, slices: EndpointSlice[]): boolean {
    const gens = this.byService.get(keyOf(svc));
    if (!gens) return false;
    const provided = new Set<string>();
    for (const s of slices) {
      provided.add(s.metadata.uid!);
      const g = gens.get(s.metadata.uid!);
      if (g !== undefined && (g === DELETION_EXPECTED || g > (s.metadata.generation ?? 0))) return true;
    }
    for (const [uid, g] of gens) if (g !== DELETION_EXPECTED && !provided.has(uid)) return true;
    return false;
  }
}

const managedByUs = (s: EndpointSlice) => s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME;

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice';
  private readonly queue = new WorkQueue(50, 60_000);
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<NodeView>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly tracker = new EndpointSliceTracker();
  private readonly triggerTimes = new TriggerTimeTracker();

  constructor(private readonly ctx: ControllerContext) {
    this.services = ctx.informer('', 'services') as Informer<Service>;
    this.pods = ctx.informer('', 'pods') as Informer<Pod>;
    this.nodes = ctx.informer('', 'nodes') as Informer<NodeView>;
    this.slices = ctx.informer('discovery.k8s.io', 'endpointslices') as Informer<EndpointSlice>;
  }

  start(): void {
    const svcChanged = (s: KubeObject) => this.queue.add(keyOf(s));
    this.services.on({ add: svcChanged, update: (_o, s) => svcChanged(s), delete: svcChanged });
    this.pods.on({
      add: (p) => this.podAdded(p),
      update: (o, p) => {
        for (const key of servicesToUpdateOnPodChange(this.services.list(), o, p)) this.queue.add(key);
      },
      delete: (p) => this.podAdded(p),
    });
    this.slices.on({ add: (s) => this.sliceAdded(s), update: (o, s) => this.sliceUpdated(o, s), delete: (s) => this.sliceDeleted(s) });
    void Promise.all([this.services.synced, this.pods.synced, this.nodes.synced, this.slices.synced]).then(() =>
      runWorkers(this.queue, WORKERS, (key) => this.sync(key), (key, e) => {
        if (!(e instanceof StaleCacheError) && !isConflict(e)) this.ctx.log(`endpointslice-controller: syncing ${key}: ${(e as Error).message}`);
      }),
    );
  }

  stop(): void {
    this.queue.shutdown();
  }

  private podAdded(pod: Pod): void {
    for (const key of servicesMatching(this.services.list(), pod.metadata.namespace, pod.metadata.labels)) this.queue.add(key);
  }

  // ---- slices changed by others: look again after endpointSliceChangeMinSyncDelay ----------------

  private queueForSlice(s: EndpointSlice): void {
    const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
    if (svc) this.queue.addAfter(`${s.metadata.namespace}/${svc}`, SLICE_CHANGE_MIN_SYNC_DELAY_MS);
  }

  private sliceAdded(s: EndpointSlice): void {
    if (managedByUs(s) && this.tracker.shouldSync(s)) this.queueForSlice(s);
  }

  private sliceUpdated(old: EndpointSlice, cur: EndpointSlice): void {
    // Generation does not count label changes made elsewhere to the service-name label itself.
    if (old.metadata.labels?.[SERVICE_NAME_LABEL] !== cur.metadata.labels?.[SERVICE_NAME_LABEL]) {
      this.queueForSlice(cur);
      this.queueForSlice(old);
      return;
    }
    if (managedByUs(old) !== managedByUs(cur) || (managedByUs(cur) && this.tracker.shouldSync(cur))) this.queueForSlice(cur);
  }

  private sliceDeleted(s: EndpointSlice): void {
    if (managedByUs(s) && this.tracker.has(s) && !this.tracker.handleDeletion(s)) this.queueForSlice(s);
  }

  // ---- sync -------------------------------------------------------------------------------------

  private async sync(key: string): Promise<void> {
    const svc = this.services.get(key);
    if (!svc) {
      // The slices go with the Service (owner references); only the bookkeeping is left.
      this.triggerTimes.deleteService(key);
      this.tracker.deleteService(key);
      return;
    }
    if (svc.spec?.type === 'ExternalName' || !serviceSelector(svc)) return;
    const { namespace, name } = splitKey(key);
    const pods = podsForService(svc, this.pods.list());
    const existing = this.slices
      .list()
      .filter((s) => s.metadata.namespace === namespace && s.metadata.labels?.[SERVICE_NAME_LABEL] === name && managedByUs(s) && !s.metadata.deletionTimestamp);
    if (this.tracker.staleSlices(svc, existing)) throw new StaleCacheError('EndpointSlice informer cache is out of date');
    const triggerTime = this.triggerTimes.compute(svc, pods);
    const plan = reconcile({ service: svc, pods, existing, node: (n) => this.nodes.get(n), triggerTime });

    const client = this.ctx.resource('discovery.k8s.io', 'endpointslices');
    // No new slices for a Service being deleted: the garbage collector would race them.
    if (!svc.metadata.deletionTimestamp) {
      for (const s of plan.create) {
        try {
          this.tracker.update((await client.create(namespace, s)) as EndpointSlice);
        } catch (e) {
          if (isNamespaceTerminating(e)) return;
          throw new Error(`failed to create EndpointSlice for Service ${key}: ${(e as Error).message}`, { cause: e });
        }
      }
    }
    for (const s of plan.update) {
      try {
        this.tracker.update((await client.update(namespace, s)) as EndpointSlice);
      } catch (e) {
        if (isConflict(e)) throw e;
        throw new Error(`failed to update ${s.metadata.name} EndpointSlice for Service ${key}: ${(e as Error).message}`, { cause: e });
      }
    }
    for (const s of plan.delete) {
      try {
        // Expected before the informer can report it.
        this.tracker.expectDeletion(s);
        await client.delete(namespace, s.metadata.name!);
      } catch (e) {
        if (!isNotFound(e)) throw new Error(`failed to delete ${s.metadata.name} EndpointSlice for Service ${key}: ${(e as Error).message}`, { cause: e });
      }
    }
    if (plan.errors.length) throw new Error(plan.errors.join('; '));
  }
}
