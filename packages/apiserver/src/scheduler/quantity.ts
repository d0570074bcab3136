// resource.Quantity, as far as the scheduler needs it: exact decimal arithmetic (bigint) so that
// "0.1" cpu is 100 millicores, not 100.00000000000001; rounded up like Quantity.MilliValue/Value.

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SHAPE = /^([+-]?)(\d+\.?\d*|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/** value = sign * digits * 2^pow2 * 10^pow10 */
interface Exact {
  neg: boolean;
  digits: bigint;
  pow2: number;
  pow10: number;
}

function parseExact(q: string | number): Exact | undefined {
  const s = String(q).trim();
  const m = SHAPE.exec(s);
  if (!m) return undefined;
  const [, sign, num, exp, suffix = ''] = m;
  const dot = num.indexOf('.');
  const frac = dot < 0 ? '' : num.slice(dot + 1);
  const digits = BigInt((dot < 0 ? num : num.slice(0, dot) + frac) || '0');
  let pow10 = -frac.length;
  let pow2 = 0;
  if (exp) pow10 += Number(exp.slice(1));
  else if (suffix in BINARY) pow2 = BINARY[suffix];
  else pow10 += DECIMAL[suffix];
  return { neg: sign === '-', digits, pow2, pow10 };
}

/** The quantity times 10^scale, rounded up (away from zero), as a Number. */
function scaled(q: string | number | undefined, scale: number): number | undefined {
  if (q === undefined || q === null) return undefined;
  const e = parseExact(q);
  if (!e) return undefined;
  let n = e.digits * 2n ** BigInt(e.pow2);
  const p = e.pow10 + scale;
  if (p >= 0) n *= 10n ** BigInt(p);
  else {
    const d = 10n ** BigInt(-p);
    n = (n + d - 1n) / d;
  }
  return Number(e.neg ? -n : n);
}

/** Quantity.MilliValue(): `100m` → 100, `1` → 1000, `0.5` → 500. */
export const milliValue = (q: string | number | undefined): number | undefined => scaled(q, 3);

/** Quantity.Value(): `128Mi` → 134217728, `1G` → 1e9, `100m` → 1 (rounded up). */
export const value = (q: string | number | undefined): number | undefined => scaled(q, 0);
