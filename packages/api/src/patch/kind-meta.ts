/**
 * Patch metadata of the built-in kinds minik serves, transcribed from the struct tags in
 * k8s.io/api (core/v1, apps/v1, batch/v1, networking/v1, coordination/v1) and
 * k8s.io/apimachinery meta/v1. Lists not listed here (tolerations, taints, endpoint
 * subsets, container statuses, volumeClaimTemplates, ...) have no strategy in Kubernetes
 * either: a patch replaces them whole.
 */
import { patchMeta, PatchMetaLookup, type PatchMetaTypes, type TypePatchMeta } from './patch-meta.js';

const { mergeBy, mergeSet, of } = patchMeta;

/** Every object kind has metadata; `status.conditions` are merged by `type` wherever they appear. */
const withMeta = (fields: TypePatchMeta): TypePatchMeta => ({ metadata: of('ObjectMeta'), ...fields });
const conditionsByType: TypePatchMeta = { conditions: mergeBy('type') };

const TYPES: PatchMetaTypes = {
  ObjectMeta: { ownerReferences: mergeBy('uid'), finalizers: mergeSet() },

  PodTemplateSpec: withMeta({ spec: of('PodSpec') }),
  PodSpec: {
    volumes: mergeBy('name', undefined, { retainKeys: true }),
    initContainers: mergeBy('name', 'Container'),
    containers: mergeBy('name', 'Container'),
    // EphemeralContainerCommon has the same tagged fields as Container.
    ephemeralContainers: mergeBy('name', 'Container'),
    imagePullSecrets: mergeBy('name'),
    hostAliases: mergeBy('ip'),
    topologySpreadConstraints: mergeBy('topologyKey'),
    schedulingGates: mergeBy('name'),
    resourceClaims: mergeBy('name', undefined, { retainKeys: true }),
  },
  Container: {
    ports: mergeBy('containerPort'),
    env: mergeBy('name'),
    volumeMounts: mergeBy('mountPath'),
    volumeDevices: mergeBy('devicePath'),
  },
  PodStatus: {
    conditions: mergeBy('type'),
    hostIPs: mergeBy('ip'),
    podIPs: mergeBy('ip'),
    resourceClaimStatuses: mergeBy('name', undefined, { retainKeys: true }),
    nodeAllocatableResourceClaimStatuses: mergeBy('resourceClaimName'),
  },
  Pod: withMeta({ spec: of('PodSpec'), status: of('PodStatus') }),

  // apps/v1
  Deployment: withMeta({ spec: of('DeploymentSpec'), status: of('Conditions') }),
  DeploymentSpec: { template: of('PodTemplateSpec'), strategy: of('DeploymentStrategy', { retainKeys: true }) },
  ReplicaSet: withMeta({ spec: of('TemplateSpec'), status: of('Conditions') }),
  StatefulSet: withMeta({ spec: of('TemplateSpec'), status: of('Conditions') }),
  DaemonSet: withMeta({ spec: of('TemplateSpec'), status: of('Conditions') }),

  // batch/v1
  Job: withMeta({ spec: of('TemplateSpec'), status: of('Conditions') }),
  CronJob: withMeta({ spec: of('CronJobSpec') }),
  CronJobSpec: { jobTemplate: of('JobTemplateSpec') },
  JobTemplateSpec: withMeta({ spec: of('TemplateSpec') }),

  // core/v1, other than Pod
  Service: withMeta({ spec: of('ServiceSpec'), status: of('Conditions') }),
  ServiceSpec: { ports: mergeBy('port') },
  Node: withMeta({ spec: of('NodeSpec'), status: of('NodeStatus') }),
  NodeSpec: { podCIDRs: mergeSet() },
  NodeStatus: { conditions: mergeBy('type'), addresses: mergeBy('type') },
  Namespace: withMeta({ status: of('Conditions') }),
  PersistentVolumeClaim: withMeta({ status: of('Conditions') }),
  ServiceAccount: withMeta({ secrets: mergeBy('name') }),
  Endpoints: withMeta({}),
  EndpointSlice: withMeta({}),
  ConfigMap: withMeta({}),
  Secret: withMeta({}),
  Event: withMeta({}),
  PersistentVolume: withMeta({}),
  Lease: withMeta({}),
  Ingress: withMeta({}),

  // Shared shapes: a spec whose only tagged path is its pod template, a status whose only one is conditions.
  TemplateSpec: { template: of('PodTemplateSpec') },
  Conditions: conditionsByType,
  DeploymentStrategy: {},
};

/** The kinds with strategic-merge metadata; others are patched with merge-patch semantics. */
export const STRATEGIC_MERGE_KINDS: readonly string[] = [
  'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Service', 'Endpoints', 'EndpointSlice', 'Node',
  'Namespace', 'ConfigMap', 'Secret', 'Event', 'Lease', 'ServiceAccount', 'PersistentVolumeClaim', 'PersistentVolume',
  'Ingress',
];

export function isStrategicMergeKind(kind: string): boolean {
  return STRATEGIC_MERGE_KINDS.includes(kind);
}

/**
 * The lookup for a kind's root object; an unknown kind gets one with no metadata at all.
 * A caller with its own metadata (say, for a custom resource) passes a lookup instead.
 */
export function patchMetaForKind(kind: string | PatchMetaLookup): PatchMetaLookup {
  if (kind instanceof PatchMetaLookup) return kind;
  return new PatchMetaLookup(TYPES, isStrategicMergeKind(kind) ? kind : undefined);
}
