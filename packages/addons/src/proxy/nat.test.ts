// The kernel path's rules (kube-proxy's probabilities, our chains only) and how it decides it
// can be used; the commands are faked here, and run for real in the e2e tests' proxy pods.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KernelNat, natRules } from './nat.js';

const be = (ip: string, port: number) => ({ ip, port, key: `${ip}:${port}` });
const dir = mkdtempSync(join(tmpdir(), 'minik-nat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const forward = (v: string) => {
  const f = join(dir, `fwd-${v}`);
  writeFileSync(f, `${v}\n`);
  return f;
};

describe('natRules', () => {
  it('spreads a port over its backends with kube-proxy\'s statistic probabilities, the last rule unconditional', () => {
    const rules = natRules([
      { port: 80, backends: [be('10.112.1.2', 8080), be('10.112.1.3', 8080), be('10.112.2.2', 8080)], comment: 'port 80/TCP "http"' },
      { port: 30080, backends: [be('10.112.1.2', 8080)], comment: 'nodePort' },
    ]);
    expect(rules).toBe(`*nat
:MINIK-SERVICES - [0:0]
:MINIK-MASQUERADE - [0:0]
-A MINIK-SERVICES -p tcp -m tcp --dport 80 -m comment --comment "port 80/TCP http" -m statistic --mode random --probability 0.3333333333 -j DNAT --to-destination 10.112.1.2:8080
-A MINIK-SERVICES -p tcp -m tcp --dport 80 -m comment --comment "port 80/TCP http" -m statistic --mode random --probability 0.5000000000 -j DNAT --to-destination 10.112.1.3:8080
-A MINIK-SERVICES -p tcp -m tcp --dport 80 -m comment --comment "port 80/TCP http" -j DNAT --to-destination 10.112.2.2:8080
-A MINIK-SERVICES -p tcp -m tcp --dport 30080 -m comment --comment "nodePort" -j DNAT --to-destination 10.112.1.2:8080
-A MINIK-MASQUERADE -m conntrack --ctstate DNAT -j MASQUERADE
COMMIT
`);
  });

  it('no ports: the chains are emptied but for the masquerade rule', () => {
    expect(natRules([])).toBe('*nat\n:MINIK-SERVICES - [0:0]\n:MINIK-MASQUERADE - [0:0]\n-A MINIK-MASQUERADE -m conntrack --ctstate DNAT -j MASQUERADE\nCOMMIT\n');
  });
});

describe('KernelNat', () => {
  it('is not used without iptables, without ip_forward, or when iptables is refused (no CAP_NET_ADMIN)', async () => {
    expect(await KernelNat.detect({ binaries: [join(dir, 'no-iptables')], forwardFile: forward('1'), run: async () => '' })).toBe('no iptables in the image');
    expect(await KernelNat.detect({ binaries: ['/bin/true'], forwardFile: forward('0'), run: async () => '' })).toBe('net.ipv4.ip_forward is not 1 in this pod');
    const refused = async (args: string[]) => {
      if (args.includes('-S')) throw new Error('iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)');
      return 'iptables v1.8.9 (nf_tables)';
    };
    expect(await KernelNat.detect({ binaries: ['/bin/true'], forwardFile: forward('1'), run: refused })).toBe('iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)');
  });

  it('restores our chains, adds the jumps once, and skips unchanged rule sets', async () => {
    const calls: string[] = [];
    let prerouting = '-P PREROUTING ACCEPT\n';
    const run = async (args: string[], input?: string) => {
      calls.push(args.join(' ') + (input ? ` <<${input.split('\n').length} lines` : ''));
      if (args[0] === 'iptables' && args.includes('-V')) return 'iptables v1.8.9 (nf_tables)\n';
      if (args.includes('-S') && args.includes('PREROUTING')) return prerouting;
      if (args.includes('-S')) return '-P POSTROUTING ACCEPT\n-A POSTROUTING -j MINIK-MASQUERADE\n';
      if (args.includes('-A') && args.includes('PREROUTING')) prerouting += '-A PREROUTING -j MINIK-SERVICES\n';
      return '';
    };
    const nat = await KernelNat.detect({ binaries: ['/bin/true'], forwardFile: forward('1'), run });
    if (typeof nat === 'string') throw new Error(nat);
    expect(nat.flavour).toBe('nf_tables');
    calls.length = 0;
    const ports = [{ port: 80, backends: [be('10.112.1.2', 8080)], comment: 'x' }];
    await nat.sync(ports);
    await nat.sync(ports);
    expect(calls).toEqual([
      'iptables-restore -w --noflush <<7 lines',
      'iptables -w -t nat -S PREROUTING',
      'iptables -w -t nat -A PREROUTING -j MINIK-SERVICES',
      'iptables -w -t nat -S POSTROUTING',
    ]);
    await nat.sync([]);
    expect(calls.at(-1)).toBe('iptables-restore -w --noflush <<6 lines');
  });
});
