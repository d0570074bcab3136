// kubectl prints what these verbs create from Go structs, not from maps: -o json keeps the
// structs' field order, zero values of fields without omitempty appear (`creationTimestamp:
// null`, `resources: {}`, `status: {}`), and fields Go does not know are gone. toTyped()
// gives an object that JSON-serialises exactly like that typed object; goJSON() writes it.
import type { KubeObject } from '@minik/api';
import { GO_STRUCTS } from './go-types.js';

interface Field {
  name: string;
  type: string;
  omitempty: boolean;
}

const parsed = new Map<string, Field[]>();

function fieldsOf(struct: string): Field[] {
  let f = parsed.get(struct);
  if (!f) {
    f = GO_STRUCTS[struct].split(' ').map((tok) => {
      const colon = tok.indexOf(':');
      const key = tok.slice(0, colon);
      const omitempty = key.endsWith('?');
      return { name: omitempty ? key.slice(0, -1) : key, type: tok.slice(colon + 1), omitempty };
    });
    parsed.set(struct, f);
  }
  return f;
}

/** The Go struct behind each kind the generators print. */
const KIND_STRUCTS: Record<string, string> = {
  'v1/Pod': 'core.Pod',
  'v1/Service': 'core.Service',
  'v1/ConfigMap': 'core.ConfigMap',
  'v1/Secret': 'core.Secret',
  'v1/Namespace': 'core.Namespace',
  'apps/v1/Deployment': 'apps.Deployment',
};

export function structFor(obj: KubeObject): string | undefined {
  return KIND_STRUCTS[`${obj.apiVersion}/${obj.kind}`];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's map key order: bytewise on UTF-8. */
export function goKeyCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Encodes `v` as Go would after decoding it into type `t`; `empty` is what omitempty drops. */
function encode(v: unknown, t: string): { value: unknown; empty: boolean } {
  if (t.startsWith('*')) {
    if (v === undefined || v === null) return { value: null, empty: true };
    return { value: encode(v, t.slice(1)).value, empty: false };
  }
  if (t.startsWith('[]')) {
    if (!Array.isArray(v)) return { value: null, empty: true };
    return { value: v.map((x) => encode(x, t.slice(2)).value), empty: v.length === 0 };
  }
  if (t.startsWith('{}')) {
    if (!isObj(v)) return { value: null, empty: true };
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort(goKeyCompare)) out[k] = encode(v[k], t.slice(2)).value;
    return { value: out, empty: Object.keys(out).length === 0 };
  }
  switch (t) {
    case 's':
      return typeof v === 'string' ? { value: v, empty: v === '' } : { value: '', empty: true };
    case 'i':
    case 'f':
      return typeof v === 'number' ? { value: v, empty: v === 0 } : { value: 0, empty: true };
    case 'b':
      return typeof v === 'boolean' ? { value: v, empty: !v } : { value: false, empty: true };
    case 'B':
      // []byte: nil and empty are both omitted; Go writes both as base64 strings.
      return typeof v === 'string' ? { value: v, empty: v === '' } : { value: null, empty: true };
    case 'T':
      // metav1.Time is a struct: never omitted, null when zero.
      return { value: typeof v === 'string' ? v : null, empty: false };
    case 'Q':
      return { value: v === undefined || v === null ? '0' : v, empty: false };
    case 'I':
      return { value: v === undefined || v === null ? 0 : v, empty: false };
    case 'R':
      return { value: v ?? null, empty: v === undefined || v === null };
  }
  // A struct: never empty for omitempty.
  const src = isObj(v) ? v : {};
  const out: Record<string, unknown> = {};
  for (const f of fieldsOf(t)) {
    const e = encode(src[f.name], f.type);
    if (f.omitempty && e.empty) continue;
    out[f.name] = e.value;
  }
  return { value: out, empty: false };
}
/** The object as kubectl holds it in its Go struct; kinds without one are returned as they are. */
export function toTyped(obj: KubeObject): KubeObject {
  const struct = structFor(obj);
  return struct ? (encode(obj, struct).value as KubeObject) : obj;
}

function quote(s: string): string {
  // encoding/json escapes HTML-sensitive characters and U+2028/U+2029; JSON.stringify does the rest alike.
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function write(v: unknown, indent: string, depth: number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '0' : String(v);
  if (typeof v === 'boolean') return String(v);
  const pad = indent ? '\n' + indent.repeat(depth + 1) : '';
  const end = indent ? '\n' + indent.repeat(depth) : '';
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return `[${v.map((x) => pad + write(x, indent, depth + 1)).join(',')}${end}]`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined);
  if (!keys.length) return '{}';
  const sep = indent ? ': ' : ':';
  return `{${keys.map((k) => pad + quote(k) + sep + write(o[k], indent, depth + 1)).join(',')}${end}}`;
}

/** encoding/json in the value's own key order: compact (json.Marshal) or indented (MarshalIndent). */
export function goJSON(v: unknown, indent = ''): string {
  return write(v, indent, 0);
}
