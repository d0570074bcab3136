import { describe, expect, it } from 'vitest';
import { Balancer, FAILURE_PENALTY_MS } from './balancer.js';
import { endpointBackends, serviceView, type Backend } from './spec.js';

const be = (ip: string, port = 80): Backend => ({ ip, port, key: `${ip}:${port}` });

describe('Balancer', () => {
  it('goes round robin, skips what was tried, and tries a failed backend last for a while', () => {
    let now = 0;
    const b = new Balancer(() => now, 0);
    b.setBackends([be('10.0.0.1'), be('10.0.0.2'), be('10.0.0.3')]);
    expect([1, 2, 3, 4].map(() => b.pick('c')!.ip)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1']);
    expect(b.pick('c', new Set(['10.0.0.2:80']))!.ip).toBe('10.0.0.3');
    expect(b.pick('c', new Set(['10.0.0.1:80', '10.0.0.2:80', '10.0.0.3:80']))).toBeUndefined();
    b.failed(be('10.0.0.1'));
    expect([1, 2, 3].map(() => b.pick('c')!.ip)).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.2']);
    // Only failed ones left: still tried.
    expect(b.pick('c', new Set(['10.0.0.2:80', '10.0.0.3:80']))!.ip).toBe('10.0.0.1');
    now += FAILURE_PENALTY_MS;
    expect(new Set([1, 2, 3].map(() => b.pick('c')!.ip)).size).toBe(3);
    b.setBackends([]);
    expect(b.pick('c')).toBeUndefined();
  });

  it('starts at a random backend, so several proxies of one Service spread their first connections', () => {
    const firsts = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const b = new Balancer();
      b.setBackends([be('10.0.0.1'), be('10.0.0.2'), be('10.0.0.3')]);
      firsts.add(b.pick('c')!.ip);
    }
    expect(firsts.size).toBe(3); // all three: a chance of failing of about 3 × (2/3)^60
  });

  it('keeps a client IP on its backend until the affinity times out or the backend leaves', () => {
    let now = 0;
    const b = new Balancer(() => now, 0);
    b.setAffinity(10_000);
    b.setBackends([be('10.0.0.1'), be('10.0.0.2')]);
    expect(b.pick('a')!.ip).toBe('10.0.0.1');
    expect(b.pick('b')!.ip).toBe('10.0.0.2');
    now += 9_000;
    expect(b.pick('a')!.ip).toBe('10.0.0.1');
    now += 9_000; // idle 9 s since the last use: still sticky
    expect(b.pick('a')!.ip).toBe('10.0.0.1');
    now += 10_000;
    expect(b.pick('a')!.ip).toBe('10.0.0.1'); // expired: round robin's turn is 10.0.0.1 again
    expect(b.pick('c')!.ip).toBe('10.0.0.2');
    // The backend leaves: the client moves and sticks to the new one.
    b.setBackends([be('10.0.0.2'), be('10.0.0.3')]);
    const moved = b.pick('a')!.ip;
    expect(moved).not.toBe('10.0.0.1');
    expect(b.pick('a')!.ip).toBe(moved);
    // A refused sticky backend: the client moves too.
    expect(b.pick('a', new Set([`${moved}:80`]))!.ip).not.toBe(moved);
  });
});

describe('Service and Endpoints', () => {
  it('reads ports, affinity and ready backends matched by port name and protocol', () => {
    const svc = {
      spec: {
        clusterIP: '10.96.0.5',
        type: 'NodePort',
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 },
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'sig', port: 9, protocol: 'SCTP' },
        ],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
      },
    };
    expect(serviceView(svc)).toEqual({
      ports: [
        { key: 'TCP/http', name: 'http', protocol: 'TCP', port: 80, nodePort: 30080 },
        { key: 'UDP/dns', name: 'dns', protocol: 'UDP', port: 53 },
      ],
      unsupported: ['SCTP/9'],
      affinityMs: 60_000,
    });
    expect(serviceView({ spec: { clusterIP: 'None', ports: [{ port: 80 }] } }).ports).toEqual([]);
    expect(serviceView({ spec: { type: 'ExternalName', externalName: 'x.example' } }).ports).toEqual([]);
    expect(serviceView(undefined).ports).toEqual([]);

    const ep = {
      subsets: [
        { addresses: [{ ip: '10.244.0.3' }, { ip: '10.244.1.2' }], notReadyAddresses: [{ ip: '10.244.2.9' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 5353, protocol: 'UDP' }] },
        { addresses: [{ ip: '10.244.0.3' }], ports: [{ name: 'http', port: 8080 }] },
        { notReadyAddresses: [{ ip: '10.244.3.1' }], ports: [{ name: 'http', port: 8080 }] },
      ],
    };
    const m = endpointBackends(ep);
    expect(m.get('TCP/http')!.map((b) => b.key)).toEqual(['10.244.0.3:8080', '10.244.1.2:8080']);
    expect(m.get('UDP/dns')!.map((b) => b.key)).toEqual(['10.244.0.3:5353', '10.244.1.2:5353']);
    expect(m.get('TCP/dns')).toBeUndefined();
    expect(endpointBackends({ subsets: [{ addresses: [{ ip: 'fd00::5' }], ports: [{ port: 80 }] }] }).get('TCP/')![0].key).toBe('[fd00::5]:80');
  });
});
