// resource.Quantity (k8s.io/apimachinery/pkg/api/resource): a whole number of nano-units,
// parsed exactly (rounded away from zero to 1n, as ParseQuantity does), compared and summed
// exactly, and printed in canonical form, so `0.1` cpu is 100 millicores, `0.5` prints as
// `500m` and `1024Mi` as `1Gi`.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** The decoder's errors for a malformed quantity (ErrFormatWrong, ErrNumeric, ErrSuffix). */
export const ERR_FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const ERR_NUMERIC = "unable to parse quantity's numeric part";
export const ERR_SUFFIX = "unable to parse quantity's suffix";

const SHAPE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const NUMBER = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/;
const EXPONENT = /^[eE][-+]?[0-9]+$/;
const NANO = 1_000_000_000n;
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX: Record<number, string> = Object.fromEntries(Object.entries(DECIMAL).map(([s, e]) => [e, s]));
const BINARY_SUFFIX: Record<number, string> = { 0: '', ...Object.fromEntries(Object.entries(BINARY).map(([s, e]) => [e, s])) };
/** Larger decimal exponents are clamped: no resource is that big, and bigint powers past it cost unbounded time. */
const MAX_EXPONENT = 10_000;

export class Quantity {
  /** The value in nano-units: every Quantity is a whole number of nanos. */
  constructor(
    readonly nanos: bigint,
    readonly format: QuantityFormat = 'DecimalSI',
  ) {}

  static zero(): Quantity {
    return new Quantity(0n, 'DecimalSI');
  }

  /** ParseQuantity: the text as it is (not trimmed); undefined when malformed. */
  static parse(s: string): Quantity | undefined {
    const q = parse(s);
    return typeof q === 'string' ? undefined : q;
  }

  /** A quantity as it comes in JSON (a string or a number); undefined when malformed or absent. */
  static fromJSON(v: unknown): Quantity | undefined {
    return decodeQuantity(v).quantity;
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  sign(): number {
    return this.nanos < 0n ? -1 : this.nanos > 0n ? 1 : 0;
  }

  cmp(o: Quantity): number {
    return this.nanos < o.nanos ? -1 : this.nanos > o.nanos ? 1 : 0;
  }

  /** q.Add(y): the receiver's format wins unless it is zero. */
  add(o: Quantity): Quantity {
    return new Quantity(this.nanos + o.nanos, this.isZero() ? o.format : this.format);
  }

  /** ScaledValue: the value in units of 10^scale (scale ≥ -9), rounded away from zero. */
  scaledValue(scale: number): bigint {
    return divAwayFromZero(this.nanos, 10n ** BigInt(scale + 9));
  }

  /** MilliValue: `100m` → 100, `1` → 1000, `100u` → 1. */
  milliValue(): number {
    return Number(this.scaledValue(-3));
  }

  /** Value: `128Mi` → 134217728, `100m` → 1. */
  value(): number {
    return Number(this.scaledValue(0));
  }

  /** AsApproximateFloat64: the value as a Number, e.g. cores or bytes. */
  asApproximateFloat64(): number {
    const whole = this.nanos / NANO;
    return Number(whole) + Number(this.nanos - whole * NANO) / 1e9;
  }

  /** The canonical form (Quantity.String()). */
  toString(): string {
    if (this.nanos === 0n) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      const small = this.nanos > -1024n * NANO && this.nanos < 1024n * NANO;
      if (small || this.nanos % NANO !== 0n) format = 'DecimalSI';
    }
    if (format === 'BinarySI') {
      let [v, times] = removeFactors(this.nanos / NANO, 1024n);
      if (!(times * 10 in BINARY_SUFFIX)) [v, times] = [this.nanos / NANO, 0];
      return `${v}${BINARY_SUFFIX[times * 10]}`;
    }
    let [v, e] = removeFactors(this.nanos, 10n);
    let exponent = e - 9;
    while (exponent % 3 !== 0) {
      v *= 10n;
      exponent--;
    }
    if (format === 'DecimalExponent') return exponent === 0 ? `${v}` : `${v}e${exponent}`;
    return `${v}${DECIMAL_SUFFIX[exponent] ?? ''}`;
  }
}

