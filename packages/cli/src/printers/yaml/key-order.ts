// go-yaml v2 sorts map keys "naturally": letters after other characters, runs of digits
// compared as numbers (a2 < a10). kubectl's -o yaml order comes from this, not from JSON's.

import { goSort } from '../go-sort.js';

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => /\p{Nd}/u.test(c);

export function yamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
    if (al || bl) return bl;
    // int64 arithmetic, overflow wrapping included: it decides the order of long digit runs.
    let an = 0n;
    let bn = 0n;
    // go-yaml's sorter.go treats a zero that continues an earlier non-zero digit run specially.
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(ar[ai].codePointAt(0)! - 48));
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(br[bi].codePointAt(0)! - 48));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
  }
  return ar.length < br.length;
}

/** The comparator is not transitive for mixed digits and letters, so Go's sort decides. */
export function yamlSortedKeys(obj: Record<string, unknown>): string[] {
  return goSort(Object.keys(obj), yamlKeyLess);
}
