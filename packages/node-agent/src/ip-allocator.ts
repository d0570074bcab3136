// Pod IPs from the node's podCIDR (10.x.N.0/24): .1 is the node's own address, the rest go to
// pod sandboxes. What is in use is read from the sandboxes that exist (level-triggered, so a
// crash can never leak an address); addresses just handed out are held back for a minute so
// concurrent pod starts do not collide before Docker reports them.
import { intToIPv4, ipv4ToInt, parseCIDR } from '@minik/api';

const HOLD_MS = 60_000;

export class IpAllocator {
  private readonly first: number;
  private readonly last: number;
  private next: number;
  private readonly recent = new Map<number, number>();

  constructor(cidr: string) {
    const { base, size } = parseCIDR(cidr);
    this.first = base + 2; // network address and the node's .1 are not for pods
    this.last = base + size - 2; // keep the broadcast address free
    this.next = this.first;
  }

  /** The node's own address in this range (x.x.x.1). */
  static nodeAddress(cidr: string): string {
    return intToIPv4(ipv4ToInt(cidr.split('/')[0]) + 1);
  }

  /** A free address, cycling so a just-freed IP is not handed out again at once. */
  allocate(inUse: Iterable<string>, now = Date.now()): string {
    const used = new Set<number>();
    for (const ip of inUse) used.add(ipv4ToInt(ip));
    for (const [n, t] of this.recent) {
      if (now - t > HOLD_MS) this.recent.delete(n);
      else used.add(n);
    }
    const span = this.last - this.first + 1;
    for (let i = 0; i < span; i++) {
      const n = this.first + ((this.next - this.first + i) % span);
      if (!used.has(n)) {
        this.recent.set(n, now);
        this.next = n + 1 > this.last ? this.first : n + 1;
        return intToIPv4(n);
      }
    }
    throw new Error('no free pod IPs left on this node');
  }

  /** Gives an address back early (its sandbox could not be created). */
  release(ip: string): void {
    this.recent.delete(ipv4ToInt(ip));
  }
}
