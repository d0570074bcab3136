/**
 * Patching as Kubernetes does it: JSON Merge Patch (RFC 7386), JSON Patch (RFC 6902),
 * strategic merge patch, and the patches `kubectl apply` computes.
 */
export { PatchError, type PatchErrorReason } from './errors.js';
export type { JsonObject, JsonPrimitive, JsonValue } from './json.js';
export { jsonMergePatch, createTwoWayMergePatch, createThreeWayJsonMergePatch } from './json-merge-patch.js';
export { applyJsonPatch, parseJsonPointer, type JsonPatchOperation } from './json-patch.js';
export { strategicMergePatch } from './smp-apply.js';
export { createThreeWayMergePatch, createTwoWayStrategicMergePatch } from './smp-diff.js';
export { isStrategicMergeKind, STRATEGIC_MERGE_KINDS } from './kind-meta.js';
export { PatchMetaLookup, patchMeta, type FieldPatchMeta, type PatchMetaTypes, type TypePatchMeta } from './patch-meta.js';
