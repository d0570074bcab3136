// Per-kind strategies, keyed by `resource` (core) or `resource.group`.
import type { Strategy } from '../strategy.js';
import { configMapStrategy } from './configmap.js';
import { deploymentStrategy } from './deployment.js';
import { endpointsStrategy } from './endpoints.js';
import { endpointSliceStrategy } from './endpointslice.js';
import { eventStrategy } from './event.js';
import { leaseStrategy } from './lease.js';
import { namespaceStrategy } from './namespace.js';
import { nodeStrategy } from './node.js';
import { podStrategy } from './pod.js';
import { replicaSetStrategy } from './replicaset.js';
import { secretStrategy } from './secret.js';
import { serviceAccountStrategy } from './serviceaccount.js';
import { serviceStrategy } from './service.js';

export const strategies: Record<string, Strategy> = {
  configmaps: configMapStrategy,
  endpoints: endpointsStrategy,
  events: eventStrategy,
  namespaces: namespaceStrategy,
  nodes: nodeStrategy,
  pods: podStrategy,
  secrets: secretStrategy,
  serviceaccounts: serviceAccountStrategy,
  services: serviceStrategy,
  'deployments.apps': deploymentStrategy,
  'replicasets.apps': replicaSetStrategy,
  'leases.coordination.k8s.io': leaseStrategy,
  'endpointslices.discovery.k8s.io': endpointSliceStrategy,
};
