// Flag values and names checked the way kubectl checks them (pflag's types, strconv, and
// apimachinery's validation), so the same input fails with the same message.

/** pflag's StringSlice: every occurrence is one CSV record (`--image=a,b` is two images). */
export function splitCSV(values: unknown): string[] {
  const list = values === undefined ? [] : Array.isArray(values) ? (values as string[]) : [String(values)];
  const out: string[] = [];
  for (const v of list) {
    if (v === '') continue;
    let field = '';
    let quoted = false;
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      if (quoted) {
        if (c === '"' && v[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"' && field === '') quoted = true;
      else if (c === ',') {
        out.push(field);
        field = '';
      } else field += c;
    }
    out.push(field);
  }
  return out;
}

/** pflag's StringArray: every occurrence as given. */
export function stringArray(values: unknown): string[] {
  return values === undefined ? [] : Array.isArray(values) ? (values as string[]) : [String(values)];
}

const q = (s: string) => JSON.stringify(s);

/** strconv.ParseInt(s, 0, bits), as pflag's int flags parse (`0x10` is 16). */
export function parseGoInt(s: string, bits = 32): number {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(s);
  if (!m || /__|_$|^[+-]?_/.test(s)) throw new Error(`strconv.ParseInt: parsing ${q(s)}: invalid syntax`);
  const digits = m[2].replace(/_/g, '');
  let n: bigint;
  if (/^0[bBoOxX]/.test(digits)) n = BigInt(digits.toLowerCase());
  else if (digits.length > 1 && digits.startsWith('0')) n = BigInt('0o' + digits.slice(1));
  else n = BigInt(digits);
  if (m[1] === '-') n = -n;
  const limit = 1n << BigInt(bits - 1);
  if (n >= limit || n < -limit) throw new Error(`strconv.ParseInt: parsing ${q(s)}: value out of range`);
  return Number(n);
}

/** strconv.Atoi: decimal with an optional sign. */
export function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${q(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n >= 1n << 63n || n < -(1n << 63n)) throw new Error(`strconv.Atoi: parsing ${q(s)}: value out of range`);
  return Number(n);
}

/** k8s.io/utils/net.ParsePort(s, true): strconv.ParseUint(s, 10, 16). */
export function parsePort(s: string): number {
  if (!/^\d+$/.test(s)) throw new Error(`strconv.ParseUint: parsing ${q(s)}: invalid syntax`);
  const n = Number(s);
  if (n > 65535) throw new Error(`strconv.ParseUint: parsing ${q(s)}: value out of range`);
  return n;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** time.ParseDuration, in milliseconds. */
export function parseGoDuration(s: string): number {
  const bad = () => new Error(`time: invalid duration ${q(s)}`);
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest[0] === '-' ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw bad();
  let total = 0;
  while (rest) {
    const m = /^(\d*\.?\d*)([a-zµμ]*)/.exec(rest)!;
    if (m[1] === '' || m[1] === '.') throw bad();
    if (!m[2]) throw new Error(`time: missing unit in duration ${q(s)}`);
    const unit = DURATION_UNITS[m[2]];
    if (unit === undefined) throw new Error(`time: unknown unit ${q(m[2])} in duration ${q(s)}`);
    total += Number(m[1]) * unit;
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

// ---- apimachinery/pkg/util/validation ----

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);

export function isDNS1123Subdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

/** IsConfigMapKey's messages (also used for Secret keys). */
export function configMapKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
    errs.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

export function envVarNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) {
    errs.push(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    );
  }
  if (name === '.') errs.push("must not be '.'");
  else if (name === '..') errs.push("must not be '..'");
  else if (name.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

export function portNameErrors(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  else if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function portNumErrors(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** `k1=v1,k2=v2` as kubectl's generators read --labels and --selector. */
export function parseLabelSpec(spec: string): Record<string, string> {
  if (!spec) throw new Error('no label spec passed');
  const labels: Record<string, string> = {};
  for (const item of spec.split(',')) {
    const kv = item.split('=');
    if (kv.length !== 2) throw new Error(`unexpected label spec: ${item}`);
    if (!kv[0]) throw new Error('unexpected empty label key');
    labels[kv[0]] = kv[1];
  }
  return labels;
}

// ---- github.com/distribution/reference: what `kubectl run --image` accepts ----

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const NAME = `(?:${HOST}(?::[0-9]+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export function isImageReference(image: string): boolean {
  return REFERENCE.test(image);
}
