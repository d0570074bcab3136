// The errors Go's JSON decoding of Kubernetes types produces (encoding/json, metav1.Time,
// base64 []byte), so that a bad body gets the message kube-apiserver would give.

const goQuote = (s: string) => JSON.stringify(s);

/** How encoding/json names the JSON value it could not store: `string`, `number 1.5`, ... */
export function goValueKind(v: unknown, wantInteger = false): string {
  if (typeof v === 'number') return wantInteger ? `number ${v}` : 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return 'object';
}

/** encoding/json's UnmarshalTypeError text. `field` is the dotted JSON path without indices. */
export function unmarshalTypeError(value: string, struct: string, field: string, goType: string): string {
  return field
    ? `json: cannot unmarshal ${value} into Go struct field ${struct}.${field} of type ${goType}`
    : `json: cannot unmarshal ${value} into Go value of type ${goType}`;
}

const RFC3339 = '2006-01-02T15:04:05Z07:00';

/**
 * time.Parse(time.RFC3339, s) as metav1.Time does; undefined when it parses, else Go's error.
 * Fractional seconds are accepted after the seconds, as Go does when parsing.
 */
export function goTimeError(s: string): string | undefined {
  const fail = (rest: string, elem: string) =>
    `parsing time ${goQuote(s)} as ${goQuote(RFC3339)}: cannot parse ${goQuote(rest)} as ${goQuote(elem)}`;
  // [layout element, digits (0 = literal)]
  const steps: [string, number][] = [['2006', 4], ['-', 0], ['01', 2], ['-', 0], ['02', 2], ['T', 0], ['15', 2], [':', 0], ['04', 2], [':', 0], ['05', 2]];
  let i = 0;
  const nums: number[] = [];
  for (const [elem, digits] of steps) {
    const rest = s.slice(i);
    if (digits === 0) {
      if (!rest.startsWith(elem)) return fail(rest, elem);
      i += elem.length;
      continue;
    }
    const part = rest.slice(0, digits);
    if (part.length < digits || !/^\d+$/.test(part)) return fail(rest, elem);
    nums.push(Number(part));
    i += digits;
  }
  const frac = /^[.,]\d+/.exec(s.slice(i));
  if (frac) i += frac[0].length;
  const rest = s.slice(i);
  const zone = /^(Z|[+-]\d\d:\d\d)/.exec(rest);
  if (!zone) return fail(rest, 'Z07:00');
  i += zone[0].length;
  if (i < s.length) return `parsing time ${goQuote(s)}: extra text: ${goQuote(s.slice(i))}`;
  const [, month, day, hour, minute, second] = nums;
  const range = (what: string) => `parsing time ${goQuote(s)}: ${what} out of range`;
  if (month < 1 || month > 12) return range('month');
  if (day < 1 || day > new Date(Date.UTC(nums[0], month, 0)).getUTCDate()) return range('day');
  if (hour > 23) return range('hour');
  if (minute > 59) return range('minute');
  if (second > 59) return range('second');
  return undefined;
}

const B64 = /[A-Za-z0-9+/]/;

/** base64.StdEncoding.DecodeString's error for s, or undefined when it decodes. */
export function goBase64Error(s: string): string | undefined {
  const at = (n: number) => `illegal base64 data at input byte ${n}`;
  const nl = (c: string | undefined) => c === '\n' || c === '\r';
  let si = 0;
  while (si < s.length) {
    // One quantum of four characters, newlines skipped (Go's decodeQuantum).
    for (let j = 0; j < 4; j++) {
      if (si === s.length) {
        if (j === 0) return undefined;
        return at(si - j);
      }
      const c = s[si++];
      if (B64.test(c)) continue;
      if (nl(c)) {
        j--;
        continue;
      }
      if (c !== '=') return at(si - 1);
      if (j < 2) return at(si - 1);
      if (j === 2) {
        while (si < s.length && nl(s[si])) si++;
        if (si === s.length) return at(s.length);
        if (s[si] !== '=') return at(si - 1);
        si++;
      }
      while (si < s.length && nl(s[si])) si++;
      return si < s.length ? at(si) : undefined;
    }
  }
  return undefined;
}
