// Go's net package as far as minik needs it: host:port joining, and IPv4 addresses and CIDRs
// as 32-bit numbers (for the Service range, the pod range and the cluster network).

/** net.JoinHostPort: `host:port`, with an IPv6 host in brackets. */
export function joinHostPort(host: string, port: unknown): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A dotted quad as a number (10.96.0.1 → 174063617); NaN when it is not four numbers 0-255. */
export function ipv4ToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return NaN;
  return ((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3];
}

export function intToIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** An IPv4 CIDR's first address (host bits cleared) and how many addresses it holds. */
export function parseCIDR(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const n = ipv4ToInt(ip);
  return { base: n - (n % size), size };
}

/** The n-th address of a CIDR (1 → 10.96.0.1, the `kubernetes` Service; 10 → kube-dns). */
export function nthAddress(cidr: string, n: number): string {
  return intToIPv4(parseCIDR(cidr).base + n);
}
