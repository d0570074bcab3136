/**
 * Computing strategic merge patches (k8s.io/apimachinery/pkg/util/strategicpatch
 * CreateTwoWayMergePatch / CreateThreeWayMergePatch), including the three-way patch that
 * `kubectl apply` sends.
 */
import { DELETE_FROM_PRIMITIVE_LIST, PATCH, RETAIN_KEYS, SET_ELEMENT_ORDER } from './directives.js';
import { PatchError } from './errors.js';
import {
  cloneJson,
  compareStrings,
  deepEqual,
  goString,
  hasOwn,
  isObject,
  jsonType,
  sortKeysDeep,
  type JsonObject,
  type JsonValue,
} from './json.js';
import { patchMetaForKind } from './kind-meta.js';
import type { PatchMetaLookup } from './patch-meta.js';
import { mergeMap } from './smp-apply.js';
import { dedupeScalars, elementType, mergeKeyOf, sortByOrder, sortScalars } from './smp-lists.js';

interface DiffOptions {
  /** Emit `$setElementOrder/<list>` for merge lists whose content or order changed. */
  setElementOrder: boolean;
  /** Leave out additions and changes (the deletions half of a three-way patch). */
  ignoreChangesAndAdditions: boolean;
  /** Leave out deletions (the changes half of a three-way patch). */
  ignoreDeletions: boolean;
  /** The map being diffed has the retainKeys strategy: emit `$retainKeys`. */
  buildRetainKeys: boolean;
}

/**
 * The three-way patch `kubectl apply` sends: the changes from `current` (the live object) to
 * `modified` (the file, with its new last-applied annotation), plus the deletions of what
 * `original` (the previous last-applied configuration, or undefined) had and `modified`
 * no longer has. Fields only the live object has (defaults, status, others' labels) are
 * kept. Returns `{}` when nothing would change. Unlike kubectl with `--overwrite=false`,
 * conflicts are not checked: kubectl apply overwrites by default.
 */
export function createThreeWayMergePatch(
  original: unknown,
  modified: unknown,
  current: unknown,
  kind: string | PatchMetaLookup,
): JsonObject {
  const schema = patchMetaForKind(kind);
  const [o, m, c] = [original, modified, current].map(asObject) as [JsonObject, JsonObject, JsonObject];
  const base = { setElementOrder: true, ignoreChangesAndAdditions: false, ignoreDeletions: false, buildRetainKeys: false };
  const delta = diffMaps(c, m, schema, { ...base, ignoreDeletions: true });
  const deletions = diffMaps(o, m, schema, { ...base, ignoreChangesAndAdditions: true });
  // The changes are applied to the deletions as a patch, carrying the directives over.
  const patch = mergeMap(cloneJson(deletions), cloneJson(delta), schema, { mergeParallelList: false, ignoreUnmatchedNulls: false });
  return sortKeysDeep(patch);
}

/** The strategic merge patch that turns `original` into `modified` (what `kubectl edit` sends). */
export function createTwoWayStrategicMergePatch(original: unknown, modified: unknown, kind: string | PatchMetaLookup): JsonObject {
  const [o, m] = [original, modified].map(asObject) as [JsonObject, JsonObject];
  const opts: DiffOptions = { setElementOrder: true, ignoreChangesAndAdditions: false, ignoreDeletions: false, buildRetainKeys: false };
  return sortKeysDeep(diffMaps(o, m, patchMetaForKind(kind), opts));
}

function asObject(v: unknown): JsonObject {
  const o = cloneJson(v ?? {});
  if (!isObject(o)) throw new PatchError('a strategic merge patch can only be computed between JSON objects');
  return o;
}

/**
 * The patch from `original` to `modified`: added and changed fields, `null` for removed
 * ones, per-list diffs for merge lists, and `$retainKeys` for retainKeys maps.
 */
function diffMaps(original: JsonObject, modified: JsonObject, schema: PatchMetaLookup, opts: DiffOptions): JsonObject {
  const patch: JsonObject = {};
  const retainKeys: JsonValue[] = [];
  for (const [key, modV] of Object.entries(modified)) {
    if (opts.buildRetainKeys && modV !== null) retainKeys.push(key);
    if (!hasOwn(original, key)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = modV;
      continue;
    }
    const origV = original[key]!;
    if (key === PATCH) {
      if (typeof origV !== 'string' || typeof modV !== 'string') throw new PatchError(`invalid value for special key: ${PATCH}`);
      if (origV !== modV) patch[PATCH] = modV;
      continue;
    }
    if (jsonType(origV) !== jsonType(modV)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = modV;
      continue;
    }
    const { meta, sub } = schema.field(key);
    if (isObject(origV)) {
      if (meta.strategy === 'replace') {
        if (!opts.ignoreChangesAndAdditions) patch[key] = modV;
        continue;
      }
      const sp = diffMaps(origV, modV as JsonObject, sub, { ...opts, buildRetainKeys: !!meta.retainKeys });
      if (Object.keys(sp).length > 0) patch[key] = sp;
    } else if (Array.isArray(origV) && meta.strategy === 'merge') {
      const lists = diffLists(origV, modV as JsonValue[], sub, meta.mergeKey, { ...opts, buildRetainKeys: !!meta.retainKeys });
      if (lists.patch.length > 0) patch[key] = lists.patch;
      if (lists.deletions.length > 0) patch[`${DELETE_FROM_PRIMITIVE_LIST}/${key}`] = lists.deletions;
      if (lists.order.length > 0) patch[`${SET_ELEMENT_ORDER}/${key}`] = lists.order;
    } else if (!opts.ignoreChangesAndAdditions && !deepEqual(origV, modV)) {
      patch[key] = modV;
    }
  }
  if (!opts.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!hasOwn(modified, key)) patch[key] = null;
  }
  // $retainKeys is needed when something changes, or when a field must be cleared.
  const clears = Object.entries(original).some(([k, v]) => v !== null && !hasOwn(modified, k));
  if (retainKeys.length > 0 && (Object.keys(patch).length > 0 || clears)) patch[RETAIN_KEYS] = sortScalars(retainKeys);
  return patch;
}

