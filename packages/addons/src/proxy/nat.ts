// Forwarding in the kernel, as kube-proxy's iptables mode does, but inside the proxy's own
// network namespace: a connection to the address this container holds (a ClusterIP or a node's
// InternalIP) is DNATed there to a ready endpoint, picked at random with kube-proxy's
// `statistic` probabilities, and masqueraded so replies come back the same way. No process
// touches the bytes, so a Service costs about what a direct connection does (bench/service.mjs).
//
// Needs iptables in the image (minik copies this machine's), CAP_NET_ADMIN and
// net.ipv4.ip_forward=1 in the pod. Without them, or if a rule update fails, the userspace
// listeners (which stay open underneath) carry the traffic.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Backend } from './spec.js';

/** One port forwarded in the kernel: TCP to `port` on this address → one of `backends`. */
export interface NatPort {
  port: number;
  backends: Backend[];
  /** For the rule's comment (`default/web:http`). */
  comment: string;
}

export const SERVICES_CHAIN = 'MINIK-SERVICES';
export const MASQ_CHAIN = 'MINIK-MASQUERADE';

const BINARIES = ['/usr/sbin/xtables-nft-multi', '/usr/sbin/xtables-legacy-multi', '/sbin/xtables-nft-multi', '/sbin/xtables-legacy-multi'];

/** The nat table's contents for iptables-restore --noflush: our chains, rewritten whole. */
export function natRules(ports: NatPort[]): string {
  const lines = ['*nat', `:${SERVICES_CHAIN} - [0:0]`, `:${MASQ_CHAIN} - [0:0]`];
  for (const p of [...ports].sort((a, b) => a.port - b.port)) {
    const v4 = p.backends.filter((b) => !b.ip.includes(':'));
    v4.forEach((b, i) => {
      const left = v4.length - i;
      // kube-proxy's arithmetic: each rule takes 1/left of what the rules before it let through.
      const pick = left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(10)}` : '';
      lines.push(`-A ${SERVICES_CHAIN} -p tcp -m tcp --dport ${p.port} -m comment --comment "${p.comment.replace(/"/g, '')}"${pick} -j DNAT --to-destination ${b.ip}:${b.port}`);
    });
  }
  // Only what was DNATed here leaves masqueraded (the proxy's own connections keep their source).
  lines.push(`-A ${MASQ_CHAIN} -m conntrack --ctstate DNAT -j MASQUERADE`);
  lines.push('COMMIT', '');
  return lines.join('\n');
}

type Run = (args: string[], input?: string) => Promise<string>;

export class KernelNat {
  private installed = false;
  private last = '';

  private constructor(
    private readonly run: Run,
    /** `nf_tables` or `legacy`, for the log. */
    readonly flavour: string,
  ) {}

  /**
   * The kernel path, if this container can have it; otherwise why not (for one log line).
   * The options are for tests.
   */
  static async detect(opts: { binaries?: string[]; forwardFile?: string; run?: Run } = {}): Promise<KernelNat | string> {
    const binary = (opts.binaries ?? BINARIES).find((b) => existsSync(b));
    if (!binary) return 'no iptables in the image';
    const fwd = opts.forwardFile ?? '/proc/sys/net/ipv4/ip_forward';
    try {
      if (readFileSync(fwd, 'utf8').trim() !== '1') return 'net.ipv4.ip_forward is not 1 in this pod';
    } catch (e) {
      return `cannot read ${fwd}: ${(e as Error).message}`;
    }
    const run: Run =
      opts.run ??
      ((args, input) =>
        new Promise((resolve, reject) => {
          const child = execFile(binary, args, { timeout: 10_000 }, (err, stdout, stderr) => (err ? reject(new Error(String(stderr).trim() || err.message)) : resolve(String(stdout))));
          if (input !== undefined) child.stdin?.end(input);
        }));
    try {
      const version = await run(['iptables', '-V']);
      await run(['iptables', '-w', '-t', 'nat', '-S', 'PREROUTING']); // needs CAP_NET_ADMIN
      return new KernelNat(run, /nf_tables/.test(version) ? 'nf_tables' : 'legacy');
    } catch (e) {
      return (e as Error).message.split('\n')[0]!;
    }
  }

  /** Makes the kernel forward exactly `ports` (an empty list removes every rule). */
  async sync(ports: NatPort[]): Promise<void> {
    const rules = natRules(ports);
    if (rules === this.last && this.installed) return;
    await this.run(['iptables-restore', '-w', '--noflush'], rules);
    if (!this.installed) {
      // The jumps into our chains, once (a restarted proxy finds them in place).
      for (const [chain, target] of [
        ['PREROUTING', SERVICES_CHAIN],
        ['POSTROUTING', MASQ_CHAIN],
      ] as const) {
        const have = await this.run(['iptables', '-w', '-t', 'nat', '-S', chain]);
        if (!have.split('\n').includes(`-A ${chain} -j ${target}`)) await this.run(['iptables', '-w', '-t', 'nat', '-A', chain, '-j', target]);
      }
      this.installed = true;
    }
    this.last = rules;
  }

  /** Forwards nothing any more (the userspace listeners take over). */
  async clear(): Promise<void> {
    await this.run(['iptables', '-w', '-t', 'nat', '-F', SERVICES_CHAIN]);
    this.last = '';
  }
}
