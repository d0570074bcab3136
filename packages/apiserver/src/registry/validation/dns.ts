// DNS names as k8s.io/apimachinery/pkg/util/validation checks them, and the object-name
// functions built on them (apimachinery/pkg/api/validation/generic.go). Each returns the list of
// problems, worded exactly as Kubernetes does; empty means valid.

export const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
export const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
export const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';

const LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1035_RE = new RegExp(`^${DNS1035_LABEL_FMT}$`);

export const maxLenError = (n: number) => `must be no more than ${n} characters`;
export const emptyError = () => 'must be non-empty';
export const inclusiveRangeError = (lo: number, hi: number) => `must be between ${lo} and ${hi}, inclusive`;

/** util/validation.RegexError: `msg (e.g. 'a',  or 'b', regex used for validation is 're')`. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (!examples.length) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

// Go measures bytes; names are ASCII when valid, and byte length is what counts otherwise.
const byteLen = (s: string) => Buffer.byteLength(s);

export function isDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (byteLen(v) > 63) errs.push(maxLenError(63));
  if (!LABEL_RE.test(v)) {
    errs.push(
      SUBDOMAIN_RE.test(v)
        ? 'must not contain dots'
        : regexError(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
            DNS1123_LABEL_FMT,
            'my-name',
            '123-abc',
          ),
    );
  }
  return errs;
}

export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (byteLen(v) > 253) errs.push(maxLenError(253));
  if (!SUBDOMAIN_RE.test(v)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN_FMT,
        'example.com',
      ),
    );
  }
  return errs;
}

export function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (byteLen(v) > 63) errs.push(maxLenError(63));
  if (!DNS1035_RE.test(v)) {
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL_FMT,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errs;
}

/** Path segment names (ValidatePathSegmentName): anything but `.`, `..`, `/` and `%`. */
export function isPathSegmentName(v: string, prefix: boolean): string[] {
  const errs: string[] = [];
  if (!prefix && (v === '.' || v === '..')) errs.push(`may not be '${v}'`);
  for (const bad of ['/', '%']) if (v.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

/**
 * For generateName prefixes a trailing dash is allowed: Go masks it before checking (and, as
 * in Go, replaces the last two characters).
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export type NameFormat = 'subdomain' | 'label' | 'dns1035-label' | 'path-segment';

/** ValidateNameFunc: `prefix` is true for generateName. */
export function validateName(format: NameFormat, name: string, prefix: boolean): string[] {
  if (format === 'path-segment') return isPathSegmentName(name, prefix);
  const n = prefix ? maskTrailingDash(name) : name;
  if (format === 'label') return isDNS1123Label(n);
  if (format === 'dns1035-label') return isDNS1035Label(n);
  return isDNS1123Subdomain(n);
}
