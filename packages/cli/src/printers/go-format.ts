// How Go's fmt prints decoded JSON (map[string]interface{}, []interface{}, int64, float64...).
// kubectl formats table cells and custom-columns values with fmt.Sprint (%v) and puts %#v
// dumps into jsonpath errors, so minik needs the same text for the same JSON values.

/** A float64 whose value happens to be integral (a `2.0` literal in a jsonpath filter). */
export class GoFloat {
  constructor(readonly value: number) {}
}

/** Go decodes JSON integers as int64 and everything else as float64; JS has one number. */
export function isGoInt(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63;
}

/** strconv.FormatFloat(f, 'g', -1, 64): shortest digits, exponent form outside [1e-4, 1e6)... as Go. */
export function formatFloatG(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  // Go switches to %e when exp < -4 || exp >= 6 for the shortest representation.
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  // toExponential and String agree on the shortest digits; String prints them in decimal here.
  return String(f);
}

/** A number as Go's %v prints it after JSON decoding: int64 in decimal, float64 with %g. */
export function formatGoNumber(n: number): string {
  if (isGoInt(n)) return Object.is(n, -0) ? '0' : BigInt(n).toString();
  return formatFloatG(n);
}

/** Go orders strings bytewise (UTF-8), which is code point order, not UTF-16 unit order. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

export function sortedKeys(obj: object): string[] {
  return Object.keys(obj).sort(compareGoStrings);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoFloat);
}

/** fmt.Sprint(v): `map[a:1 b:[x y]]`, `<nil>`, `1.5`, `true`. */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatGoNumber(v);
  if (v instanceof GoFloat) return formatFloatG(v.value);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${sortedKeys(o).map((k) => `${k}:${goSprint(o[k])}`).join(' ')}]`;
  }
  return String(v);
}

/** strconv.Quote, enough for JSON-decoded strings. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if ((cp >= 0x80 && cp < 0xa0) || cp === 0xad || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff)
      out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** fmt's %#v of a decoded JSON value, as jsonpath errors dump "the object given". */
export function goSyntax(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatGoNumber(v);
  if (v instanceof GoFloat) return formatFloatG(v.value);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  const o = v as Record<string, unknown>;
  return `map[string]interface {}{${sortedKeys(o).map((k) => `${goQuote(k)}:${goSyntax(o[k])}`).join(', ')}}`;
}

/** reflect.Type names for the messages jsonpath gives about wrong types. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return isGoInt(v) ? 'int64' : 'float64';
  if (v instanceof GoFloat) return 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}
