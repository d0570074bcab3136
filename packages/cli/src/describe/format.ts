// Value formatting shared by the describers, as describe.go and Go's fmt print them.
import { humanDuration } from '@minik/api';
import { goSort } from '../printers/go-sort.js';
import { LEVEL_0, type PrefixWriter } from './writer.js';

/** Objects are JSON as the server sends them: the describers read fields loosely, like Go's zero values. */
export type Obj = any;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** time.RFC1123Z in the local zone, as metav1.Time decodes; a missing time is Go's zero time. */
export function rfc1123z(ts: string | undefined | null): string {
  const t = ts ? Date.parse(ts) : NaN;
  if (Number.isNaN(t)) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(t);
  const off = -d.getTimezoneOffset();
  const zone = `${off < 0 ? '-' : '+'}${pad2(Math.floor(Math.abs(off) / 60))}${pad2(Math.abs(off) % 60)}`;
  return `${DAYS[d.getDay()]}, ${pad2(d.getDate())} ${MONTHS[d.getMonth()]} ${String(d.getFullYear()).padStart(4, '0')} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${zone}`;
}

/** translateTimestampSince: the age of a timestamp, `<unknown>` when unset. */
export function since(ts: string | undefined | null, now: number): string {
  const t = ts ? Date.parse(ts) : NaN;
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now - t);
}

/** Go's sort.Strings order (bytewise for the ASCII keys objects carry). */
export function goStringLess(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedKeys(m: Record<string, unknown> | undefined | null): string[] {
  return Object.keys(m ?? {}).sort(goStringLess);
}

/** printBool */
export const printBool = (v: unknown) => (v ? 'True' : 'False');

/** An IntOrString as intstr.String() prints it. */
export function intOrString(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

/** A *IntOrString: `<nil>` when unset. */
export function intOrStringPtr(v: unknown): string {
  return v === undefined || v === null ? '<nil>' : String(v);
}

/** fmt's %v of a Go string slice: `[a b c]`. */
export function goSlice(v: unknown[] | undefined | null): string {
  return `[${(v ?? []).map((x) => String(x)).join(' ')}]`;
}

/** fmt's %q for the plain strings objects carry. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function stringOrNone(s: string | undefined | null): string {
  return s ? s : '<none>';
}

/** The controller owner reference as `Kind/Name`, or ''. */
export function printController(obj: Obj): string {
  const ref = (obj?.metadata?.ownerReferences ?? []).find((r: Obj) => r?.controller === true);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

/** printLabelsMultilineWithIndent: `Labels:  a=b` with continuation lines, `<none>` when empty. */
export function printLabelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | undefined | null, initialIndent = '', innerIndent = '\t'): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const keys = sortedKeys(labels);
  if (!keys.length) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, `${initialIndent}${innerIndent}`);
    w.write(LEVEL_0, `${key}=${labels![key]}\n`);
  });
}

const MAX_ANNOTATION_LEN = 140;
const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

function byteLen(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function shorten(s: string, max: number): string {
  const b = Buffer.from(s, 'utf8');
  return b.length > max ? b.subarray(0, max).toString('utf8') + '...' : s;
}

/** printAnnotationsMultiline: long or multi-line values go on their own indented lines. */
export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined | null): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = sortedKeys(annotations).filter((k) => !SKIP_ANNOTATIONS.has(k));
  if (!keys.length) {
    w.writeLine('<none>');
    return;
  }
  const indent = '\t';
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, indent);
    const value = String(annotations![key]).replace(/\n$/, '');
    if (byteLen(value) + byteLen(key) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${key}:\n`);
      for (const s of value.split('\n')) w.write(LEVEL_0, `${indent}  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`);
    }
  });
}

/** Taint.ToString() */
export function taintString(t: Obj): string {
  const key = t?.key ?? '';
  const value = t?.value ?? '';
  const effect = t?.effect ?? '';
  if (!effect) return value ? `${key}=${value}:` : `${key}`;
  return value ? `${key}=${value}:${effect}` : `${key}:${effect}`;
}

export function printTaintsMultiline(w: PrefixWriter, title: string, taints: Obj[] | undefined | null, initialIndent = '', innerIndent = '\t'): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  if (!taints?.length) {
    w.writeLine('<none>');
    return;
  }
  const key = (t: Obj) => `${t?.effect ?? ''},${t?.key ?? ''}`;
  goSort(taints, (a, b) => key(a) < key(b)).forEach((t, i) => {
      if (i !== 0) w.write(LEVEL_0, `${initialIndent}${innerIndent}`);
      w.write(LEVEL_0, `${taintString(t)}\n`);
    });
}

export function printTolerationsMultiline(w: PrefixWriter, title: string, tolerations: Obj[] | undefined | null, initialIndent = '', innerIndent = '\t'): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  if (!tolerations?.length) {
    w.writeLine('<none>');
    return;
  }
  goSort(tolerations, (a, b) => (a?.key ?? '') < (b?.key ?? '')).forEach((t, i) => {
      if (i !== 0) w.write(LEVEL_0, `${initialIndent}${innerIndent}`);
      let s = t?.key ?? '';
      if (t?.value) s += `=${t.value}`;
      if (t?.effect) s += `:${t.effect}`;
      // `operator: Exists` with no value tolerates everything (or every value of the key).
      if (t?.operator === 'Exists' && !t?.value) s += t?.key || t?.effect ? ' op=Exists' : 'op=Exists';
      if (t?.tolerationSeconds !== undefined && t?.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
      w.write(LEVEL_0, `${s}\n`);
    });
}
