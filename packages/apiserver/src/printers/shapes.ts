// The fields the printers read, as they appear in the JSON objects the store holds.
// The apiserver package does not depend on kubernetes-types, and the printers must cope with
// partial objects anyway (everything optional), so these are narrow local shapes.
import type { KubeObject } from '@minik/api';

type Labels = Record<string, string>;
interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface Container {
  name?: string;
  image?: string;
  restartPolicy?: string;
}
interface PodTemplate {
  spec?: { containers?: Container[]; nodeSelector?: Labels };
}
export interface Condition {
  type?: string;
  status?: string;
  reason?: string;
}

export interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}
export interface ContainerStatus {
  name?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface Pod extends KubeObject {
  spec?: {
    containers?: Container[];
    initContainers?: Container[];
    nodeName?: string;
    readinessGates?: { conditionType?: string }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: Condition[];
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
    podIP?: string;
    podIPs?: { ip?: string }[];
    nominatedNodeName?: string;
  };
}

export interface Node extends KubeObject {
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: Condition[];
    addresses?: { type?: string; address?: string }[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string; kernelVersion?: string; containerRuntimeVersion?: string };
  };
}

export interface Namespace extends KubeObject {
  status?: { phase?: string };
}

export interface ServicePort {
  port?: number;
  nodePort?: number;
  protocol?: string;
}
export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
}
export interface Service extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalIPs?: string[];
    externalName?: string;
    ports?: ServicePort[];
    selector?: Labels;
  };
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] } };
}

export interface Endpoints extends KubeObject {
  subsets?: { addresses?: { ip?: string }[]; ports?: { name?: string; port?: number }[] }[];
}

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}
export interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
export interface ServiceAccount extends KubeObject {
  secrets?: unknown[];
}
export interface Lease extends KubeObject {
  spec?: { holderIdentity?: string | null };
}

export interface Deployment extends KubeObject {
  spec?: { replicas?: number; selector?: LabelSelector | null; template?: PodTemplate };
  status?: { updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number };
}
export interface ReplicaSet extends KubeObject {
  spec?: { replicas?: number; selector?: LabelSelector | null; template?: PodTemplate };
  status?: { replicas?: number; readyReplicas?: number };
}
export interface StatefulSet extends KubeObject {
  spec?: { replicas?: number; template?: PodTemplate };
  status?: { readyReplicas?: number };
}
export interface DaemonSet extends KubeObject {
  spec?: { selector?: LabelSelector | null; template?: PodTemplate };
  status?: {
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    numberReady?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
  };
}

interface JobSpec {
  completions?: number | null;
  parallelism?: number | null;
  selector?: LabelSelector | null;
  template?: PodTemplate;
}
export interface Job extends KubeObject {
  spec?: JobSpec;
  status?: { succeeded?: number; startTime?: string; completionTime?: string; conditions?: Condition[] };
}
export interface CronJob extends KubeObject {
  spec?: {
    schedule?: string;
    timeZone?: string | null;
    suspend?: boolean | null;
    jobTemplate?: { spec?: JobSpec };
  };
  status?: { active?: unknown[]; lastScheduleTime?: string };
}

export interface EventSource {
  component?: string;
  host?: string;
}
/** core/v1 Event (events.k8s.io/v1 Events are mapped onto this shape first). */
export interface CoreEvent extends KubeObject {
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  source?: EventSource;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  count?: number;
  series?: { count?: number; lastObservedTime?: string } | null;
  reportingComponent?: string;
  reportingInstance?: string;
}
/** events.k8s.io/v1 Event: the same stored object under other field names. */
export interface EventsV1Event extends KubeObject {
  regarding?: CoreEvent['involvedObject'];
  note?: string;
  reason?: string;
  type?: string;
  eventTime?: string | null;
  series?: CoreEvent['series'];
  reportingController?: string;
  reportingInstance?: string;
  deprecatedSource?: EventSource;
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  deprecatedCount?: number;
}

export interface PersistentVolume extends KubeObject {
  spec?: {
    capacity?: Record<string, string>;
    accessModes?: string[];
    persistentVolumeReclaimPolicy?: string;
    claimRef?: { namespace?: string; name?: string } | null;
    storageClassName?: string;
    volumeAttributesClassName?: string | null;
    volumeMode?: string | null;
  };
  status?: { phase?: string; reason?: string };
}
export interface PersistentVolumeClaim extends KubeObject {
  spec?: {
    volumeName?: string;
    storageClassName?: string | null;
    volumeAttributesClassName?: string | null;
    volumeMode?: string | null;
  };
  status?: { phase?: string; capacity?: Record<string, string>; accessModes?: string[] };
}

export interface Ingress extends KubeObject {
  spec?: { ingressClassName?: string | null; rules?: { host?: string }[]; tls?: unknown[] };
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] } };
}
