/**
 * Applying a strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch
 * StrategicMergePatch): maps merge and `null` deletes a key, lists with a merge strategy
 * merge element by element, other lists are replaced, and the directives `$patch`,
 * `$retainKeys`, `$setElementOrder/` and `$deleteFromPrimitiveList/` are honoured.
 */
import { DELETE_FROM_PRIMITIVE_LIST, isDirectiveKey, listKey, PATCH, RETAIN_KEYS, SET_ELEMENT_ORDER } from './directives.js';
import { PatchError } from './errors.js';
import { cloneJson, deepEqual, hasOwn, isObject, jsonType, type JsonObject, type JsonValue } from './json.js';
import { patchMetaForKind } from './kind-meta.js';
import type { PatchMetaLookup } from './patch-meta.js';
import {
  asMap,
  dedupeScalars,
  elementType,
  findByMergeKey,
  mergeKeyOf,
  noMergeKey,
  normalizeElementOrder,
  partitionByPresence,
} from './smp-lists.js';

export interface MergeOptions {
  /**
   * Applying to an object (server side): consume `$deleteFromPrimitiveList` and
   * `$retainKeys`. Off when merging two patches into one (kubectl's three-way patch),
   * where those directives are carried over instead.
   */
  mergeParallelList: boolean;
  /** Applying to an object: a `null` for a missing key is dropped rather than kept. */
  ignoreUnmatchedNulls: boolean;
}

const APPLY: MergeOptions = { mergeParallelList: true, ignoreUnmatchedNulls: true };

/**
 * Applies a strategic merge patch to an object of the given Kind and returns the result.
 * Inputs are not mutated. Kinds without patch metadata merge maps and replace lists.
 */
export function strategicMergePatch(original: unknown, patch: unknown, kind: string | PatchMetaLookup): JsonObject {
  const o = cloneJson(original ?? {});
  const p = cloneJson(patch ?? {});
  if (!isObject(o)) throw new PatchError('the object to patch must be a JSON object');
  if (!isObject(p)) throw new PatchError('a strategic merge patch must be a JSON object');
  return stripDirectives(mergeMap(o, p, patchMetaForKind(kind), APPLY));
}

/**
 * Drops directive keys that Kubernetes would lose when decoding the result into its Go
 * type (e.g. inside a list element that was appended verbatim), so none are stored.
 */
function stripDirectives<T extends JsonValue>(v: T): T {
  if (Array.isArray(v)) v.forEach(stripDirectives);
  else if (isObject(v)) {
    for (const k of Object.keys(v)) {
      if (isDirectiveKey(k)) delete v[k];
      else stripDirectives(v[k]!);
    }
  }
  return v;
}

