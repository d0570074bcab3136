// Starts the in-process controllers (kube-controller-manager's role) against the API.
import type { ApiClient } from '@minik/api';
import { createContext, type Controller } from './controller.js';
import { DeploymentController } from './deployment.js';
import { EndpointsController } from './endpoints.js';
import { EndpointSliceController } from './endpointslice.js';
import { GarbageCollector } from './garbage-collector.js';
import { NamespaceController } from './namespace.js';
import { NodeLifecycleController } from './node-lifecycle.js';
import { PodGarbageCollector } from './pod-gc.js';
import { ReplicaSetController } from './replicaset.js';
import { Scheduler } from '../scheduler/index.js';
import { ServiceProxyController, type AddonSettings } from './service-proxy.js';

export interface RunningControllers {
  synced: Promise<void>;
  stop(): void;
}

export interface ControllerOptions {
  /** minik's add-ons (Service proxies): needs the add-on image and the pods' API address. */
  addons?: AddonSettings;
  /** Node lifecycle: Lease silence before a node goes NotReady (default 40 s); 0 disables it. */
  nodeMonitorGracePeriodMs?: number;
}

export function startControllers(client: ApiClient, log: (msg: string) => void, opts: ControllerOptions = {}): RunningControllers {
  const ctx = createContext(client, log);
  const controllers: Controller[] = [new NamespaceController(ctx), new GarbageCollector(ctx), new ReplicaSetController(ctx), new DeploymentController(ctx), new EndpointsController(ctx), new EndpointSliceController(ctx), new Scheduler(ctx)];
  if (opts.addons) controllers.push(new ServiceProxyController(ctx, opts.addons));
  if (opts.nodeMonitorGracePeriodMs !== 0) {
    // Pod GC's quarantine follows the node grace period (both 40 s; both short with --fast-failover).
    const grace = opts.nodeMonitorGracePeriodMs ?? 40_000;
    controllers.push(new NodeLifecycleController(ctx, grace), new PodGarbageCollector(ctx, grace));
  }
  for (const c of controllers) c.start();
  ctx.startInformers();
  return {
    synced: ctx.synced(),
    stop() {
      for (const c of controllers) c.stop();
      ctx.stopInformers();
    },
  };
}
