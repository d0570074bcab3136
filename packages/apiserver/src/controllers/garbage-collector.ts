// Garbage collector: deletes objects whose owners are gone, and carries out the Orphan and
// Foreground propagation policies (the `orphan` and `foregroundDeletion` finalizers), as
// kube-controller-manager's garbagecollector does.
import type { KubeObject, OwnerReference } from '@minik/api';
import { RESOURCES, type ResourceDef } from '../registry/resources.js';
import { WorkQueue, runWorkers } from './workqueue.js';
import { defForKind, isConflict, isNotFound, type Controller, type ControllerContext } from './controller.js';

interface Node {
  def: ResourceDef;
  obj: KubeObject;
}

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';

export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector';
  private readonly queue = new WorkQueue();
  private readonly nodes = new Map<string, Node>();
  /** owner uid → dependent uids */
  private readonly dependents = new Map<string, Set<string>>();

  constructor(private readonly ctx: ControllerContext) {}

  start(): void {
    for (const def of RESOURCES) {
      if (!def.verbs.includes('delete')) continue;
      this.ctx.informer(def.group, def.resource).on({
        add: (o) => this.observe(def, o),
        update: (_old, o) => this.observe(def, o),
        delete: (o) => this.forget(o),
      });
    }
    void runWorkers(this.queue, 2, (uid) => this.sync(uid), (uid, e) => this.ctx.log(`garbage-collector: ${uid}: ${(e as Error).message}`));
  }

  stop(): void {
    this.queue.shutdown();
  }

  private observe(def: ResourceDef, o: KubeObject): void {
    const uid = o.metadata?.uid;
    if (!uid) return;
    const prev = this.nodes.get(uid);
    for (const r of prev?.obj.metadata?.ownerReferences ?? []) this.dependents.get(r.uid)?.delete(uid);
    this.nodes.set(uid, { def, obj: o });
    for (const r of o.metadata?.ownerReferences ?? []) {
      let s = this.dependents.get(r.uid);
      if (!s) this.dependents.set(r.uid, (s = new Set()));
      s.add(uid);
    }
    const m = o.metadata!;
    const pm = prev?.obj.metadata;
    // Only changes to the ownership graph matter (kube's GC reacts to the same): a new object,
    // changed owner references, or a deletion starting. A Lease renewal is none of these.
    const graphChanged =
      !pm ||
      JSON.stringify(pm.ownerReferences ?? []) !== JSON.stringify(m.ownerReferences ?? []) ||
      pm.deletionTimestamp !== m.deletionTimestamp ||
      JSON.stringify(pm.finalizers ?? []) !== JSON.stringify(m.finalizers ?? []);
    if (!graphChanged) return;
    if (m.ownerReferences?.length) this.queue.add(uid);
    if (m.deletionTimestamp && (m.finalizers?.includes(ORPHAN) || m.finalizers?.includes(FOREGROUND))) this.queue.add(uid);
  }

  private forget(o: KubeObject): void {
    const uid = o.metadata?.uid;
    if (!uid) return;
    this.nodes.delete(uid);
    for (const r of o.metadata?.ownerReferences ?? []) {
      this.dependents.get(r.uid)?.delete(uid);
      // An owner waiting in foreground deletion may now be free to go.
      if (this.nodes.has(r.uid)) this.queue.add(r.uid);
    }
    // Its dependents may now be dangling.
    for (const d of this.dependents.get(uid) ?? []) this.queue.add(d);
  }

  private async sync(uid: string): Promise<void> {
    const node = this.nodes.get(uid);
    if (!node) return;
    const m = node.obj.metadata!;
    if (m.deletionTimestamp && m.finalizers?.includes(ORPHAN)) return this.orphanDependents(node);
    if (m.deletionTimestamp && m.finalizers?.includes(FOREGROUND)) return this.deleteDependentsFirst(node);
    if (m.ownerReferences?.length) return this.checkOwners(node);
  }

  private rc(def: ResourceDef) {
    return this.ctx.resource(def.group, def.resource);
  }

  /** Live lookup of an owner, so a lagging cache never causes a wrong delete. */
  private async ownerState(dep: Node, ref: OwnerReference): Promise<'absent' | 'present' | 'deleting-foreground'> {
    const def = defForKind(ref.apiVersion, ref.kind);
    if (!def) return 'present'; // unknown kinds are never treated as gone
    const ns = def.namespaced ? (dep.obj.metadata?.namespace ?? '') : '';
    try {
      const owner = await this.rc(def).get(ns, ref.name);
      if (owner.metadata?.uid !== ref.uid) return 'absent';
      const om = owner.metadata!;
      return om.deletionTimestamp && om.finalizers?.includes(FOREGROUND) ? 'deleting-foreground' : 'present';
    } catch (e) {
      if (isNotFound(e)) return 'absent';
      throw e;
    }
  }

  private async checkOwners(node: Node): Promise<void> {
    const m = node.obj.metadata!;
    if (m.deletionTimestamp) return;
    const refs = m.ownerReferences ?? [];
    const states = await Promise.all(refs.map((r) => this.ownerState(node, r)));
    const dangling = refs.filter((_, i) => states[i] === 'absent');
    const ns = m.namespace ?? '';
    if (dangling.length === refs.length) {
      this.ctx.log(`garbage-collector: deleting ${node.def.resource}/${ns ? ns + '/' : ''}${m.name}: owner gone`);
      try {
        await this.rc(node.def).delete(ns, m.name!, { propagationPolicy: 'Background', preconditions: { uid: m.uid } });
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
      return;
    }
    if (dangling.length) {
      await this.removeOwnerRefs(node, new Set(dangling.map((r) => r.uid)));
      return;
    }
    const blocking = refs.some((r, i) => states[i] === 'deleting-foreground' && r.blockOwnerDeletion);
    if (blocking) {
      try {
        await this.rc(node.def).delete(ns, m.name!, { propagationPolicy: 'Foreground', preconditions: { uid: m.uid } });
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
    }
  }

  private async removeOwnerRefs(node: Node, uids: Set<string>): Promise<void> {
    const m = node.obj.metadata!;
    const rc = this.rc(node.def);
    for (let i = 0; i < 5; i++) {
      try {
        const cur = await rc.get(m.namespace ?? '', m.name!);
        if (cur.metadata?.uid !== m.uid) return;
        const refs = (cur.metadata?.ownerReferences ?? []).filter((r) => !uids.has(r.uid));
        await rc.update(m.namespace ?? '', { ...cur, metadata: { ...cur.metadata, ownerReferences: refs } });
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e)) throw e;
      }
    }
    throw new Error('too many conflicts removing owner references');
  }

  private async removeFinalizer(node: Node, finalizer: string): Promise<void> {
    const m = node.obj.metadata!;
    const rc = this.rc(node.def);
    for (let i = 0; i < 5; i++) {
      try {
        const cur = await rc.get(m.namespace ?? '', m.name!);
        if (cur.metadata?.uid !== m.uid || !cur.metadata?.finalizers?.includes(finalizer)) return;
        await rc.update(m.namespace ?? '', { ...cur, metadata: { ...cur.metadata, finalizers: cur.metadata.finalizers.filter((f) => f !== finalizer) } });
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e)) throw e;
      }
    }
    throw new Error(`too many conflicts removing finalizer ${finalizer}`);
  }

  private async orphanDependents(owner: Node): Promise<void> {
    const uid = owner.obj.metadata!.uid!;
    for (const d of [...(this.dependents.get(uid) ?? [])]) {
      const dep = this.nodes.get(d);
      if (dep) await this.removeOwnerRefs(dep, new Set([uid]));
    }
    await this.removeFinalizer(owner, ORPHAN);
  }

  private async deleteDependentsFirst(owner: Node): Promise<void> {
    const uid = owner.obj.metadata!.uid!;
    let blocking = 0;
    for (const d of [...(this.dependents.get(uid) ?? [])]) {
      const dep = this.nodes.get(d);
      if (!dep) continue;
      const dm = dep.obj.metadata!;
      const ref = dm.ownerReferences?.find((r) => r.uid === uid);
      if (ref?.blockOwnerDeletion) blocking++;
      if (dm.deletionTimestamp) continue;
      try {
        await this.rc(dep.def).delete(dm.namespace ?? '', dm.name!, { propagationPolicy: 'Foreground', preconditions: { uid: dm.uid } });
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
    }
    // Dependents still there keep the owner; their disappearance requeues it (forget()).
    if (blocking === 0) await this.removeFinalizer(owner, FOREGROUND);
  }
}
