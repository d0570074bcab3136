import type { LabelFilter } from './types.js';

/** Query parameters; booleans are sent as 1/0, arrays as repeated keys, undefined left out. */
export type Query = Record<string, string | number | boolean | undefined | string[]>;

/** name + tag of an image reference; digests stay in the name; no tag means 'latest'. */
export function splitRef(ref: string): { name: string; tag?: string } {
  if (ref.includes('@')) return { name: ref };
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { name: ref, tag: 'latest' };
}

/** Docker's `filters` query parameter: JSON of lists; labels as `key=value` or bare `key`. */
export function filtersParam(filters: Record<string, string[]>, labels?: LabelFilter): string | undefined {
  const all: Record<string, string[]> = { ...filters };
  if (labels) {
    const list = Object.entries(labels).map(([k, v]) => (v === true ? k : `${k}=${v}`));
    all['label'] = [...(all['label'] ?? []), ...list];
  }
  return Object.keys(all).length ? JSON.stringify(all) : undefined;
}

/** Query string; booleans as 1/0 (Docker's BoolValue), arrays as repeated keys, undefined left out. */
export function toQuery(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return params.toString();
}

/** Docker times: unix seconds with a fraction; strings (RFC 3339, "10m") pass through. */
export function timeParam(t: number | Date | string | undefined): string | undefined {
  if (t === undefined) return undefined;
  if (t instanceof Date) return (t.getTime() / 1000).toFixed(3);
  return String(t);
}
