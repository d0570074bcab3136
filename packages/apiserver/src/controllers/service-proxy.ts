// Service proxies (kube-proxy's role in minik): every Service with a ClusterIP gets one pod in
// kube-system whose container holds that ClusterIP on the cluster network and forwards to the
// Service's ready endpoints; NodePort and LoadBalancer ports are published on the host's
// 127.0.0.1 through the pod's hostPorts. While any Service has a nodePort, each node also gets a
// proxy pod holding the node's InternalIP that listens on every nodePort, so `<node-ip>:<nodePort>`
// works as on a real cluster. Kubernetes programs iptables on every node instead; minik's nodes
// share one Docker network, where an address is held by exactly one container.
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { EventRecorder, type KubeObject } from '@minik/api';
import { WorkQueue, runWorkers } from './workqueue.js';
import { Expectations } from './expectations.js';
import { isNotFound, type Controller, type ControllerContext } from './controller.js';
import { addonApiAccess } from '../bootstrap.js';

export interface AddonSettings {
  image: string;
  /** API address for add-on pods (the cluster network gateway). */
  apiserver: string;
}

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  nodePort?: number;
  targetPort?: number | string;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  ports?: ServicePort[];
}

const SYSTEM = 'kube-system';
const L_APP = 'k8s-app';
const L_NS = 'minik.io/service-namespace';
const L_NAME = 'minik.io/service-name';
const A_IP = 'minik.io/pod-ip';
const A_HASH = 'minik.io/service-spec-hash';
const L_NODE = 'minik.io/proxy-node';
/** The queue key for the per-node proxies (Service keys always hold a slash). */
const NODES_KEY = 'nodes';
/** How often a LoadBalancer whose host port is taken tries again. */
const LB_RETRY_MS = 2_000;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)));
  });
}

function needsProxy(svc: KubeObject): boolean {
  const spec = (svc.spec ?? {}) as ServiceSpec;
  return spec.type !== 'ExternalName' && !!spec.clusterIP && spec.clusterIP !== 'None' && !!spec.ports?.length;
}

function hasNodePort(svc: KubeObject): boolean {
  return needsProxy(svc) && !!(svc.spec as ServiceSpec).ports?.some((p) => p.nodePort);
}