export type DecodedQuantity = { quantity: Quantity; error?: undefined } | { quantity?: undefined; error: string };

/** Quantity.UnmarshalJSON: a number, or a string that is trimmed first; malformed ones get the decoder's error. */
export function decodeQuantity(v: unknown): DecodedQuantity {
  if (typeof v === 'number') v = String(v);
  if (typeof v !== 'string') return { error: ERR_FORMAT_WRONG };
  const q = parse(v.trim());
  return typeof q === 'string' ? { error: q } : { quantity: q };
}

/** A ResourceList from JSON with every value parsed (malformed ones dropped). */
export function parseResourceList(list: Record<string, unknown> | undefined | null): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = Quantity.fromJSON(v);
    if (q) out.set(k, q);
  }
  return out;
}

/** Canonical text of one quantity from JSON; the raw text if it does not parse. */
export function quantityString(v: unknown): string {
  return Quantity.fromJSON(v)?.toString() ?? String(v);
}

/** The Quantity, or the error that ParseQuantity reports. */
function parse(s: string): Quantity | string {
  const shape = SHAPE.exec(s);
  if (!shape) return ERR_FORMAT_WRONG;
  // The shape lets an exponent's sign and digits fall into either group; split like Go.
  let [, num, suffix] = shape;
  const exp = /^(.*?)([eE][-+]?[0-9]+)$/.exec(s);
  if (exp && isNumber(exp[1])) [num, suffix] = [exp[1], exp[2]];
  if (!isNumber(num)) return ERR_NUMERIC;
  const [, sign, whole, frac = ''] = NUMBER.exec(num)!;
  let format: QuantityFormat;
  let base10 = 0;
  let base2 = 0;
  if (suffix in DECIMAL) {
    format = 'DecimalSI';
    base10 = DECIMAL[suffix];
  } else if (suffix in BINARY) {
    format = 'BinarySI';
    base2 = BINARY[suffix];
  } else if (EXPONENT.test(suffix)) {
    format = 'DecimalExponent';
    base10 = Number(suffix.slice(1));
  } else return ERR_SUFFIX;
  // value = digits * 10^(base10 - frac.length) * 2^base2, in nanos, rounded away from zero
  const digits = BigInt((whole || '0') + frac) * (1n << BigInt(base2));
  const scale = Math.min(base10 - frac.length + 9, MAX_EXPONENT);
  let nanos: bigint;
  if (scale >= 0) nanos = digits * 10n ** BigInt(scale);
  else if (-scale > digits.toString().length) nanos = digits === 0n ? 0n : 1n; // below 1n: rounds to 1n
  else nanos = divAwayFromZero(digits, 10n ** BigInt(-scale));
  if (sign === '-') nanos = -nanos;
  // A binary quantity below 1 would round; Go makes it decimal.
  if (format === 'BinarySI' && nanos > 0n && nanos < NANO) format = 'DecimalSI';
  return new Quantity(nanos, format);
}

/** Digits with at most one dot and at least one digit: `1`, `1.`, `.5`, `+1.5`. */
function isNumber(s: string): boolean {
  const m = NUMBER.exec(s);
  return !!m && (m[2] !== '' || !!m[3]);
}

function removeFactors(v: bigint, base: bigint): [bigint, number] {
  let times = 0;
  while (v !== 0n && v % base === 0n) {
    v /= base;
    times++;
  }
  return [v, times];
}

function divAwayFromZero(a: bigint, b: bigint): bigint {
  const q = a / b;
  if (a % b === 0n) return q;
  return a > 0n ? q + 1n : q - 1n;
}
