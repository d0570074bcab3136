// Metadata the server owns: uid, timestamps, names generated from generateName.
import { randomUUID, randomInt } from 'node:crypto';
import type { KubeObject } from '@minik/api';

// k8s.io/apimachinery/pkg/util/rand: no vowels (no accidental words), no 0/1/3 (look-alikes).
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return s;
}

export function newUid(): string {
  return randomUUID();
}

export function meta(o: KubeObject): NonNullable<KubeObject['metadata']> {
  if (!o.metadata) o.metadata = {};
  return o.metadata;
}

/** Deep structural equality for JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual(ao[k], bo[k]));
}

export function clone<T>(o: T): T {
  return structuredClone(o);
}
