// ClusterIP and NodePort allocation for Services (kube-apiserver's ipallocator and
// portallocator). The set of taken values is rebuilt from storage at start and kept in memory;
// a value is reserved synchronously before the write, so concurrent creates cannot collide.
import { errors, intToIPv4, ipv4ToInt, parseCIDR, type KubeObject } from '@minik/api';
import type { StatusCause } from '@minik/api';

export interface ServiceRanges {
  /** Service CIDR, e.g. 10.96.0.0/12 (kubeadm's default). */
  serviceCIDR: string;
  nodePortMin: number;
  nodePortMax: number;
}

export const DEFAULT_RANGES: ServiceRanges = { serviceCIDR: '10.96.0.0/12', nodePortMin: 30000, nodePortMax: 32767 };

interface Port {
  name?: string;
  port?: number;
  nodePort?: number;
  protocol?: string;
}
interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: Port[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
}

function invalid(name: string, causes: StatusCause[]) {
  return errors.invalid('Service', '', name, causes);
}

export class ServiceAllocator {
  private readonly ips = new Set<number>();
  private readonly ports = new Set<number>();
  private readonly range: { base: number; size: number };

  constructor(readonly ranges: ServiceRanges = DEFAULT_RANGES) {
    this.range = parseCIDR(ranges.serviceCIDR);
  }

