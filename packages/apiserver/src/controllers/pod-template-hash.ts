// The pod-template-hash of a Deployment's ReplicaSets (controller.ComputeHash): FNV-32a over the
// pod template, then the collision count, printed in decimal and spelled with
// rand.SafeEncodeString's alphabet. Kubernetes hashes Go's in-memory struct; minik hashes a
// canonical JSON (sorted keys, no nulls or empty maps and lists), which gives the same
// guarantees: independent of key order, stable across defaulting round-trips.
import type { PodTemplate } from './workload-types.js';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** k8s.io/apimachinery/pkg/util/rand: no vowels, no 0/1/3 (no words, no look-alikes). */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

export function fnv32a(bytes: Uint8Array, seed = FNV32_OFFSET): number {
  let h = seed;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, FNV32_PRIME) >>> 0;
  }
  return h >>> 0;
}

const EMPTY = new Set(['null', '{}', '[]']);

/** JSON with sorted keys, without null members and without empty maps and lists. */
export function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJSON(x)).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const members = Object.keys(v as Record<string, unknown>)
      .sort()
      .map((k) => [k, canonicalJSON((v as Record<string, unknown>)[k])] as const)
      .filter(([, x]) => !EMPTY.has(x));
    return `{${members.map(([k, x]) => `${JSON.stringify(k)}:${x}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** The template without the pod-template-hash label (what hashes and comparisons look at). */
export function withoutHashLabel(t: PodTemplate | undefined): PodTemplate {
  const copy = structuredClone(t ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  return copy;
}

/** ComputeHash(template, collisionCount) */
export function computeHash(template: PodTemplate | undefined, collisionCount?: number): string {
  const enc = new TextEncoder();
  let h = fnv32a(enc.encode(canonicalJSON(withoutHashLabel(template))));
  if (collisionCount !== undefined && collisionCount !== null) {
    // binary.LittleEndian.PutUint32 into an 8-byte buffer: four value bytes, four zeros.
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}

/** EqualIgnoreHash: the same template apart from the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return canonicalJSON(withoutHashLabel(a)) === canonicalJSON(withoutHashLabel(b));
}
