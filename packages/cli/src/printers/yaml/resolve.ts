// Whether go-yaml v2 may write a string unquoted: only if reading it back plain would give
// the same string (not a bool, null, number or timestamp) and it is not a YAML 1.1 base-60
// float. This is why kubectl prints `"80"`, `"true"`, `"y"`, `""` and timestamps quoted.

const SPECIAL = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** strconv.ParseInt(s, 0, 64) or ParseUint(s, 0, 64) succeeds. */
function isGoInteger(s: string): boolean {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return false;
  const body = m[2];
  let digits = body;
  let radix = 10;
  if (/^0[xX]/.test(body)) [digits, radix] = [body.slice(2), 16];
  else if (/^0[oO]/.test(body)) [digits, radix] = [body.slice(2), 8];
  else if (/^0[bB]/.test(body)) [digits, radix] = [body.slice(2), 2];
  else if (body.length > 1 && body[0] === '0') [digits, radix] = [body.slice(1), 8];
  let v = 0n;
  for (const d of digits) v = v * BigInt(radix) + BigInt(parseInt(d, radix));
  if (m[1] === '-') return v <= 2n ** 63n;
  return v < 2n ** 64n; // int64, or uint64 for an unsigned literal
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The timestamp layouts go-yaml v2 tries with time.Parse. */
function isTimestamp(s: string): boolean {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?))?$/.exec(
      s,
    );
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  const h = m[4] ?? m[7];
  const min = m[5] ?? m[8];
  const sec = m[6] ?? m[9];
  if (h === undefined) return true;
  return Number(h) < 24 && Number(min) < 60 && Number(sec) < 60;
}

/** resolve("", s) in go-yaml v2 returns !!str. */
function resolvesToString(s: string): boolean {
  if (SPECIAL.has(s)) return false;
  const c = s[0];
  if (c === '.') {
    // strconv.ParseFloat, which allows underscores between digits.
    const ok = /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/.test(s) && Number.isFinite(Number(s.replace(/_/g, '')));
    return !ok;
  }
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9'))) return true;
  if (isTimestamp(s)) return false;
  const plain = s.replace(/_/g, '');
  if (isGoInteger(plain)) return false;
  // ParseFloat fails on overflow ("1e400"), which leaves the value a string.
  if (YAML_FLOAT.test(plain) && Number.isFinite(Number(plain))) return false;
  return true;
}

/** go-yaml v2 stringv: plain style is allowed only for strings that read back as strings. */
export function canUsePlain(s: string): boolean {
  const base60 = s !== '' && /^[-+0-9]/.test(s) && s.includes(':') && BASE60_FLOAT.test(s);
  return resolvesToString(s) && !base60;
}
