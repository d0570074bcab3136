// The scheduler cache: nodes and the pods placed on them. A pod the scheduler has just bound is
// "assumed" onto its node at once, before the informer reports it, so the next decision already
// counts it (kube-scheduler's AssumePod / ForgetPod).
import { NodeInfo } from './node-info.js';
import { podKey, type Node, type Pod } from './types.js';

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  /** pod key → node it is counted on */
  private readonly placed = new Map<string, string>();
  private readonly assumed = new Set<string>();

  private info(name: string): NodeInfo {
    let n = this.nodes.get(name);
    if (!n) this.nodes.set(name, (n = new NodeInfo()));
    return n;
  }

  addNode(node: Node): void {
    this.info(node.metadata.name!).setNode(node);
  }

  updateNode(node: Node): void {
    this.addNode(node);
  }

  removeNode(node: Node): void {
    const name = node.metadata.name!;
    const n = this.nodes.get(name);
    if (!n) return;
    // Pods still bound to a deleted node keep their NodeInfo until they go.
    if (n.pods.size) n.node = undefined;
    else this.nodes.delete(name);
  }

  /** A bound pod seen by the informer; confirms an assumed one. */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    this.assumed.delete(key);
    this.remove(key);
    const node = pod.spec.nodeName!;
    this.info(node).addPod(pod);
    this.placed.set(key, node);
  }

  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    this.assumed.delete(key);
    this.remove(key);
  }

  assumePod(pod: Pod, nodeName: string): void {
    const key = podKey(pod);
    this.remove(key);
    this.info(nodeName).addPod({ ...pod, spec: { ...pod.spec, nodeName } });
    this.placed.set(key, nodeName);
    this.assumed.add(key);
  }

  /** Binding failed: the assumed pod no longer counts. */
  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    if (!this.assumed.delete(key)) return;
    this.remove(key);
  }

  isAssumed(pod: Pod): boolean {
    return this.assumed.has(podKey(pod));
  }

  private remove(key: string): void {
    const name = this.placed.get(key);
    if (name === undefined) return;
    this.placed.delete(key);
    const n = this.nodes.get(name);
    if (!n) return;
    const pod = n.pods.get(key);
    if (pod) n.removePod(pod);
    if (!n.node && !n.pods.size) this.nodes.delete(name);
  }

  /** Every NodeInfo, including node-less ones (the algorithm skips those). */
  nodeInfos(): NodeInfo[] {
    return [...this.nodes.values()];
  }

  node(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }
}
