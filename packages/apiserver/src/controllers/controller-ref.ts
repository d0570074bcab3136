// Adoption and release of dependents by their controller (pkg/controller/controller_ref_manager.go):
// a controller owns what matches its selector and carries its controller ownerReference; it adopts
// matching orphans and releases owned objects that stopped matching, both with patches that carry
// the dependent's uid, so a recreated namesake is never touched.
import type { KubeObject, OwnerReference, ResourceClient } from '@minik/api';
import { isNotFound } from './controller.js';
import { controllerRef } from './workload-types.js';

export interface ClaimOptions<T extends KubeObject> {
  owner: KubeObject;
  ownerRef: OwnerReference;
  match(o: T): boolean;
  /** The dependents' REST client. */
  client: ResourceClient<KubeObject>;
  /** RecheckDeletionTimestamp: a fresh read of the owner before the first adoption. */
  recheckOwner(): Promise<void>;
}

/** ownerRefControllerPatch: strategic merge patch adding the controller reference. */
export function adoptPatch(ref: OwnerReference, dependentUid: string): unknown {
  return { metadata: { ownerReferences: [ref], uid: dependentUid } };
}

/** GenerateDeleteOwnerRefStrategicMergeBytes: strategic merge patch removing the owner's reference. */
export function releasePatch(ownerUid: string, dependentUid: string): unknown {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUid }], uid: dependentUid } };
}

/**
 * ClaimObject for each object: returns those the owner controls after adoption/release. Errors
 * are collected and thrown after the pass (the caller requeues), as ClaimPods aggregates them.
 */
export async function claim<T extends KubeObject>(objs: T[], o: ClaimOptions<T>): Promise<T[]> {
  const ownerUid = o.owner.metadata!.uid!;
  const ownerDeleting = !!o.owner.metadata?.deletionTimestamp;
  let canAdopt: Promise<void> | undefined;
  const claimed: T[] = [];
  const errs: unknown[] = [];
  for (const obj of objs) {
    const m = obj.metadata!;
    const ref = controllerRef(obj);
    try {
      if (ref) {
        if (ref.uid !== ownerUid) continue; // someone else's
        if (o.match(obj)) {
          claimed.push(obj);
          continue;
        }
        if (ownerDeleting) continue;
        await o.client.patch(m.namespace, m.name!, releasePatch(ownerUid, m.uid!), 'strategic');
        continue;
      }
      // An orphan: adopt it if it matches, neither side is being deleted, and it is in our namespace.
      if (ownerDeleting || !o.match(obj) || m.deletionTimestamp) continue;
      if (o.owner.metadata?.namespace && o.owner.metadata.namespace !== m.namespace) continue;
      await (canAdopt ??= o.recheckOwner());
      const adopted = await o.client.patch(m.namespace, m.name!, adoptPatch(o.ownerRef, m.uid!), 'strategic');
      claimed.push(adopted as T);
    } catch (e) {
      if (!isNotFound(e)) errs.push(e);
    }
  }
  if (errs.length) throw errs[0];
  return claimed;
}
