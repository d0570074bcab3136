// resource.Quantity parsing (k8s.io/apimachinery/pkg/api/resource): the decoder rejects malformed
// quantities with these exact errors, and validation compares requests with limits.

export const ERR_FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const ERR_NUMERIC = "unable to parse quantity's numeric part";
export const ERR_SUFFIX = "unable to parse quantity's suffix";

const SHAPE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const SUFFIXES: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

export type QuantityResult = { value: number; error?: undefined } | { value?: undefined; error: string };

/**
 * Parses a Quantity as it arrives in JSON (string or number). The value is a float: exact enough
 * to compare requests and limits, which is all minik does with it.
 */
export function parseQuantity(q: unknown): QuantityResult {
  if (typeof q === 'number') return Number.isFinite(q) ? { value: q } : { error: ERR_FORMAT_WRONG };
  if (typeof q !== 'string') return { error: ERR_FORMAT_WRONG };
  const s = q.trim(); // UnmarshalJSON trims before ParseQuantity
  const m = SHAPE.exec(s);
  if (!m) return { error: ERR_FORMAT_WRONG };
  // The shape regex lets the exponent's sign and digits fall into either group; split like Go.
  let num = m[1];
  let suffix = m[2];
  const exp = /^(.*?)([eE][-+]?\d+)$/.exec(s);
  if (exp && NUMBER.test(exp[1])) {
    num = exp[1];
    suffix = exp[2];
  }
  if (!NUMBER.test(num)) return { error: ERR_NUMERIC };
  let mult: number | undefined = SUFFIXES[suffix];
  if (mult === undefined) {
    const e = /^[eE]([-+]?\d+)$/.exec(suffix);
    if (!e) return { error: ERR_SUFFIX };
    mult = 10 ** Number(e[1]);
  }
  return { value: Number(num) * mult };
}

/** Compares two parsed quantities with a relative tolerance for float rounding. */
export function quantityCmp(a: number, b: number): number {
  const eps = Math.max(Math.abs(a), Math.abs(b)) * 1e-12;
  return Math.abs(a - b) <= eps ? 0 : a < b ? -1 : 1;
}
