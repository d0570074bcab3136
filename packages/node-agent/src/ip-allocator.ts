// Pod IPs from the node's podCIDR (10.244.N.0/24): .1 is the node's own address, the rest go to
// pod sandboxes. In-use addresses are rebuilt from running sandboxes when the agent starts.

function toInt(ip: string): number {
  return ip.split('.').reduce((a, b) => a * 256 + Number(b), 0);
}

function toIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export class IpAllocator {
  private readonly used = new Set<number>();
  private readonly first: number;
  private readonly last: number;
  private next: number;

  constructor(cidr: string) {
    const [base, bits] = cidr.split('/');
    const size = 2 ** (32 - Number(bits));
    const start = toInt(base) - (toInt(base) % size);
    this.first = start + 2; // network address and the node's .1 are not for pods
    this.last = start + size - 2; // keep the broadcast address free
    this.next = this.first;
  }

  /** The node's own address in this range (x.x.x.1). */
  static nodeAddress(cidr: string): string {
    return toIp(toInt(cidr.split('/')[0]) + 1);
  }

  reserve(ip: string): void {
    this.used.add(toInt(ip));
  }

  release(ip: string): void {
    this.used.delete(toInt(ip));
  }

  /** Next free address, cycling so a just-freed IP is not handed out again at once. */
  allocate(): string {
    const span = this.last - this.first + 1;
    for (let i = 0; i < span; i++) {
      const n = this.first + ((this.next - this.first + i) % span);
      if (!this.used.has(n)) {
        this.used.add(n);
        this.next = n + 1 > this.last ? this.first : n + 1;
        return toIp(n);
      }
    }
    throw new Error('no free pod IPs left on this node');
  }
}