  /** Marks what stored Services already hold (at startup). */
  load(services: KubeObject[]): void {
    for (const s of services) {
      const spec = (s.spec ?? {}) as ServiceSpec;
      for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) {
        const n = ipv4ToInt(ip);
        if (!Number.isNaN(n)) this.ips.add(n);
      }
      for (const p of spec.ports ?? []) if (p.nodePort) this.ports.add(p.nodePort);
    }
  }

  private inRange(n: number): boolean {
    return n > this.range.base && n < this.range.base + this.range.size - 1;
  }

  private randomIP(): number {
    // Like kube-apiserver, dynamic allocation prefers the upper part of the range and leaves
    // the low addresses (10.96.0.1, 10.96.0.10) to static assignment.
    const size = this.range.size - 2;
    const staticBand = Math.min(Math.max(16, Math.floor(size / 16)), 256);
    for (let tries = 0; tries < 1000; tries++) {
      const n = this.range.base + 1 + staticBand + Math.floor(Math.random() * (size - staticBand));
      if (!this.ips.has(n)) return n;
    }
    for (let n = this.range.base + 1; n < this.range.base + this.range.size - 1; n++) if (!this.ips.has(n)) return n;
    throw errors.internal('failed to allocate a serviceIP: range is full');
  }

  private randomPort(): number {
    const span = this.ranges.nodePortMax - this.ranges.nodePortMin + 1;
    for (let tries = 0; tries < 1000; tries++) {
      const p = this.ranges.nodePortMin + Math.floor(Math.random() * span);
      if (!this.ports.has(p)) return p;
    }
    for (let p = this.ranges.nodePortMin; p <= this.ranges.nodePortMax; p++) if (!this.ports.has(p)) return p;
    throw errors.internal('failed to allocate a nodePort: range is full');
  }

  private wantsNodePorts(spec: ServiceSpec): boolean {
    return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  }

  /**
   * Fills spec.clusterIP(s) and nodePorts of a new or updated Service. `old` is the stored
   * Service on update: its allocations are kept where the new spec does not override them.
   */
  allocate(svc: KubeObject, old?: KubeObject): void {
    const name = svc.metadata?.name ?? '';
    const spec = ((svc.spec as ServiceSpec) ??= {});
    const oldSpec = (old?.spec ?? {}) as ServiceSpec;
    const taken: number[] = [];
    const takenPorts: number[] = [];
    const rollback = () => {
      for (const n of taken) this.ips.delete(n);
      for (const p of takenPorts) this.ports.delete(p);
    };
    try {
      if (spec.type !== 'ExternalName') {
        if (old && oldSpec.clusterIP && (!spec.clusterIP || spec.clusterIP === oldSpec.clusterIP)) {
          spec.clusterIP = oldSpec.clusterIP;
          spec.clusterIPs = oldSpec.clusterIPs ?? [oldSpec.clusterIP];
        } else if (old && oldSpec.clusterIP && spec.clusterIP !== oldSpec.clusterIP) {
          throw invalid(name, [{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: `Invalid value: []string{${JSON.stringify(spec.clusterIP)}}: may not change once set` }]);
        } else if (!spec.clusterIP) {
          const n = this.randomIP();
          this.ips.add(n);
          taken.push(n);
          spec.clusterIP = intToIPv4(n);
          spec.clusterIPs = [spec.clusterIP];
        } else if (spec.clusterIP !== 'None') {
          const n = ipv4ToInt(spec.clusterIP);
          if (Number.isNaN(n)) {
            throw invalid(name, [{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: `Invalid value: ${JSON.stringify(spec.clusterIP)}: must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)` }]);
          }
          if (!this.inRange(n)) {
            throw invalid(name, [{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs', message: `Invalid value: []string{${JSON.stringify(spec.clusterIP)}}: failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is ${this.ranges.serviceCIDR}` }]);
          }
          if (this.ips.has(n)) {
            throw invalid(name, [{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs', message: `Invalid value: []string{${JSON.stringify(spec.clusterIP)}}: failed to allocate IP ${spec.clusterIP}: provided IP is already allocated` }]);
          }
          this.ips.add(n);
          taken.push(n);
          spec.clusterIPs = [spec.clusterIP];
        } else {
          spec.clusterIPs = ['None'];
        }
        spec.ipFamilies ??= ['IPv4'];
        spec.ipFamilyPolicy ??= 'SingleStack';
      }
      const oldPorts = new Map((oldSpec.ports ?? []).filter((p) => p.nodePort).map((p) => [`${p.port}/${p.protocol ?? 'TCP'}`, p.nodePort!]));
      const oldNodePorts = new Set(oldPorts.values());
      if (this.wantsNodePorts(spec)) {
        (spec.ports ?? []).forEach((p, i) => {
          if (!p.nodePort) {
            const reuse = oldPorts.get(`${p.port}/${p.protocol ?? 'TCP'}`);
            if (reuse) {
              p.nodePort = reuse;
              return;
            }
            const np = this.randomPort();
            this.ports.add(np);
            takenPorts.push(np);
            p.nodePort = np;
            return;
          }
          if (oldNodePorts.has(p.nodePort) || takenPorts.includes(p.nodePort)) return;
          if (p.nodePort < this.ranges.nodePortMin || p.nodePort > this.ranges.nodePortMax) {
            throw invalid(name, [{ reason: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, message: `Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is ${this.ranges.nodePortMin}-${this.ranges.nodePortMax}` }]);
          }
          if (this.ports.has(p.nodePort)) {
            throw invalid(name, [{ reason: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, message: `Invalid value: ${p.nodePort}: provided port is already allocated` }]);
          }
          this.ports.add(p.nodePort);
          takenPorts.push(p.nodePort);
        });
      } else {
        for (const p of spec.ports ?? []) delete p.nodePort;
      }
    } catch (e) {
      rollback();
      throw e;
    }
  }

  /** Gives back what a Service held (after delete, or a create that did not happen). */
  release(svc: KubeObject, keep?: KubeObject): void {
    const keepSpec = (keep?.spec ?? {}) as ServiceSpec;
    const keepIPs = new Set((keepSpec.clusterIPs ?? []).map(ipv4ToInt));
    const keepPorts = new Set((keepSpec.ports ?? []).map((p) => p.nodePort));
    const spec = (svc.spec ?? {}) as ServiceSpec;
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) {
      const n = ipv4ToInt(ip);
      if (!keepIPs.has(n)) this.ips.delete(n);
    }
    for (const p of spec.ports ?? []) if (p.nodePort && !keepPorts.has(p.nodePort)) this.ports.delete(p.nodePort);
  }
}
