// The describer kubectl falls back to for kinds without their own (genericDescriber): the
// object's fields as a YAML-like tree with "smart" labels (`holderIdentity` → `Holder Identity`).
import type { ApiResource } from '../discovery.js';
import type { DescribeContext } from './context.js';
import { describeEvents, eventsFor, refFor } from './events.js';
import { goStringLess, printAnnotationsMultiline, printLabelsMultiline, sortedKeys, type Obj } from './format.js';
import { LEVEL_0, tabbedString, type PrefixWriter } from './writer.js';

const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);
const isLower = (c: string) => c !== c.toUpperCase() && c === c.toLowerCase();
const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();

/** github.com/fatih/camelcase.Split */
function camelSplit(src: string): string[] {
  const runs: string[][] = [];
  let last = 0;
  for (const r of src) {
    const cls = isLower(r) ? 1 : isUpper(r) ? 2 : /\p{Nd}/u.test(r) ? 3 : 4;
    if (cls === last) runs[runs.length - 1].push(r);
    else runs.push([r]);
    last = cls;
  }
  // "PDFL", "oader" -> "PDF", "Loader"
  for (let i = 0; i < runs.length - 1; i++) {
    if (isUpper(runs[i][0]) && isLower(runs[i + 1][0])) runs[i + 1].unshift(runs[i].pop()!);
  }
  return runs.filter((r) => r.length).map((r) => r.join(''));
}

/** smartLabelFor: `apiVersion` → `API Version`; fields with other characters are kept as they are. */
export function smartLabelFor(field: string): string {
  if ([...field].some((c) => !/\p{L}/u.test(c) && c !== '-')) return field;
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}

/** fmt's %v of a float64 (%g, shortest digits: exponent form below 1e-4 or from 1e6). Integral JSON numbers decode as int64. */
function goFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return String(n);
  const [mant, exp] = n.toExponential().split('e');
  const e = Number(exp);
  if (e < -4 || e >= 6) return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(n);
}

/** fmt's %v of a decoded JSON value. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goFloat(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') return `map[${sortedKeys(v as Record<string, unknown>).map((k) => `${k}:${goValue((v as Obj)[k])}`).join(' ')}]`;
  return String(v);
}

/** printUnstructuredContent: fields sorted, maps and lists of maps nested one level deeper. */
export function printUnstructuredContent(w: PrefixWriter, level: number, content: Record<string, unknown>, skipPrefix: string, skip: Set<string>): void {
  for (const field of Object.keys(content).sort(goStringLess)) {
    const value = content[field];
    const path = `${skipPrefix}.${field}`;
    if (skip.has(path)) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printUnstructuredContent(w, level + 1, value as Record<string, unknown>, path, skip);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (child !== null && typeof child === 'object' && !Array.isArray(child)) printUnstructuredContent(w, level + 1, child as Record<string, unknown>, path, skip);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else {
      w.write(level, `${smartLabelFor(field)}:\t${goValue(value)}\n`);
    }
  }
}

const SKIP = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);

export function describeGeneric(obj: Obj, events: Obj[] | undefined, now: number): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${obj?.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj?.metadata?.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', obj?.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', obj?.metadata?.annotations);
    printUnstructuredContent(w, LEVEL_0, obj ?? {}, '', SKIP);
    if (events) describeEvents(events, w, now);
  });
}

export async function fetchGeneric(ctx: DescribeContext, r: ApiResource, namespace: string, name: string): Promise<string> {
  const obj: Obj = await ctx.client.resource(r).get(r.namespaced ? namespace : undefined, name);
  const events = await eventsFor(ctx, refFor(obj, obj?.kind || r.kind));
  return describeGeneric(obj, events, ctx.now);
}
