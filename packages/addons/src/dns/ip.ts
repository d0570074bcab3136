// IP addresses as DNS needs them: text ⇄ bytes for A/AAAA records, and the reverse-lookup names
// under in-addr.arpa / ip6.arpa (RFC 1035 §3.5, RFC 3596 §2.5).

/** 4 bytes of a dotted-quad IPv4 address, or undefined if `s` is not one. */
export function parseIPv4(s: string): Buffer | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = Buffer.alloc(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255 || (p.length > 1 && p[0] === '0')) return undefined;
    out[i] = n;
  }
  return out;
}

/** 16 bytes of an IPv6 address (with `::` and an embedded IPv4 tail), or undefined. */
export function parseIPv6(s: string): Buffer | undefined {
  if (!s.includes(':')) return undefined;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i];
      if (i === items.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  let all: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return undefined;
    all = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    all = head;
  }
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

export function formatIPv4(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run (≥ 2) of zero groups as `::`. */
export function formatIPv6(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i] << 8) | b[i + 1]);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}

export type IPFamily = 4 | 6;

/** The family of an address in text form, or 0 when it is not an address. */
export function ipFamily(s: string): IPFamily | 0 {
  if (parseIPv4(s)) return 4;
  if (parseIPv6(s)) return 6;
  return 0;
}

/** Canonical text of an address (so `::ffff:0:1` and `::FFFF:0:0001` compare equal), or undefined. */
export function canonicalIP(s: string): string | undefined {
  const v4 = parseIPv4(s);
  if (v4) return formatIPv4(v4);
  const v6 = parseIPv6(s);
  return v6 ? formatIPv6(v6) : undefined;
}

/**
 * The address a reverse name stands for (`5.0.96.10.in-addr.arpa` → 10.96.0.5, 32 nibbles under
 * ip6.arpa → an IPv6 address); undefined for names that are not a whole address.
 */
export function addressFromReverse(name: string): string | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (n.endsWith('.in-addr.arpa')) {
    const parts = n.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4) return undefined;
    return canonicalIP(parts.reverse().join('.'));
  }
  if (n.endsWith('.ip6.arpa')) {
    const parts = n.slice(0, -'.ip6.arpa'.length).split('.');
    if (parts.length !== 32 || !parts.every((p) => /^[0-9a-f]$/.test(p))) return undefined;
    const hex = parts.reverse().join('');
    const b = Buffer.from(hex, 'hex');
    return formatIPv6(b);
  }
  return undefined;
}

/** The reverse name of an address (10.96.0.5 → 5.0.96.10.in-addr.arpa), or undefined. */
export function reverseName(ip: string): string | undefined {
  const v4 = parseIPv4(ip);
  if (v4) return `${v4[3]}.${v4[2]}.${v4[1]}.${v4[0]}.in-addr.arpa`;
  const v6 = parseIPv6(ip);
  if (!v6) return undefined;
  return [...v6.toString('hex')].reverse().join('.') + '.ip6.arpa';
}

export function isReverseName(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  return n === 'in-addr.arpa' || n === 'ip6.arpa' || n.endsWith('.in-addr.arpa') || n.endsWith('.ip6.arpa');
}
