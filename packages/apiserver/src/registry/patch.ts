// PATCH bodies applied to the current object, by content type.
import type { KubeObject } from '@minik/api';
import { errors } from '@minik/api';

export type PatchKind = 'merge' | 'strategic' | 'json';

export const PATCH_KINDS: Record<string, PatchKind> = {
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/json-patch+json': 'json',
};

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function applyPatch(kind: PatchKind, current: KubeObject, patch: unknown, _objectKind: string): KubeObject {
  if (kind === 'json') {
    if (!Array.isArray(patch)) throw errors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    throw errors.badRequest('json patch not yet supported');
  }
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw errors.badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  return mergePatch(current, patch) as KubeObject;
}