/** Merges `patch` into `original` (both already copies: both are consumed). */
export function mergeMap(original: JsonObject | null, patch: JsonObject, schema: PatchMetaLookup, opts: MergeOptions): JsonObject {
  if (hasOwn(patch, PATCH)) {
    const directive = patch[PATCH];
    if (directive === 'replace') {
      delete patch[PATCH];
      return patch;
    }
    if (directive === 'delete') return {};
    // `merge` is the default behaviour; Kubernetes rejects it in a map, minik accepts it.
    if (directive !== 'merge') throw new PatchError(`unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
    delete patch[PATCH];
  }
  const out = original ?? {};
  applyRetainKeys(out, patch, opts);
  mergeOrderedLists(out, patch, schema, opts);

  for (const patchKey of Object.keys(patch)) {
    const patchV = patch[patchKey]!;
    let key = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      if (!opts.mergeParallelList) {
        out[patchKey] = patchV;
        continue;
      }
      key = listKey(patchKey, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }

    if (patchV === null) {
      delete out[key];
      if (opts.ignoreUnmatchedNulls) continue;
    }

    const setFromPatch = () => {
      if (isDeleteList) return;
      if (opts.ignoreUnmatchedNulls) discardNulls(patchV);
      const [v, keep] = removeDirectives(patchV);
      if (keep) out[key] = v;
      else delete out[key];
    };
    if (!hasOwn(out, key) || jsonType(out[key]) !== jsonType(patchV)) {
      setFromPatch();
      continue;
    }
    const current = out[key]!;
    const { meta, sub } = schema.field(key);
    if (isObject(current)) {
      out[key] = meta.strategy === 'replace' ? asMap(patchV) : mergeMap(current, asMap(patchV), sub, opts);
    } else if (Array.isArray(current)) {
      out[key] = mergeListField(current, patchV as JsonValue[], sub, meta.strategy, meta.mergeKey, isDeleteList, opts);
    } else {
      setFromPatch();
    }
  }
  return out;
}

/**
 * `$retainKeys`: clears every key of `original` that is not listed. When merging two
 * patches the directive is carried over instead (and must agree if both have it).
 */
function applyRetainKeys(original: JsonObject, patch: JsonObject, opts: MergeOptions): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS]!;
  delete patch[RETAIN_KEYS];
  if (!opts.mergeParallelList) {
    if (!hasOwn(original, RETAIN_KEYS)) original[RETAIN_KEYS] = retain;
    else if (!deepEqual(original[RETAIN_KEYS], retain)) {
      throw new PatchError(
        `${JSON.stringify(original[RETAIN_KEYS])} and ${JSON.stringify(retain)} are not deep equal: ` +
          'this may happen when calculating the 3-way diff patch',
      );
    }
    return;
  }
  if (!Array.isArray(retain)) throw new PatchError('invalid patch format of retainKeys');
  const keep = new Set(retain.filter((k): k is string => typeof k === 'string'));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    // Every field the patch sets must be listed, or the patch contradicts itself.
    if (!keep.has(k)) throw new PatchError('invalid patch format of retainKeys');
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/**
 * Handles each `$setElementOrder/<list>` together with its list: merges the list and puts
 * its items in the requested order, server-only items interleaved by their live order.
 */
function mergeOrderedLists(original: JsonObject, patch: JsonObject, schema: PatchMetaLookup, opts: MergeOptions): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[directiveKey]!;
    if (!opts.mergeParallelList) {
      if (!hasOwn(original, directiveKey)) original[directiveKey] = order;
      else if (!deepEqual(original[directiveKey], order)) throw new PatchError('invalid patch format of setElementOrder list');
    }
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw new PatchError('invalid patch format of setElementOrder list');

    const key = listKey(directiveKey, SET_ELEMENT_ORDER);
    const foundOriginal = hasOwn(original, key);
    const foundPatch = hasOwn(patch, key);
    if (!foundOriginal && !foundPatch) continue;
    const originalList = foundOriginal ? asList(original[key]!) : [];
    const patchList = foundPatch ? asList(patch[key]!) : [];
    const { meta, sub } = schema.field(key);
    validateOrderList(patchList, order, meta.mergeKey);

    let merged: JsonValue[];
    if (!foundPatch) merged = originalList;
    else if (!foundOriginal) merged = removeDirectives(patchList)[0] as JsonValue[];
    else merged = mergeListField(originalList, patchList, sub, meta.strategy, meta.mergeKey, false, opts);

    // An empty list has no element type to order by.
    if (elementType(originalList, patchList) !== undefined) {
      const [inOrder, serverOnly] = partitionByPresence(merged, order, meta.mergeKey);
      merged = normalizeElementOrder(inOrder, serverOnly, order, originalList, meta.mergeKey);
    }
    original[key] = merged;
    delete patch[key];
  }
}

function asList(v: JsonValue): JsonValue[] {
  if (!Array.isArray(v)) throw new PatchError(`expected a list, but received ${jsonType(v)}`);
  return v;
}

/** The patch list's items (deletions aside) must appear in `$setElementOrder` in the same relative order. */
function validateOrderList(patchList: JsonValue[], order: JsonValue[], mergeKey: string | undefined): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? patchList.filter((v) => !(isObject(v) && v[PATCH] === 'delete')) : patchList;
  const same = (a: JsonValue, b: JsonValue) => (mergeKey ? deepEqual(mergeKeyOf(a, mergeKey), mergeKeyOf(b, mergeKey)) : a === b);
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isObject(items[p]) && hasOwn(items[p] as JsonObject, PATCH)) {
      p++;
      continue;
    }
    if (same(items[p]!, order[o]!)) p++;
    o++;
  }
  if (p < items.length) {
    throw new PatchError(
      `The order in patch list:\n${JSON.stringify(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${JSON.stringify(order)}`,
    );
  }
}

/** Merges a list field according to its strategy; a deletion list works the same whatever the strategy. */
function mergeListField(
  original: JsonValue[],
  patch: JsonValue[],
  schema: PatchMetaLookup,
  strategy: string | undefined,
  mergeKey: string | undefined,
  isDeleteList: boolean,
  opts: MergeOptions,
): JsonValue[] {
  if (strategy === 'merge' || isDeleteList) return mergeList(original, patch, schema, mergeKey, opts, isDeleteList);
  return patch;
}

function mergeList(
  original: JsonValue[],
  patch: JsonValue[],
  schema: PatchMetaLookup,
  mergeKey: string | undefined,
  opts: MergeOptions,
  isDeleteList: boolean,
): JsonValue[] {
  if (original.length === 0 && patch.length === 0) return original;
  const type = elementType(original, patch);

  let merged: JsonValue[];
  let serverOrder = original;
  if (type !== 'object') {
    if (opts.mergeParallelList && isDeleteList) return original.filter((v) => !patch.some((d) => deepEqual(d, v)));
    merged = dedupeScalars([...original, ...patch]);
    mergeKey = undefined;
  } else {
    if (!mergeKey) throw new PatchError(`cannot merge lists without merge key for ${schema.name}`);
    const directives = applyListDirectives(original, patch, mergeKey);
    [serverOrder, patch] = [directives.list, directives.plain];
    merged = mergeElements(serverOrder, patch, mergeKey, schema, opts);
    if (!directives.replaced) mirrorGoAppends(original, serverOrder.length, merged.slice(serverOrder.length));
  }
  const [inPatch, serverOnly] = partitionByPresence(merged, patch, mergeKey);
  return normalizeElementOrder(inPatch, serverOnly, patch, serverOrder, mergeKey);
}

/**
 * The `$patch` elements of a merge list: `{$patch: delete, <key>: v}` removes the matching
 * elements, `{$patch: replace}` makes the patch's elements the whole list. Returns the
 * list after deletions (or the replacement) and the patch without those elements.
 *
 * Deletions shift `original` in place the way Go's `append(s[:i], s[i+1:]...)` does,
 * because Kubernetes then orders `$setElementOrder` lists by that mutated slice.
 */
function applyListDirectives(
  original: JsonValue[],
  patch: JsonValue[],
  mergeKey: string,
): { list: JsonValue[]; plain: JsonValue[]; replaced: boolean } {
  const plain: JsonValue[] = [];
  let replaced = false;
  let n = original.length;
  for (const v of patch) {
    const m = asMap(v);
    if (!hasOwn(m, PATCH)) {
      plain.push(v);
      continue;
    }
    switch (m[PATCH]) {
      case 'delete': {
        if (!hasOwn(m, mergeKey)) throw noMergeKey(m, mergeKey);
        let i: number;
        while ((i = findByMergeKey(original.slice(0, n), mergeKey, m[mergeKey]!)) >= 0) {
          original.copyWithin(i, i + 1, n);
          n--;
        }
        break;
      }
      case 'replace':
        replaced = true;
        break;
      case 'merge':
        // Kubernetes rejects this; minik reads it as the default: a keyed element merges, a bare one is a no-op.
        if (hasOwn(m, mergeKey)) {
          delete m[PATCH];
          plain.push(m);
        }
        break;
      default:
        throw new PatchError(`unknown patch type: ${String(m[PATCH])} in map: ${JSON.stringify(m)}`);
    }
  }
  return replaced ? { list: plain, plain: [], replaced } : { list: original.slice(0, n), plain, replaced };
}

/** Go appends new elements into the room deletions left in the caller's slice; mirror that (see applyListDirectives). */
function mirrorGoAppends(view: JsonValue[], from: number, appended: JsonValue[]): void {
  for (let i = 0; i < appended.length && from + i < view.length; i++) view[from + i] = appended[i]!;
}

/** Merges each patch element into the original element with the same key, or appends it. */
function mergeElements(
  original: JsonValue[],
  patch: JsonValue[],
  mergeKey: string,
  schema: PatchMetaLookup,
  opts: MergeOptions,
): JsonValue[] {
  const out = original.slice();
  // First element per merge-key value, as Go's linear search finds it.
  const byKey = new Map<string, number>();
  const remember = (v: JsonValue, i: number) => {
    const m = asMap(v);
    const id = JSON.stringify(m[mergeKey]);
    if (hasOwn(m, mergeKey) && !byKey.has(id)) byKey.set(id, i);
  };
  out.forEach(remember);
  for (const v of patch) {
    const m = asMap(v);
    if (!hasOwn(m, mergeKey)) throw noMergeKey(m, mergeKey);
    const i = byKey.get(JSON.stringify(m[mergeKey]));
    if (i !== undefined) out[i] = mergeMap(out[i] as JsonObject, m, schema, opts);
    else {
      out.push(v);
      remember(v, out.length - 1);
    }
  }
  return out;
}

/** Drops `null` members at any depth of a value that is being added whole. */
function discardNulls(v: JsonValue): void {
  if (Array.isArray(v)) v.forEach(discardNulls);
  else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else discardNulls(x);
    }
  }
}

/** Removes objects carrying `$patch` from a value being added whole; `keep` is false if the value itself is one. */
function removeDirectives(v: JsonValue): [JsonValue, boolean] {
  if (Array.isArray(v)) {
    const out: JsonValue[] = [];
    for (const x of v) {
      const [y, keep] = removeDirectives(x);
      if (keep) out.push(y);
    }
    return [out, true];
  }
  if (isObject(v)) {
    if (hasOwn(v, PATCH)) return [null, false];
    for (const [k, x] of Object.entries(v)) {
      const [y, keep] = removeDirectives(x);
      if (keep) v[k] = y;
      else delete v[k];
    }
  }
  return [v, true];
}
