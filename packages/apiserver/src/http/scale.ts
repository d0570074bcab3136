// The /scale subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets and StatefulSets.
import { errors, formatLabelSelector, type KubeObject } from '@minik/api';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { RegistryStore } from '../registry/store.js';
import { applyPatch, type PatchKind } from '../registry/patch.js';

interface Scalable {
  spec?: { replicas?: number; selector?: LabelSelector };
  status?: { replicas?: number };
}

export function scaleOf(obj: KubeObject): KubeObject {
  const o = obj as KubeObject & Scalable;
  const m = obj.metadata ?? {};
  const sel = o.spec?.selector ? formatLabelSelector(o.spec.selector) : '';
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: { replicas: o.status?.replicas ?? 0, selector: sel === '<none>' ? '' : sel },
  };
}

export async function applyScale(store: RegistryStore, namespace: string, name: string, body: unknown, patch: PatchKind | undefined, dryRun: boolean): Promise<KubeObject> {
  let wantRV: string | undefined;
  if (!patch) wantRV = (body as KubeObject).metadata?.resourceVersion || undefined;
  return store.modify(
    namespace,
    name,
    (cur) => {
      const scale = patch ? applyPatch(patch, scaleOf(cur), body, 'Scale') : (body as KubeObject);
      const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
      if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas))) {
        throw errors.badRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
      }
      const r = (replicas as number | undefined) ?? 0;
      if (r < 0) {
        throw errors.invalid('Scale', 'autoscaling', name, [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${r}: must be greater than or equal to 0` }]);
      }
      (cur.spec as { replicas?: number }).replicas = r;
      return cur;
    },
    { dryRun },
    wantRV,
  );
}
