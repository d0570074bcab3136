/**
 * List helpers shared by applying and computing strategic merge patches: element types,
 * merge-key lookups and the ordering rules of merged lists ($setElementOrder first, then the
 * patch's order, then the live object's order for items only the server has).
 */
import { PATCH } from './directives.js';
import { PatchError } from './errors.js';
import { compareStrings, deepEqual, goString, hasOwn, isObject, jsonType, type JsonObject, type JsonType, type JsonValue } from './json.js';

/** The common element type of the lists; Kubernetes rejects lists of lists and mixed lists. */
export function elementType(...lists: JsonValue[][]): JsonType | undefined {
  let found: JsonType | undefined;
  for (const list of lists) {
    for (const v of list) {
      const t = jsonType(v);
      if (found === undefined) {
        if (t === 'array') throw new PatchError('lists of lists are not supported');
        found = t;
      } else if (t !== found) {
        throw new PatchError(`list element types are not identical: ${JSON.stringify(lists)}`);
      }
    }
  }
  return found;
}

export function noMergeKey(m: JsonValue, mergeKey: string): PatchError {
  return new PatchError(`map: ${JSON.stringify(m)} does not contain declared merge key: ${mergeKey}`);
}

export function asMap(v: JsonValue | undefined): JsonObject {
  if (!isObject(v)) throw new PatchError(`expected a map, but received ${jsonType(v)}`);
  return v;
}

/** The merge-key value of a list element, which must be an object that has it. */
export function mergeKeyOf(v: JsonValue, mergeKey: string): JsonValue {
  const m = asMap(v);
  if (!hasOwn(m, mergeKey)) throw noMergeKey(m, mergeKey);
  return m[mergeKey]!;
}

/** The element of a list of objects whose merge key has this value. */
export function findByMergeKey(list: JsonValue[], mergeKey: string, value: JsonValue): number {
  return list.findIndex((v, i) => {
    if (!isObject(v)) throw new PatchError(`value for key ${i} is not a map`);
    return hasOwn(v, mergeKey) && deepEqual(v[mergeKey], value);
  });
}

/**
 * The identity an item is matched by: its merge-key value for objects (a missing key counts
 * as null, as in Go), its value for primitives.
 */
function identity(item: JsonValue, mergeKey: string | undefined): string {
  const v = mergeKey ? (isObject(item) ? item[mergeKey] : undefined) : item;
  return JSON.stringify(v ?? null);
}

/** Item → index of the first item of `list` with the same identity, or -1. */
function positionsIn(list: JsonValue[], mergeKey: string | undefined): (item: JsonValue) => number {
  const pos = new Map<string, number>();
  list.forEach((v, i) => {
    if (mergeKey && !isObject(v)) return;
    const id = identity(v, mergeKey);
    if (!pos.has(id)) pos.set(id, i);
  });
  return (item) => pos.get(identity(item, mergeKey)) ?? -1;
}

function isDeleteDirective(v: JsonValue): boolean {
  return isObject(v) && v[PATCH] === 'delete';
}

/**
 * Sorts `toSort` by the positions of its items in `order`, keeping `$patch: delete`
 * elements last. Uses Go's stable insertion sort with its comparator (an item missing from
 * `order` compares as smaller), so odd inputs come out as they do in Kubernetes.
 */
export function sortByOrder(toSort: JsonValue[], order: JsonValue[], mergeKey: string | undefined): JsonValue[] {
  let items = toSort.slice();
  let deletes: JsonValue[] = [];
  if (mergeKey) {
    for (const v of [...items, ...order]) mergeKeyOf(v, mergeKey);
    deletes = items.filter(isDeleteDirective);
    items = items.filter((v) => !isDeleteDirective(v));
  }
  const indexOf = positionsIn(order, mergeKey);
  const keyed = items.map((v) => ({ v, i: indexOf(v) }));
  const less = (a: { i: number }, b: { i: number }): boolean => (a.i >= 0 && b.i >= 0 ? a.i < b.i : true);
  for (let i = 1; i < keyed.length; i++) {
    for (let j = i; j > 0 && less(keyed[j]!, keyed[j - 1]!); j--) {
      [keyed[j], keyed[j - 1]] = [keyed[j - 1]!, keyed[j]!];
    }
  }
  return [...keyed.map((k) => k.v), ...deletes];
}

/**
 * Interleaves server-only items (`left`) into patch items (`right`), keeping each list's own
 * order; a server-only item goes first only when the live order puts it before the next
 * patch item (so new patch items come before server-only ones).
 */
function mergeSorted(left: JsonValue[], right: JsonValue[], serverOrder: JsonValue[], mergeKey: string | undefined): JsonValue[] {
  const indexOf = positionsIn(serverOrder, mergeKey);
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]!);
    else if (j >= right.length) out.push(left[i++]!);
    else {
      const li = indexOf(left[i]!);
      const ri = indexOf(right[j]!);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]!);
      else out.push(right[j++]!);
    }
  }
  return out;
}

/** The final order of a merged list: patch items by `patchOrder`, server-only items by `serverOrder`, interleaved. */
export function normalizeElementOrder(
  patchItems: JsonValue[],
  serverOnly: JsonValue[],
  patchOrder: JsonValue[],
  serverOrder: JsonValue[],
  mergeKey: string | undefined,
): JsonValue[] {
  return mergeSorted(
    sortByOrder(serverOnly, serverOrder, mergeKey),
    sortByOrder(patchItems, patchOrder, mergeKey),
    serverOrder,
    mergeKey,
  );
}

/** Splits `list` into the items present in `by` (by merge key, or by value) and the others. */
export function partitionByPresence(list: JsonValue[], by: JsonValue[], mergeKey: string | undefined): [JsonValue[], JsonValue[]] {
  if (mergeKey) by.forEach((v, i) => {
    if (!isObject(v)) throw new PatchError(`value for key ${i} is not a map`);
  });
  const present = new Set(by.filter((v) => !mergeKey || hasOwn(v as JsonObject, mergeKey)).map((v) => identity(v, mergeKey)));
  const inPatch: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const v of list) {
    if (mergeKey) mergeKeyOf(v, mergeKey);
    (present.has(identity(v, mergeKey)) ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

/** Scalars sorted by their string form, as Go's sortScalars does. */
export function sortScalars(list: JsonValue[]): JsonValue[] {
  return list.slice().sort((a, b) => compareStrings(goString(a), goString(b)));
}

/** Removes duplicates by moving the last element into each duplicate's place (Go's deduplicateScalars; order matters for output). */
export function dedupeScalars(list: JsonValue[]): JsonValue[] {
  const s = list.slice();
  let last = s.length - 1;
  for (let i = 0; i < last; i++) {
    for (let j = i + 1; j <= last; j++) {
      if (deepEqual(s[i], s[j])) {
        s[j] = s[last]!;
        s.length = last;
        last--;
        j--;
      }
    }
  }
  return s;
}
