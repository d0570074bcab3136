// resource.Quantity as kubectl decodes and prints it (k8s.io/apimachinery/pkg/api/resource):
// parsed exactly (rounded up to nanos), printed in canonical form, so `0.5` shows as `500m`
// and `1024Mi` as `1Gi`, and summed for a node's allocated resources.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const NANO = 1_000_000_000n;
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX: Record<number, string> = Object.fromEntries(Object.entries(DECIMAL).map(([s, e]) => [e, s]));
const BINARY_SUFFIX: Record<number, string> = { 0: '', ...Object.fromEntries(Object.entries(BINARY).map(([s, e]) => [e, s])) };

export class Quantity {
  /** The value in nano-units: every Quantity is a whole number of nanos. */
  constructor(
    readonly nanos: bigint,
    readonly format: QuantityFormat = 'DecimalSI',
  ) {}

  static zero(): Quantity {
    return new Quantity(0n, 'DecimalSI');
  }

  /** Parses a quantity as it comes in JSON; undefined when malformed (kubectl would fail to decode). */
  static parse(input: unknown): Quantity | undefined {
    if (typeof input === 'number') input = String(input);
    if (typeof input !== 'string') return undefined;
    const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(input.trim());
    if (!m || (m[2] === '' && !m[3])) return undefined;
    const [, sign, whole, frac = '', suffix] = m;
    let format: QuantityFormat;
    let base10 = 0;
    let base2 = 0;
    if (suffix in DECIMAL) {
      format = 'DecimalSI';
      base10 = DECIMAL[suffix];
    } else if (suffix in BINARY) {
      format = 'BinarySI';
      base2 = BINARY[suffix];
    } else if (/^[eE][+-]?[0-9]+$/.test(suffix)) {
      format = 'DecimalExponent';
      base10 = Number(suffix.slice(1));
    } else return undefined;
    // value = digits * 10^(base10 - frac.length) * 2^base2, in nanos, rounded up (away from zero)
    const num = BigInt((whole || '0') + frac) * (1n << BigInt(base2));
    const exp = base10 - frac.length + 9;
    let nanos: bigint;
    if (exp >= 0) nanos = num * 10n ** BigInt(exp);
    else {
      const div = 10n ** BigInt(-exp);
      nanos = num / div + (num % div === 0n ? 0n : 1n);
    }
    if (sign === '-') nanos = -nanos;
    // A binary quantity below 1 would round; Go prints it as decimal.
    if (format === 'BinarySI' && nanos > 0n && nanos < NANO) format = 'DecimalSI';
    return new Quantity(nanos, format);
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  cmp(o: Quantity): number {
    return this.nanos < o.nanos ? -1 : this.nanos > o.nanos ? 1 : 0;
  }

  /** q.Add(y): the receiver's format wins unless it is zero. */
  add(o: Quantity): Quantity {
    return new Quantity(this.nanos + o.nanos, this.isZero() ? o.format : this.format);
  }

  /** ceil(q / 10^-3), as Go's MilliValue. */
  milliValue(): number {
    return Number(ceilDiv(this.nanos, 1_000_000n));
  }

  /** ceil(q), as Go's Value. */
  value(): number {
    return Number(ceilDiv(this.nanos, NANO));
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

function removeFactors(v: bigint, base: bigint): [bigint, number] {
  let times = 0;
  while (v !== 0n && v % base === 0n) {
    v /= base;
    times++;
  }
  return [v, times];
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** A ResourceList from JSON with every value parsed (malformed ones dropped). */
export function resourceList(list: Record<string, unknown> | undefined | null): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = Quantity.parse(v);
    if (q) out.set(k, q);
  }
  return out;
}

/** Canonical text of one quantity from JSON; the raw text if it does not parse. */
export function quantityString(v: unknown): string {
  return Quantity.parse(v)?.toString() ?? String(v);
}
