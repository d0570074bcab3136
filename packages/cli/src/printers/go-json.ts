// encoding/json as kubectl uses it on unstructured objects: map keys sorted, HTML-sensitive
// characters escaped (\u003c, \u003e, \u0026), MarshalIndent with four spaces for -o json.
import { GoFloat, compareGoStrings, formatFloatG } from './go-format.js';

function quote(s: string): string {
  // JSON.stringify already matches Go for quotes, backslashes and control characters.
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function number(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${formatFloatG(n)}`);
  // Go writes float64 in JS's shortest form ("1e-7", "1e+21", "100000000000000000000")
  // and int64 in decimal, so String() matches both; -0 decodes to int64 0 in Go.
  return Object.is(n, -0) ? '0' : String(n);
}

function write(v: unknown, indent: string, depth: number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return number(v);
  if (v instanceof GoFloat) return number(v.value);
  const pad = indent ? '\n' + indent.repeat(depth + 1) : '';
  const end = indent ? '\n' + indent.repeat(depth) : '';
  const sep = indent ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${v.map((x) => pad + write(x, indent, depth + 1)).join(',')}${end}]`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort(compareGoStrings);
  if (keys.length === 0) return '{}';
  return `{${keys.map((k) => pad + quote(k) + sep + write(o[k], indent, depth + 1)).join(',')}${end}}`;
}

/** json.Marshal (compact) of a decoded JSON value. */
export function marshalJSON(v: unknown): string {
  return write(v, '', 0);
}

/** json.MarshalIndent(v, "", indent); kubectl's -o json uses four spaces. */
export function marshalIndentJSON(v: unknown, indent = '    '): string {
  return write(v, indent, 0);
}
