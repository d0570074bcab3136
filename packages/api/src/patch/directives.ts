/** The special keys of a strategic merge patch. */
import { PatchError } from './errors.js';

/** `$patch: replace | delete | merge`, in an object or as an element of a merge list. */
export const PATCH = '$patch';
/** Keys of an object with the retainKeys strategy that survive; the others are cleared. */
export const RETAIN_KEYS = '$retainKeys';
/** `$deleteFromPrimitiveList/<list>`: values to remove from a merged list of primitives. */
export const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
/** `$setElementOrder/<list>`: the order of a merged list after patching. */
export const SET_ELEMENT_ORDER = '$setElementOrder';

/** The list key in `<prefix>/<list>`. */
export function listKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw new PatchError(
      prefix === SET_ELEMENT_ORDER
        ? 'invalid patch format of setElementOrder list'
        : prefix === DELETE_FROM_PRIMITIVE_LIST
          ? 'invalid patch format of primitive list'
          : `fail to find unknown prefix "${prefix}" in ${key}`,
    );
  }
  return key.slice(slash + 1);
}

export function isDirectiveKey(key: string): boolean {
  return (
    key === PATCH ||
    key === RETAIN_KEYS ||
    key.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`) ||
    key.startsWith(`${SET_ELEMENT_ORDER}/`)
  );
}