function internalIP(node: KubeObject): string | undefined {
  const addrs = (node.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? [];
  return addrs.find((a) => a.type === 'InternalIP')?.address;
}

export class ServiceProxyController implements Controller {
  readonly name = 'service-proxy';
  private readonly queue = new WorkQueue(200, 10_000);
  private readonly recorder: EventRecorder;
  /** Proxy pods created but not yet in the informer (by Service key, or `node:<name>`): never two. */
  private readonly expectations = new Expectations();
  /** LoadBalancer ports last reported in use, by Service key: one event per change, not per retry. */
  private readonly lbBlocked = new Map<string, string>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly addons: AddonSettings,
  ) {
    this.recorder = new EventRecorder(ctx.client, { component: 'service-controller' });
    this.recorder.onError = (e) => ctx.log(`service-proxy: event: ${(e as Error).message}`);
  }

  private key(ns: string, name: string): string {
    return `${ns}/${name}`;
  }

  start(): void {
    const svcKey = (o: KubeObject) => {
      this.queue.add(this.key(o.metadata!.namespace!, o.metadata!.name!));
      this.queue.add(NODES_KEY);
    };
    this.ctx.informer('', 'services').on({ add: svcKey, update: (_o, n) => svcKey(n), delete: svcKey });
    const podKey = (o: KubeObject) => {
      const l = o.metadata?.labels ?? {};
      if (o.metadata?.namespace !== SYSTEM || l[L_APP] !== 'kube-proxy') return;
      if (l[L_NS] && l[L_NAME]) this.queue.add(this.key(l[L_NS], l[L_NAME]));
      if (l[L_NODE]) this.queue.add(NODES_KEY);
    };
    const podAdded = (o: KubeObject) => {
      const l = o.metadata?.labels ?? {};
      if (o.metadata?.namespace === SYSTEM && l[L_APP] === 'kube-proxy') {
        if (l[L_NS] && l[L_NAME]) this.expectations.creationObserved(this.key(l[L_NS], l[L_NAME]));
        if (l[L_NODE]) this.expectations.creationObserved(`node:${l[L_NODE]}`);
      }
      podKey(o);
    };
    this.ctx.informer('', 'pods').on({ add: podAdded, update: (_o, n) => podKey(n), delete: podKey });
    const nodes = () => this.queue.add(NODES_KEY);
    this.ctx.informer('', 'nodes').on({ add: nodes, update: (o, n) => internalIP(o) !== internalIP(n) && nodes(), delete: nodes });
    void runWorkers(this.queue, 2, (k) => (k === NODES_KEY ? this.syncNodes() : this.sync(k)), (k, e) => this.ctx.log(`service-proxy: ${k}: ${(e as Error).message}`));
  }

  stop(): void {
    this.queue.shutdown();
  }

  private proxies(ns: string, name: string): KubeObject[] {
    return this.ctx
      .informer('', 'pods')
      .list()
      .filter((p) => p.metadata?.namespace === SYSTEM && p.metadata.labels?.[L_NS] === ns && p.metadata.labels?.[L_NAME] === name);
  }

  /** What the proxy pod depends on: a change means a new pod (ports are fixed at creation). */
  private specHash(svc: KubeObject, lbPorts: number[]): string {
    const spec = svc.spec as ServiceSpec;
    const data = JSON.stringify([spec.clusterIP, spec.type, (spec.ports ?? []).map((p) => [p.name, p.port, p.protocol, p.nodePort]), lbPorts, this.addons.image]);
    return createHash('sha256').update(data).digest('hex').slice(0, 10);
  }

  private async sync(key: string): Promise<void> {
    const [ns, name] = key.split('/');
    if (!this.expectations.satisfied(key)) return; // the informer's add event syncs again
    const svc = this.ctx.informer('', 'services').get(key);
    const pods = this.ctx.resource('', 'pods');
    const existing = this.proxies(ns, name);
    if (!svc || (svc.spec as ServiceSpec | undefined)?.type !== 'LoadBalancer') this.lbBlocked.delete(key);
    if (!svc || !needsProxy(svc)) {
      for (const p of existing) if (!p.metadata?.deletionTimestamp) await pods.delete(SYSTEM, p.metadata!.name!, { gracePeriodSeconds: 1 }).catch(ignoreNotFound);
      return;
    }
    const spec = svc.spec as ServiceSpec;
    const wantLB = spec.type === 'LoadBalancer';
    const current = existing.find((p) => !p.metadata?.deletionTimestamp && p.metadata?.annotations?.[A_HASH]);
    // LoadBalancer ports on the host: only those free now (or already ours).
    let lbPorts: number[] = [];
    if (wantLB) {
      const held = current ? JSON.parse(current.metadata?.annotations?.['minik.io/host-ports'] ?? '[]') : [];
      for (const p of spec.ports ?? []) if (held.includes(p.port) || (await portFree(p.port))) lbPorts.push(p.port);
      lbPorts = [...new Set(lbPorts)];
    }
    const hash = this.specHash(svc, lbPorts);
    const keep = existing.find((p) => !p.metadata?.deletionTimestamp && p.metadata?.annotations?.[A_HASH] === hash);
    for (const p of existing) {
      if (p !== keep && !p.metadata?.deletionTimestamp) await pods.delete(SYSTEM, p.metadata!.name!, { gracePeriodSeconds: 1 }).catch(ignoreNotFound);
    }
    if (!keep) {
      // The ClusterIP can be held by one container only: the old proxy must be gone first.
      if (existing.length) {
        this.queue.addAfter(key, 300);
        return;
      }
      this.expectations.expectCreations(key, 1);
      try {
        await pods.create(SYSTEM, this.podFor(svc, hash, lbPorts));
      } catch (e) {
        this.expectations.delete(key);
        throw e;
      }
    }
    if (wantLB) await this.updateLoadBalancer(svc, lbPorts, keep);
  }

  private podFor(svc: KubeObject, hash: string, lbPorts: number[]): KubeObject {
    const m = svc.metadata!;
    const spec = svc.spec as ServiceSpec;
    const access = addonApiAccess(this.addons.apiserver);
    const ports: Record<string, unknown>[] = [];
    for (const p of spec.ports ?? []) {
      const protocol = p.protocol ?? 'TCP';
      ports.push({ containerPort: p.port, protocol, ...(lbPorts.includes(p.port) ? { hostPort: p.port } : {}) });
      if (p.nodePort) ports.push({ containerPort: p.nodePort, hostPort: p.nodePort, protocol });
    }
    const base = `kube-proxy-${m.name}`.slice(0, 50).replace(/[-.]+$/, '');
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${base}-`,
        namespace: SYSTEM,
        labels: { [L_APP]: 'kube-proxy', [L_NS]: m.namespace!, [L_NAME]: m.name! },
        annotations: { [A_IP]: spec.clusterIP!, [A_HASH]: hash, 'minik.io/host-ports': JSON.stringify(lbPorts) },
      },
      spec: {
        // Proxies run anywhere: every node shares the network the ClusterIP lives on.
        tolerations: [{ operator: 'Exists' }],
        dnsPolicy: 'Default',
        terminationGracePeriodSeconds: 1,
        securityContext: { sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }] },
        containers: [
          {
            name: 'kube-proxy',
            image: this.addons.image,
            imagePullPolicy: 'IfNotPresent',
            // Small heap limits: one of these runs per Service.
            command: ['node', '--max-semi-space-size=1', '--max-old-space-size=48', '/minik/proxy.mjs'],
            env: [{ name: 'SERVICE_NAMESPACE', value: m.namespace! }, { name: 'SERVICE_NAME', value: m.name! }, ...access.env],
            ports,
            resources: { requests: { cpu: '10m', memory: '20Mi' } },
            // To forward TCP in the kernel (iptables DNAT in the pod's own network namespace).
            securityContext: { capabilities: { add: ['NET_ADMIN'] } },
            volumeMounts: access.volumeMounts,
          },
        ],
        volumes: access.volumes,
      },
    };
  }

  /** One proxy per node (at its InternalIP) while any Service has a nodePort; none otherwise. */
  private async syncNodes(): Promise<void> {
    const pods = this.ctx.resource('', 'pods');
    const wanted = new Map<string, { ip: string; hash: string }>();
    if (this.ctx.informer('', 'services').list().some(hasNodePort)) {
      for (const node of this.ctx.informer('', 'nodes').list()) {
        const ip = internalIP(node);
        if (!ip || node.metadata?.deletionTimestamp) continue;
        wanted.set(node.metadata!.name!, { ip, hash: createHash('sha256').update(JSON.stringify([ip, this.addons.image])).digest('hex').slice(0, 10) });
      }
    }
    const existing = this.ctx
      .informer('', 'pods')
      .list()
      .filter((p) => p.metadata?.namespace === SYSTEM && p.metadata.labels?.[L_APP] === 'kube-proxy' && p.metadata.labels?.[L_NODE]);
    const have = new Set<string>();
    let waiting = false;
    for (const p of existing) {
      const node = p.metadata!.labels![L_NODE];
      const want = wanted.get(node);
      if (want && p.metadata?.annotations?.[A_HASH] === want.hash && !p.metadata.deletionTimestamp && !have.has(node)) {
        have.add(node);
        continue;
      }
      // A node's address is held by one container at a time: a replacement waits for the old one.
      waiting = true;
      // On a node that is gone no kubelet finishes the deletion (PodGC would force it too).
      const gone = !this.ctx.informer('', 'nodes').get(node);
      if (gone || !p.metadata?.deletionTimestamp) await pods.delete(SYSTEM, p.metadata!.name!, { gracePeriodSeconds: gone ? 0 : 1 }).catch(ignoreNotFound);
    }
    for (const [node, want] of wanted) {
      if (have.has(node) || existing.some((p) => p.metadata!.labels![L_NODE] === node)) continue;
      const key = `node:${node}`;
      if (!this.expectations.satisfied(key)) continue; // created, not in the informer yet
      this.expectations.expectCreations(key, 1);
      try {
        await pods.create(SYSTEM, this.nodePodFor(node, want.ip, want.hash));
      } catch (e) {
        this.expectations.delete(key);
        throw e;
      }
    }
    if (waiting) this.queue.addAfter(NODES_KEY, 300);
  }

  private nodePodFor(node: string, ip: string, hash: string): KubeObject {
    const access = addonApiAccess(this.addons.apiserver);
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `kube-proxy-${node}`.slice(0, 56).replace(/[-.]+$/, '') + '-',
        namespace: SYSTEM,
        labels: { [L_APP]: 'kube-proxy', [L_NODE]: node },
        annotations: { [A_IP]: ip, [A_HASH]: hash },
      },
      spec: {
        nodeName: node,
        tolerations: [{ operator: 'Exists' }],
        dnsPolicy: 'Default',
        terminationGracePeriodSeconds: 1,
        securityContext: { sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }] },
        containers: [
          {
            name: 'kube-proxy',
            image: this.addons.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['node', '--max-semi-space-size=1', '--max-old-space-size=48', '/minik/proxy.mjs'],
            env: [{ name: 'NODE_NAME', value: node }, ...access.env],
            resources: { requests: { cpu: '10m', memory: '20Mi' } },
            // To forward TCP in the kernel (iptables DNAT in the pod's own network namespace).
            securityContext: { capabilities: { add: ['NET_ADMIN'] } },
            volumeMounts: access.volumeMounts,
          },
        ],
        volumes: access.volumes,
      },
    };
  }

  /** EXTERNAL-IP 127.0.0.1 once the proxy publishes every port; `<pending>` and why otherwise. */
  private async updateLoadBalancer(svc: KubeObject, lbPorts: number[], proxy: KubeObject | undefined): Promise<void> {
    const spec = svc.spec as ServiceSpec;
    const missing = (spec.ports ?? []).filter((p) => !lbPorts.includes(p.port)).map((p) => p.port);
    const running = (proxy?.status as { phase?: string } | undefined)?.phase === 'Running';
    const want = !missing.length && running ? { ingress: [{ ip: '127.0.0.1', ipMode: 'VIP' }] } : {};
    const m = svc.metadata!;
    const key = this.key(m.namespace!, m.name!);
    if (missing.length) {
      // Like the cloud service controller: report, and retry until the port is free.
      const blocked = missing.join(', ');
      if (this.lbBlocked.get(key) !== blocked) {
        this.lbBlocked.set(key, blocked);
        void this.recorder.event(svc, 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: failed to ensure load balancer: port(s) ${blocked} on 127.0.0.1 already in use`);
      }
      this.queue.addAfter(key, LB_RETRY_MS);
    } else this.lbBlocked.delete(key);
    const have = (svc.status as { loadBalancer?: unknown } | undefined)?.loadBalancer ?? {};
    if (JSON.stringify(have) === JSON.stringify(want)) return;
    try {
      await this.ctx.resource('', 'services').patch(m.namespace, m.name!, { status: { loadBalancer: want } }, 'merge', { subresource: 'status' });
      if (want.ingress) void this.recorder.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
    } catch (e) {
      ignoreNotFound(e);
    }
  }
}

function ignoreNotFound(e: unknown): void {
  if (!isNotFound(e)) throw e;
}
