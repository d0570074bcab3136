// Small helpers shared by the kind strategies: loose JSON access, Kubernetes' semantic equality,
// and Go's %#v rendering of the few structs that appear in error messages.

/** A JSON object of a kind we only partly type: strategies read and write plain JSON. */
export type Obj = Record<string, any>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The sub-object at `key`, created when absent. */
export function child(o: Obj, key: string): Obj {
  if (!isObj(o[key])) o[key] = {};
  return o[key];
}

export const list = <T = Obj>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/**
 * apiequality.Semantic.DeepEqual on JSON: nil and empty lists/maps are equal, as are absent
 * and null.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && !v.length) || (isObj(v) && !Object.keys(v).length);
  if (empty(a) && empty(b)) return true;
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => semanticEqual(v, bb[i]));
  }
  const ao = a as Obj;
  const bo = b as Obj;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!semanticEqual(ao[k], bo[k])) return false;
  return true;
}

// --- Go's %#v for values that show up in Kubernetes' messages ---

const q = (s: unknown) => JSON.stringify(s ?? '');

/** map[string]string{"a":"b"} with sorted keys; `map[string]string(nil)` when absent. */
export function goStringMap(m: Record<string, string> | undefined): string {
  if (!m) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${q(k)}:${q(m[k])}`).join(', ')}}`;
}

/** intstr.IntOrString as %#v prints it (Type 0 is Int, 1 is String). */
export function goIntOrString(v: unknown): string {
  return typeof v === 'string' ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${q(v)}}` : `intstr.IntOrString{Type:0, IntVal:${Number(v ?? 0)}, StrVal:""}`;
}

export function goLabelSelector(sel: Obj | undefined): string {
  const exprs = list(sel?.matchExpressions);
  const e = exprs.length
    ? `[]v1.LabelSelectorRequirement{${exprs.map((x) => `v1.LabelSelectorRequirement{Key:${q(x.key)}, Operator:${q(x.operator)}, Values:${Array.isArray(x.values) ? `[]string{${x.values.map(q).join(', ')}}` : '[]string(nil)'}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel?.matchLabels)}, MatchExpressions:${e}}`;
}

/** Go field name for a JSON one (`restartPolicy` → `RestartPolicy`), for diff output. */
export const goFieldName = (json: string) => json.charAt(0).toUpperCase() + json.slice(1);
