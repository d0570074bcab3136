/**
 * JSON Merge Patch (RFC 7386): applying, diffing two documents, and the three-way variant
 * kubectl apply uses for kinds without strategic-merge metadata
 * (k8s.io/apimachinery/pkg/util/jsonmergepatch).
 */
import { PatchError } from './errors.js';
import { cloneJson, deepEqual, isObject, jsonType, sortKeysDeep, type JsonObject, type JsonValue } from './json.js';

/** RFC 7386: `null` removes a member, objects merge recursively, anything else replaces. */
export function jsonMergePatch(target: unknown, patch: unknown): JsonValue {
  return mergeInPlace(cloneJson(target), cloneJson(patch));
}

function mergeInPlace(target: JsonValue, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergeInPlace(out[k] ?? null, v);
  }
  return out;
}

/**
 * The merge patch that turns `original` into `modified` (evanphx/json-patch
 * CreateMergePatch): changed members are set, lists are replaced whole, removed members
 * become `null`.
 */
export function createTwoWayMergePatch(original: unknown, modified: unknown): JsonObject {
  const o = cloneJson(original ?? {});
  const m = cloneJson(modified ?? {});
  if (!isObject(o) || !isObject(m)) throw new PatchError('a merge patch can only be computed between two JSON objects');
  return sortKeysDeep(diff(o, m));
}

function diff(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, bv] of Object.entries(b)) {
    if (!(k in a)) {
      out[k] = bv;
      continue;
    }
    const av = a[k]!;
    if (isObject(av) && isObject(bv)) {
      const sub = diff(av, bv);
      if (Object.keys(sub).length > 0) out[k] = sub;
    } else if (jsonType(av) !== jsonType(bv) || !deepEqual(av, bv)) {
      out[k] = bv;
    }
  }
  for (const k of Object.keys(a)) if (!(k in b)) out[k] = null;
  return out;
}

/**
 * What `kubectl apply` sends for kinds it has no patch metadata for: changes and additions
 * from current to modified, plus deletions of what was in original (the last-applied
 * configuration) and is gone from modified. Fields only the server set are left alone.
 * Returns `{}` when there is nothing to do.
 */
export function createThreeWayJsonMergePatch(original: unknown, modified: unknown, current: unknown): JsonObject {
  const o = cloneJson(original ?? {});
  const m = cloneJson(modified ?? {});
  const c = cloneJson(current ?? {});
  if (!isObject(o) || !isObject(m) || !isObject(c)) throw new PatchError('a merge patch can only be computed between JSON objects');

  const addAndChange = keepOrDropNulls(diff(c, m), false);
  const deletions = keepOrDropNulls(diff(o, m), true);
  if (hasConflicts(addAndChange, deletions)) {
    throw new PatchError(
      `patch:\n${JSON.stringify(addAndChange)}\nconflicts with changes made from original to current:\n${JSON.stringify(deletions)}`,
      'Conflict',
    );
  }
  return sortKeysDeep(mergePatches(deletions, addAndChange));
}

/**
 * Keeps only the deletions (`keepNull`) or only the additions and changes of a merge patch.
 * An explicitly empty object is a value, not an empty patch, so it counts as a change.
 */
function keepOrDropNulls(patch: JsonObject, keepNull: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      if (keepNull) out[k] = null;
    } else if (isObject(v)) {
      if (Object.keys(v).length === 0) {
        if (!keepNull) out[k] = v;
        continue;
      }
      const sub = keepOrDropNulls(v, keepNull);
      if (Object.keys(sub).length > 0) out[k] = sub;
    } else if (!keepNull) {
      out[k] = v;
    }
  }
  return out;
}

/** Whether two merge patches set the same member to different values. */
function hasConflicts(left: JsonValue, right: JsonValue): boolean {
  if (isObject(left)) {
    if (!isObject(right)) return true;
    return Object.keys(left).some((k) => k in right && hasConflicts(left[k]!, right[k]!));
  }
  if (Array.isArray(left)) {
    if (!Array.isArray(right) || left.length !== right.length) return true;
    return left.some((v, i) => hasConflicts(v, right[i]!));
  }
  return !deepEqual(left, right);
}

/**
 * Applies `patch` to another patch `doc` the way evanphx/json-patch MergePatch does: a value
 * that lands where there was nothing (or a non-object) has its nested nulls pruned.
 */
function mergePatches(doc: JsonObject, patch: JsonObject): JsonObject {
  for (const [k, v] of Object.entries(patch)) {
    const cur = doc[k];
    if (v === null) delete doc[k];
    else if (isObject(cur) && isObject(v)) doc[k] = mergePatches(cur, v);
    else if (cur === undefined || cur === null || !isObject(cur)) doc[k] = pruneNulls(v);
    else doc[k] = v;
  }
  return doc;
}

function pruneNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map((x) => (x === null ? x : pruneNulls(x)));
  if (!isObject(v)) return v;
  for (const [k, x] of Object.entries(v)) {
    if (x === null) delete v[k];
    else v[k] = pruneNulls(x);
  }
  return v;
}
