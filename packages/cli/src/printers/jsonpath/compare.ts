// Filter comparisons with Go template semantics (client-go third_party/forked/golang/template):
// int64 only compares with ints, float64 with floats, strings with strings. `@.x > 1` on a
// float field is an error in kubectl, not false, and so it is here.
import { GoFloat, isGoInt } from '../go-format.js';

type Kind = 'bool' | 'int' | 'float' | 'string';

export class ComparisonError extends Error {}

function basicKind(v: unknown): Kind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return isGoInt(v) ? 'int' : 'float';
  if (v instanceof GoFloat) return 'float';
  throw new ComparisonError('invalid type for comparison');
}

const num = (v: unknown) => (v instanceof GoFloat ? v.value : (v as number));

function equal(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka !== kb) throw new ComparisonError('incompatible types for comparison');
  if (ka === 'int' || ka === 'float') return num(a) === num(b);
  return a === b;
}

function less(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka !== kb) throw new ComparisonError('incompatible types for comparison');
  if (ka === 'bool') throw new ComparisonError('invalid type for comparison');
  if (ka === 'string') return codePointLess(a as string, b as string);
  return num(a) < num(b);
}

/** Go compares strings bytewise; UTF-16 order differs only around surrogates. */
function codePointLess(a: string, b: string): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;
}

export function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<':
      return less(a, b);
    case '<=':
      return less(a, b) || equal(a, b);
    case '>':
      return !(less(a, b) || equal(a, b));
    case '>=':
      return !less(a, b);
    default:
      throw new ComparisonError(`unrecognized filter operator ${op}`);
  }
}
