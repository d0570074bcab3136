// The Node object and its heartbeat, as kubelet keeps them: registration with labels, taints,
// capacity and system info; a Lease in kube-node-lease renewed every 10 s; status updates
// when something changes (and every 5 minutes otherwise).
import os from 'node:os';
import { ApiError, metaTime, type ApiClient, type KubeObject } from '@minik/api';

export interface NodeSpec {
  name: string;
  podCIDR: string;
  internalIP: string;
  controlPlane: boolean;
  taintControlPlane: boolean;
  cpuMilli: number;
  memoryBytes: number;
  kubeletVersion: string;
  containerRuntimeVersion: string;
  kernelVersion: string;
  osImage: string;
  architecture: string;
  kubeletPort: number;
}

const nodes = { group: '', version: 'v1', resource: 'nodes' };
const leases = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };

export const LEASE_DURATION_SECONDS = 40;
export const LEASE_RENEW_MS = 10_000;
const STATUS_REPORT_MS = 5 * 60_000;

/** metav1.MicroTime: RFC 3339 with exactly six fractional digits. */
function microNow(): string {
  return new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function quantityMi(bytes: number): string {
  return `${Math.floor(bytes / 1024)}Ki`;
}

export function nodeObject(s: NodeSpec): KubeObject {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': s.architecture,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': s.architecture,
    'kubernetes.io/hostname': s.name,
    'kubernetes.io/os': 'linux',
  };
  if (s.controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: s.name, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
    spec: {
      podCIDR: s.podCIDR,
      podCIDRs: [s.podCIDR],
      ...(s.controlPlane && s.taintControlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
    },
  };
}

export function nodeStatus(s: NodeSpec, prev?: { conditions?: { type: string; status: string; lastTransitionTime?: string }[] }): Record<string, unknown> {
  const t = metaTime();
  const capacity = {
    cpu: s.cpuMilli % 1000 === 0 ? String(s.cpuMilli / 1000) : `${s.cpuMilli}m`,
    memory: quantityMi(s.memoryBytes),
    pods: '110',
    'ephemeral-storage': '61202244Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
  };
  const cond = (type: string, status: string, reason: string, message: string) => {
    const old = prev?.conditions?.find((c) => c.type === type);
    return { type, status, lastHeartbeatTime: t, lastTransitionTime: old?.status === status ? old.lastTransitionTime : t, reason, message };
  };
  return {
    capacity,
    allocatable: capacity,
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
    addresses: [
      { type: 'InternalIP', address: s.internalIP },
      { type: 'Hostname', address: s.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: s.kubeletPort } },
    nodeInfo: {
      machineID: '',
      systemUUID: '',
      bootID: '',
      kernelVersion: s.kernelVersion,
      osImage: s.osImage,
      containerRuntimeVersion: s.containerRuntimeVersion,
      kubeletVersion: s.kubeletVersion,
      kubeProxyVersion: s.kubeletVersion,
      operatingSystem: 'linux',
      architecture: s.architecture,
    },
  };
}

export class NodeHeartbeat {
  private timer?: NodeJS.Timeout;
  private lastStatusAt = 0;
  private statusDirty = false;
  private nodeUid?: string;
  onError?: (e: unknown) => void;

  constructor(
    private readonly client: ApiClient,
    private readonly spec: NodeSpec,
    /** Lease renewal period (kubelet: 10 s; `minik start --fast-failover`: 1 s). */
    private readonly renewMs = LEASE_RENEW_MS,
  ) {}

  /** Creates the Node (or takes over the existing one after a restart) and reports Ready. */
  async register(): Promise<KubeObject> {
    const rc = this.client.resource(nodes);
    let node: KubeObject;
    try {
      node = await rc.create(undefined, nodeObject(this.spec));
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 409)) throw e;
      node = await rc.get(undefined, this.spec.name);
      // Keep labels and taints users set; refresh what the kubelet owns.
      const want = nodeObject(this.spec);
      node = await rc.patch(undefined, this.spec.name, { metadata: { labels: want.metadata!.labels }, spec: { podCIDR: this.spec.podCIDR, podCIDRs: [this.spec.podCIDR] } }, 'merge');
    }
    this.nodeUid = node.metadata?.uid;
    await this.updateStatus(node);
    await this.renewLease(true);
    return node;
  }

  async updateStatus(node?: KubeObject): Promise<void> {
    const rc = this.client.resource(nodes);
    const cur = node ?? (await rc.get(undefined, this.spec.name));
    const status = nodeStatus(this.spec, cur.status as never);
    await rc.patch(undefined, this.spec.name, { status }, 'merge', { subresource: 'status' });
    this.lastStatusAt = Date.now();
  }

  /** Renews the Lease; `create` makes it when missing (at registration). */
  private async renewLease(create = false): Promise<void> {
    const rc = this.client.resource(leases);
    const body = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.spec.name,
        namespace: 'kube-node-lease',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.spec.name, uid: this.nodeUid! }],
      },
      spec: { holderIdentity: this.spec.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microNow() },
    };
    try {
      await rc.patch('kube-node-lease', this.spec.name, { spec: { holderIdentity: this.spec.name, renewTime: microNow(), leaseDurationSeconds: LEASE_DURATION_SECONDS } }, 'merge');
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404) || !create) throw e;
      await rc.create('kube-node-lease', body);
    }
  }

  start(): void {
    // Each tick renews the Lease (one write); the Node itself is read and its status written
    // only when something may have changed or every 5 minutes, as kubelet does.
    const tick = async () => {
      try {
        if (Date.now() - this.lastStatusAt > STATUS_REPORT_MS || this.statusDirty) {
          const node = await this.client.resource(nodes).get(undefined, this.spec.name);
          this.nodeUid = node.metadata?.uid;
          await this.updateStatus(node);
          this.statusDirty = false;
        }
        await this.renewLease();
      } catch (e) {
        if (e instanceof ApiError && e.code === 404) {
          // Deleted while we run (kubectl delete node): register again, as kubelet does.
          await this.register().catch((err) => this.onError?.(err));
        } else {
          this.statusDirty = true;
          this.onError?.(e);
        }
      }
      this.timer = setTimeout(() => void tick(), this.renewMs);
      this.timer.unref();
    };
    this.timer = setTimeout(() => void tick(), this.renewMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

export function hostFacts(): { kernelVersion: string; architecture: string; osImage: string } {
  return { kernelVersion: os.release(), architecture: process.arch === 'x64' ? 'amd64' : process.arch, osImage: `minik node (${os.type()} ${os.release()})` };
}
