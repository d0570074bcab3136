/** JSON Patch (RFC 6902) with JSON Pointers (RFC 6901), as `kubectl patch --type json` and `rollout undo` send. */
import { PatchError } from './errors.js';
import { cloneJson, deepEqual, hasOwn, isObject, type JsonValue } from './json.js';

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/** Splits a JSON Pointer into unescaped reference tokens (`~1` is `/`, `~0` is `~`). */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer "${pointer}": must be empty or start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => {
      if (/~[^01]|~$/.test(t)) throw new PatchError(`invalid JSON pointer "${pointer}": bad escape in "${t}"`);
      return t.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/**
 * Applies the operations in order to a copy of `doc` and returns it; the input is never
 * mutated, and nothing is applied if any operation fails (the patch is atomic).
 */
export function applyJsonPatch(doc: unknown, ops: unknown): JsonValue {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch must be an array of operations');
  let root: JsonValue = cloneJson(doc);
  ops.forEach((raw, i) => {
    root = applyOne(root, raw, i);
  });
  return root;
}

function applyOne(root: JsonValue, raw: unknown, index: number): JsonValue {
  if (!isObject(raw)) throw new PatchError(`operation ${index}: must be an object`, 'Invalid', { operation: index });
  const op = raw.op;
  const fail = (msg: string, reason: 'Invalid' | 'PathNotFound' | 'TestFailed' = 'Invalid', path?: string): never => {
    throw new PatchError(`operation ${index} (${String(op)}): ${msg}`, reason, { operation: index, path });
  };
  const stringField = (name: 'path' | 'from'): string => {
    const v = raw[name];
    if (typeof v !== 'string') fail(`missing "${name}" field`);
    return v as string;
  };
  const valueField = (): JsonValue => {
    if (!hasOwn(raw, 'value')) fail('missing "value" field');
    return cloneJson(raw.value);
  };
  const at = (pointer: string): string[] => {
    try {
      return parseJsonPointer(pointer);
    } catch (e) {
      return fail((e as Error).message, 'Invalid', pointer);
    }
  };

  if (typeof op !== 'string' || !OPS.has(op)) return fail(`unknown operation ${JSON.stringify(op)}`);
  const path = stringField('path');
  switch (op) {
    case 'add':
      return add(root, at(path), valueField(), (m) => fail(m, 'PathNotFound', path));
    case 'remove':
      return remove(root, at(path), (m) => fail(m, 'PathNotFound', path)).root;
    case 'replace': {
      const value = valueField();
      const tokens = at(path);
      if (tokens.length === 0) return value;
      const { parent, key } = locate(root, tokens, (m) => fail(m, 'PathNotFound', path));
      if (Array.isArray(parent)) parent[existingIndex(parent, key, (m) => fail(m, 'PathNotFound', path))] = value;
      else if (hasOwn(parent, key)) parent[key] = value;
      else fail(`doc is missing key: ${path}`, 'PathNotFound', path);
      return root;
    }
    case 'move': {
      const from = stringField('from');
      const fromTokens = at(from);
      const toTokens = at(path);
      get(root, fromTokens, (m) => fail(m, 'PathNotFound', from));
      if (from === path) return root;
      if (toTokens.length > fromTokens.length && fromTokens.every((t, i) => t === toTokens[i])) {
        fail(`cannot move "${from}" into its own child "${path}"`);
      }
      const taken = remove(root, fromTokens, (m) => fail(m, 'PathNotFound', from));
      return add(taken.root, toTokens, taken.value, (m) => fail(m, 'PathNotFound', path));
    }
    case 'copy': {
      const from = stringField('from');
      const value = cloneJson(get(root, at(from), (m) => fail(m, 'PathNotFound', from)));
      return add(root, at(path), value, (m) => fail(m, 'PathNotFound', path));
    }
    case 'test': {
      const expected = valueField();
      const actual = get(root, at(path), (m) => fail(m, 'PathNotFound', path));
      if (!deepEqual(actual, expected)) fail(`testing value ${path} failed: test failed`, 'TestFailed', path);
      return root;
    }
    default:
      return fail(`unknown operation ${JSON.stringify(op)}`);
  }
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

type Fail = (message: string) => never;
type Container = JsonValue[] | { [key: string]: JsonValue };

/** The container holding the last token, which must exist. */
function locate(root: JsonValue, tokens: string[], fail: Fail): { parent: Container; key: string } {
  let cur: JsonValue = root;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[existingIndex(cur, t, fail)]!;
    else if (isObject(cur) && hasOwn(cur, t)) cur = cur[t]!;
    else fail(`doc is missing path: "/${tokens.join('/')}"`);
  }
  if (!Array.isArray(cur) && !isObject(cur)) fail(`doc is missing path: "/${tokens.join('/')}"`);
  return { parent: cur as Container, key: tokens[tokens.length - 1]! };
}

function get(root: JsonValue, tokens: string[], fail: Fail): JsonValue {
  if (tokens.length === 0) return root;
  const { parent, key } = locate(root, tokens, fail);
  if (Array.isArray(parent)) return parent[existingIndex(parent, key, fail)]!;
  if (!hasOwn(parent, key)) fail(`doc is missing path: "/${tokens.join('/')}"`);
  return parent[key]!;
}

function add(root: JsonValue, tokens: string[], value: JsonValue, fail: Fail): JsonValue {
  if (tokens.length === 0) return value;
  const { parent, key } = locate(root, tokens, fail);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : arrayIndex(key, fail);
    if (i > parent.length) fail(`Unable to access invalid index: ${i}`);
    parent.splice(i, 0, value);
  } else {
    parent[key] = value;
  }
  return root;
}

function remove(root: JsonValue, tokens: string[], fail: Fail): { root: JsonValue; value: JsonValue } {
  if (tokens.length === 0) fail('cannot remove the whole document');
  const { parent, key } = locate(root, tokens, fail);
  if (Array.isArray(parent)) {
    const i = existingIndex(parent, key, fail);
    return { root, value: parent.splice(i, 1)[0]! };
  }
  if (!hasOwn(parent, key)) fail(`Unable to remove nonexistent key: ${key}`);
  const value = parent[key]!;
  delete parent[key];
  return { root, value };
}

/** RFC 6901 array index: decimal digits without leading zeros. */
function arrayIndex(token: string, fail: Fail): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) fail(`value was not a proper array index: '${token}'`);
  return Number(token);
}

function existingIndex(list: JsonValue[], token: string, fail: Fail): number {
  const i = arrayIndex(token, fail);
  if (i >= list.length) fail(`Unable to access invalid index: ${i}`);
  return i;
}
