// sigs.k8s.io/yaml.Marshal as kubectl's -o yaml uses it: JSON first, then go-yaml v2.
// Numbers keep JSON's int/float split, strings are quoted only when go-yaml would misread
// them, maps are sorted go-yaml's way, and sequences under a key are not indented.
import { GoFloat, formatFloatG } from '../go-format.js';
import { Emitter, type Node, type Scalar } from './emitter.js';
import { yamlSortedKeys } from './key-order.js';
import { canUsePlain } from './resolve.js';

function floatText(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  return formatFloatG(f);
}

function numberText(n: number): string {
  // go-yaml reads JSON integers that fit int64/uint64 as integers, anything else as float64.
  if (Number.isInteger(n) && n > -(2 ** 63) && n < 2 ** 64) return Object.is(n, -0) ? '0' : BigInt(n).toString();
  return floatText(n);
}

/**
 * Go's JSON leaves U+0085 (NEL) raw and go-yaml's reader takes it for a line break inside
 * the double-quoted JSON string, folding it (and surrounding blanks) like any line break.
 */
function foldNel(s: string): string {
  return s.replace(/[ \t]*((?:\u0085[ \t]*)+)/g, (_m, run: string) => {
    const n = run.split('\u0085').length - 1;
    return n === 1 ? ' ' : '\n'.repeat(n - 1);
  });
}

function stringScalar(raw: string): Scalar {
  const s = raw.includes('\u0085') ? foldNel(raw) : raw;
  if (s.includes('\n')) return { text: s, style: 'literal' };
  return { text: s, style: canUsePlain(s) ? 'plain' : 'double' };
}

function toNode(v: unknown): Node {
  if (v === null || v === undefined) return { text: 'null', style: 'plain' };
  if (typeof v === 'boolean') return { text: String(v), style: 'plain' };
  if (typeof v === 'number') return { text: numberText(v), style: 'plain' };
  if (v instanceof GoFloat) return { text: floatText(v.value), style: 'plain' };
  if (typeof v === 'string') return stringScalar(v);
  if (Array.isArray(v)) return { seq: v.map((x) => toNode(x === undefined ? null : x)) };
  const o = v as Record<string, unknown>;
  const keys = yamlSortedKeys(o).filter((k) => o[k] !== undefined);
  return { map: keys.map((k) => [stringScalar(k), toNode(o[k])]) };
}

/** The YAML document kubectl prints for a JSON value (ends with a newline). */
export function marshalYAML(value: unknown): string {
  return Emitter.document(toNode(value));
}
