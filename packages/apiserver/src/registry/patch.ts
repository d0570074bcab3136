// PATCH bodies applied to the current object, by content type (as kube-apiserver's patcher).
import { errors, jsonMergePatch, applyJsonPatch, strategicMergePatch, isStrategicMergeKind, PatchError, type KubeObject } from '@minik/api';

export type PatchKind = 'merge' | 'strategic' | 'json';

export const PATCH_KINDS: Record<string, PatchKind> = {
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/json-patch+json': 'json',
};

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function applyPatch(kind: PatchKind, current: KubeObject, patch: unknown, objectKind: string): KubeObject {
  try {
    if (kind === 'json') {
      if (!Array.isArray(patch)) throw errors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
      const out = applyJsonPatch(current, patch);
      if (!isObject(out)) throw errors.badRequest('the patched document is not an object');
      return out as KubeObject;
    }
    if (!isObject(patch)) throw errors.badRequest(`json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`);
    if (kind === 'strategic') {
      // Kinds without strategic-merge metadata (CRDs) cannot take SMP in Kubernetes either.
      if (!isStrategicMergeKind(objectKind) && objectKind !== 'Scale') {
        throw errors.unsupportedMediaType('application/strategic-merge-patch+json');
      }
      return strategicMergePatch(current, patch, objectKind) as KubeObject;
    }
    return jsonMergePatch(current, patch) as KubeObject;
  } catch (e) {
    if (e instanceof PatchError) {
      // kube-apiserver answers a failed JSON Patch with 422 Invalid, a bad SMP with 400.
      if (kind === 'json') throw errors.invalid(objectKind, '', current.metadata?.name ?? '', [{ reason: 'FieldValueInvalid', message: e.message }]);
      throw errors.badRequest(e.message);
    }
    throw e;
  }
}
