// Endpoints controller (pkg/controller/endpoint/endpoints_controller.go): for every Service with a
// selector, an Endpoints object of the same name listing the selected pods' addresses per port,
// ready ones under `addresses` and the others under `notReadyAddresses`. Services without a
// selector keep the Endpoints their users write; the Endpoints of a deleted Service are deleted.
// Informer-driven: a pod's readiness change re-syncs its Services at once.
import { EventRecorder, type Informer, type KubeObject } from '@minik/api';
import { isConflict, isNotFound, type Controller, type ControllerContext } from './controller.js';
import { MAX_CAPACITY, addressCount, desiredSubsets, isHeadless, subsetsEqual, truncateSubsets, type EndpointSubset } from './endpoints-subsets.js';
import {
  HEADLESS_LABEL,
  LAST_CHANGE_TRIGGER_TIME,
  LEADER_ANNOTATION,
  OVER_CAPACITY,
  TriggerTimeTracker,
  podsForService,
  rfc3339Nano,
  serviceSelector,
  servicesMatching,
  servicesToUpdateOnPodChange,
  type Service,
} from './endpoints-util.js';
import { isNamespaceTerminating } from './replicaset.js';
import { semanticEqual } from '../registry/kinds/util.js';
import { WorkQueue, runWorkers } from './workqueue.js';
import { keyOf, splitKey, type Pod } from './workload-types.js';

/** --concurrent-endpoint-syncs */
const WORKERS = 5;

export interface Endpoints extends KubeObject {
  subsets?: EndpointSubset[];
}

/** The informer has not caught up with this controller's own last write yet. */
class StaleCacheError extends Error {}

export class EndpointsController implements Controller {
  readonly name = 'endpoint';
  private readonly queue = new WorkQueue();
  private readonly recorder: EventRecorder;
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly endpoints: Informer<Endpoints>;
  private readonly triggerTimes = new TriggerTimeTracker();
  /** staleEndpointsTracker: key → the resourceVersion an update of ours replaced. */
  private readonly stale = new Map<string, string>();

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = new EventRecorder(ctx.client, { component: 'endpoint-controller' });
    this.recorder.onError = (e) => ctx.log(`endpoint-controller: recording an event: ${(e as Error).message}`);
    this.services = ctx.informer('', 'services') as Informer<Service>;
    this.pods = ctx.informer('', 'pods') as Informer<Pod>;
    this.endpoints = ctx.informer('', 'endpoints') as Informer<Endpoints>;
  }

  start(): void {
    const svcChanged = (s: KubeObject) => this.queue.add(keyOf(s));
    this.services.on({ add: svcChanged, update: (_o, s) => svcChanged(s), delete: svcChanged });
    this.pods.on({ add: (p) => this.podAdded(p), update: (o, p) => this.podUpdated(o, p), delete: (p) => this.podAdded(p) });
    this.endpoints.on({ delete: (ep) => this.queue.add(keyOf(ep)) });
    void Promise.all([this.services.synced, this.pods.synced, this.endpoints.synced]).then(() => {
      const done = runWorkers(this.queue, WORKERS, (key) => this.sync(key), (key, e) => {
        if (!(e instanceof StaleCacheError) && !isConflict(e)) this.ctx.log(`endpoint-controller: syncing ${key}: ${(e as Error).message}`);
      });
      this.checkLeftoverEndpoints();
      return done;
    });
  }

  stop(): void {
    this.queue.shutdown();
  }

  /** addPod / deletePod: the Services selecting the pod. */
  private podAdded(pod: Pod): void {
    for (const key of servicesMatching(this.services.list(), pod.metadata.namespace, pod.metadata.labels)) this.queue.add(key);
  }

  private podUpdated(old: Pod, cur: Pod): void {
    for (const key of servicesToUpdateOnPodChange(this.services.list(), old, cur)) this.queue.add(key);
  }

  /**
   * Once at start: every Endpoints object is looked at, so that those whose Service went away
   * while the controller was not running are deleted (leader-election records excepted).
   */
  private checkLeftoverEndpoints(): void {
    for (const ep of this.endpoints.list()) {
      if (ep.metadata?.annotations?.[LEADER_ANNOTATION] !== undefined) continue;
      this.queue.add(keyOf(ep));
    }
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const client = this.ctx.resource('', 'endpoints');
    const svc = this.services.get(key);
    if (!svc) {
      // The Service is gone: so are its Endpoints.
      try {
        await client.delete(namespace, name);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      this.triggerTimes.deleteService(key);
      this.stale.delete(key);
      return;
    }
    // ExternalName Services get no endpoints; Services without a selector get the user's.
    if (svc.spec?.type === 'ExternalName' || !serviceSelector(svc)) return;

    const pods = podsForService(svc, this.pods.list());
    // Computed even when nothing is written, so that the tracker stays current.
    const triggerTime = this.triggerTimes.compute(svc, pods);
    const { subsets } = desiredSubsets(svc, pods);

    const current = this.endpoints.get(key);
    if (current && this.stale.get(key) === current.metadata?.resourceVersion) {
      throw new StaleCacheError(`endpoints informer cache is out of date, resource version ${current.metadata?.resourceVersion} already processed for endpoints ${key}`);
    }
    const svcLabels = svc.metadata.labels;
    if (current) {
      const labels = { ...(current.metadata?.labels ?? {}) };
      delete labels[HEADLESS_LABEL];
      const capacityOk = addressCount(subsets) <= MAX_CAPACITY && current.metadata?.annotations?.[OVER_CAPACITY] === undefined;
      if (subsetsEqual(current.subsets, subsets) && semanticEqual(labels, svcLabels) && capacityOk) return;
    }

    const next: Endpoints = current
      ? structuredClone(current)
      : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, ...(svcLabels ? { labels: { ...svcLabels } } : {}) } };
    next.apiVersion = 'v1';
    next.kind = 'Endpoints';
    const meta = next.metadata!;
    const annotations = { ...(meta.annotations ?? {}) };
    if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(triggerTime);
    else delete annotations[LAST_CHANGE_TRIGGER_TIME];
    if (truncateSubsets(subsets)) annotations[OVER_CAPACITY] = 'truncated';
    else delete annotations[OVER_CAPACITY];
    const labels: Record<string, string> = { ...(svcLabels ?? {}) };
    if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
    else delete labels[HEADLESS_LABEL];
    // Go's omitempty: empty maps and lists are not written.
    if (Object.keys(labels).length) meta.labels = labels;
    else delete meta.labels;
    if (Object.keys(annotations).length) meta.annotations = annotations;
    else delete meta.annotations;
    if (subsets.length) next.subsets = subsets;
    else delete next.subsets;

    try {
      if (!current) {
        await client.create(namespace, next);
      } else {
        const updated = await client.update(namespace, next);
        if (updated.metadata?.resourceVersion !== current.metadata?.resourceVersion) this.stale.set(key, current.metadata?.resourceVersion ?? '');
      }
    } catch (e) {
      // A namespace being deleted refuses new objects; there is nothing to retry.
      if (!current && isNamespaceTerminating(e)) return;
      if (!isConflict(e)) {
        const why = current ? ['FailedToUpdateEndpoint', `Failed to update endpoint ${namespace}/${name}: ${(e as Error).message}`] : ['FailedToCreateEndpoint', `Failed to create endpoint for service ${namespace}/${name}: ${(e as Error).message}`];
        void this.recorder.event(next, 'Warning', why[0], why[1]);
      }
      throw e;
    }
  }
}