interface ListDiff {
  /** Added and changed elements, then `$patch: delete` elements (lists of objects) or added values (primitives). */
  patch: JsonValue[];
  /** Values to remove from a list of primitives. */
  deletions: JsonValue[];
  /** `$setElementOrder`: the new order, as merge keys (objects) or values (primitives). */
  order: JsonValue[];
}

function diffLists(
  original: JsonValue[],
  modified: JsonValue[],
  schema: PatchMetaLookup,
  mergeKey: string | undefined,
  opts: DiffOptions,
): ListDiff {
  const none: ListDiff = { patch: [], deletions: [], order: [] };
  if (original.length === 0) {
    if (modified.length === 0 || opts.ignoreChangesAndAdditions) return none;
    return { ...none, patch: modified };
  }
  const type = elementType(original, modified);
  if (type === 'object') {
    if (!mergeKey) throw new PatchError(`cannot merge lists without merge key for ${schema.name}`);
    const { changed, deleted } = diffListsOfMaps(original, modified, schema, mergeKey, opts);
    const patch = [...sortByOrder(changed, modified, mergeKey), ...deleted];
    const orderSame =
      original.length === modified.length &&
      modified.every((v, i) => deepEqual(mergeKeyOf(original[i]!, mergeKey), mergeKeyOf(v, mergeKey)));
    const wantOrder =
      opts.setElementOrder &&
      ((!opts.ignoreChangesAndAdditions && (patch.length > 0 || !orderSame)) || (!opts.ignoreDeletions && patch.length > 0));
    const order = wantOrder ? modified.map((v) => ({ [mergeKey]: (v as JsonObject)[mergeKey] ?? null })) : [];
    return { patch, deletions: [], order };
  }
  const { added, deleted } = diffListsOfScalars(original, modified, opts);
  // Go sorts `original` in place while diffing, so this compares the sorted original: an
  // unsorted, unchanged list still gets a $setElementOrder, exactly as kubectl sends it.
  const wantOrder =
    opts.setElementOrder &&
    ((!opts.ignoreDeletions && deleted.length > 0) || (!opts.ignoreChangesAndAdditions && !deepEqual(sortScalars(original), modified)));
  return { patch: sortByOrder(added, modified, undefined), deletions: deleted, order: wantOrder ? modified : [] };
}

/** Walks both lists sorted by merge key: recursing into common elements, collecting additions and delete directives. */
function diffListsOfMaps(
  original: JsonValue[],
  modified: JsonValue[],
  schema: PatchMetaLookup,
  mergeKey: string,
  opts: DiffOptions,
): { changed: JsonValue[]; deleted: JsonValue[] } {
  const byKey = (list: JsonValue[]) =>
    list
      .map((v) => ({ v: v as JsonObject, s: goString((v as JsonObject)[mergeKey]) }))
      .sort((a, b) => compareStrings(a.s, b.s));
  const os = byKey(original);
  const ms = byKey(modified);
  const changed: JsonValue[] = [];
  const deleted: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < os.length || j < ms.length) {
    const o = i < os.length ? os[i]! : undefined;
    const m = j < ms.length ? ms[j]! : undefined;
    if (o) mergeKeyOf(o.v, mergeKey);
    if (m) mergeKeyOf(m.v, mergeKey);
    if (o && m && o.s === m.s) {
      const sub = diffMaps(o.v, m.v, schema, opts);
      if (Object.keys(sub).length > 0) changed.push({ ...sub, [mergeKey]: m.v[mergeKey]! });
      i++;
      j++;
    } else if (m && (!o || o.s > m.s)) {
      if (!opts.ignoreChangesAndAdditions) changed.push(m.v);
      j++;
    } else if (o) {
      if (!opts.ignoreDeletions) deleted.push({ [mergeKey]: o.v[mergeKey]!, [PATCH]: 'delete' });
      i++;
    }
  }
  return { changed, deleted };
}

/** Additions and deletions between two lists of primitives, compared as sorted strings. */
function diffListsOfScalars(original: JsonValue[], modified: JsonValue[], opts: DiffOptions): { added: JsonValue[]; deleted: JsonValue[] } {
  const os = sortScalars(original);
  const ms = sortScalars(modified);
  const added: JsonValue[] = [];
  const deleted: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < os.length || j < ms.length) {
    const oStr = i < os.length ? goString(os[i]) : undefined;
    const mStr = j < ms.length ? goString(ms[j]) : undefined;
    if (oStr !== undefined && mStr !== undefined && oStr === mStr) {
      i++;
      j++;
    } else if (mStr !== undefined && (oStr === undefined || oStr > mStr)) {
      if (!opts.ignoreChangesAndAdditions) added.push(ms[j]!);
      j++;
    } else {
      if (!opts.ignoreDeletions) deleted.push(os[i]!);
      i++;
    }
  }
  return { added, deleted: dedupeScalars(deleted) };
}
