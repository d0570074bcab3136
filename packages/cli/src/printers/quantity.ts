// Enough of resource.ParseQuantity for --sort-by: kubectl compares two strings as quantities
// when both parse ("500m" < "1", "10" > "9"), otherwise as strings.

const BINARY: Record<string, bigint> = { Ki: 2n ** 10n, Mi: 2n ** 20n, Gi: 2n ** 30n, Ti: 2n ** 40n, Pi: 2n ** 50n, Ei: 2n ** 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** The exact value as a fraction, or undefined when s is not a quantity. */
export function parseQuantity(s: string): { num: bigint; den: bigint } | undefined {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/.exec(s);
  if (!m) return undefined;
  const [, sign, whole, frac = '', suffix = ''] = m;
  if (whole === '' && frac === '') return undefined;
  let num = BigInt((whole || '0') + frac) * (sign === '-' ? -1n : 1n);
  let den = 10n ** BigInt(frac.length);
  let exp10 = 0;
  if (suffix in BINARY) num *= BINARY[suffix];
  else if (suffix in DECIMAL) exp10 = DECIMAL[suffix];
  else if (suffix) exp10 = Number(suffix.slice(1));
  if (exp10 >= 0) num *= 10n ** BigInt(exp10);
  else den *= 10n ** BigInt(-exp10);
  return { num, den };
}

export function compareQuantities(a: { num: bigint; den: bigint }, b: { num: bigint; den: bigint }): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}
