// The DNS server against a real in-process apiserver: Services and Endpoints are written through
// the API and the server is asked over UDP and TCP by a small stub resolver (and by dig and by
// BusyBox's nslookup in a container, when they are there). Names outside the cluster go to a fake
// upstream nameserver in this process.
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type KubeObject, type ResourceClient } from '@minik/api';
import { startApiserver, type RunningApiserver } from '@minik/apiserver';
import { startDnsServer, type DnsServer } from './server.js';
import { CLASS, decodeMessage, encodeMessage, encodeQuery, message, RCODE, TYPE, type DnsMessage, type ResourceRecord } from './wire.js';

const run = promisify(execFile);

let dir: string;
let apiserver: RunningApiserver;
let client: ApiClient;
let services: ResourceClient<KubeObject>;
let endpoints: ResourceClient<KubeObject>;
let upstream: FakeUpstream;
let dns: DnsServer;
const logs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minik-dns-'));
  apiserver = await startApiserver({ dataDir: dir, port: 0, token: 'tok', controllers: false, log: () => undefined });
  client = new ApiClient({ server: apiserver.url, token: 'tok' });
  services = client.resource({ group: '', version: 'v1', resource: 'services' });
  endpoints = client.resource({ group: '', version: 'v1', resource: 'endpoints' });
  await services.create('kube-system', service('kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }] }));
  await services.create('default', service('backend', { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }));
  await endpoints.create('default', endpointsOf('backend', [{ ip: '10.244.1.5' }], [{ name: 'http', port: 8080 }]));
  upstream = await startFakeUpstream();
  dns = await startDnsServer({ client, host: '127.0.0.1', port: 0, upstream: [`127.0.0.1:${upstream.port}`], healthPort: 0, readyPort: 0, metricsPort: 0, log: (m) => logs.push(m) });
});

afterAll(async () => {
  await dns?.close();
  await upstream?.close();
  await client?.close();
  await apiserver?.close();
  rmSync(dir, { recursive: true, force: true });
  if (process.env.MINIK_TEST_LOGS) console.log(logs.join('\n'));
});

// ---- helpers ------------------------------------------------------------------------------------

function service(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec };
}

function endpointsOf(name: string, addresses: { ip: string; hostname?: string }[], ports: { name?: string; port: number; protocol?: string }[], notReady: { ip: string }[] = []): KubeObject {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name }, subsets: [{ addresses, ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports }] };
}

let nextId = 1;

/** One query over UDP, as a stub resolver sends it (EDNS0 when `udpSize` is given). */
async function udp(name: string, type: number = TYPE.A, opts: { udpSize?: number; port?: number; raw?: Buffer } = {}): Promise<DnsMessage & { size: number }> {
  const id = nextId++ & 0xffff;
  const query = opts.raw ?? encodeQuery(id, name, type, { udpSize: opts.udpSize });
  const sock = dgram.createSocket('udp4');
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer for ${name}`)), 3000);
      sock.on('message', (raw) => {
        clearTimeout(timer);
        resolve({ ...decodeMessage(raw), size: raw.length });
      });
      sock.send(query, opts.port ?? dns.port, '127.0.0.1');
    });
  } finally {
    sock.close();
  }
}

/** Several queries on one TCP connection, all sent before any answer is read. */
async function tcp(questions: { name: string; type?: number }[], port = dns.port): Promise<DnsMessage[]> {
  const ids = questions.map(() => nextId++ & 0xffff);
  const frames = questions.map((q, i) => {
    const m = encodeQuery(ids[i], q.name, q.type ?? TYPE.A);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(m.length);
    return Buffer.concat([len, m]);
  });
  const sock = net.connect({ port, host: '127.0.0.1' });
  const answers = new Map<number, DnsMessage>();
  try {
    await new Promise<void>((resolve, reject) => {
      let buf = Buffer.alloc(0);
      const timer = setTimeout(() => reject(new Error('no answer over TCP')), 5000);
      sock.on('error', reject);
      sock.on('connect', () => sock.write(Buffer.concat(frames)));
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          const m = decodeMessage(buf.subarray(2, 2 + buf.readUInt16BE(0)));
          buf = buf.subarray(2 + buf.readUInt16BE(0));
          answers.set(m.id, m);
        }
        if (answers.size === questions.length) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } finally {
    sock.destroy();
  }
  return ids.map((id) => answers.get(id)!);
}

const addrs = (m: DnsMessage) => m.answers.filter((a) => a.type === TYPE.A || a.type === TYPE.AAAA).map((a) => ('address' in a ? a.address : ''));

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface FakeUpstream {
  port: number;
  udpQueries: string[];
  tcpQueries: string[];
  close(): Promise<void>;
}

/** A nameserver for names outside the cluster: example.com, big.example (100 addresses), fail.example. */
async function startFakeUpstream(): Promise<FakeUpstream> {
  const udpQueries: string[] = [];
  const tcpQueries: string[] = [];
  const answer = (raw: Buffer, overTcp: boolean): Buffer => {
    const q = decodeMessage(raw);
    const question = q.questions[0];
    const name = question.name.toLowerCase();
    const a = (address: string): ResourceRecord => ({ name: question.name, type: TYPE.A, class: CLASS.IN, ttl: 300, address });
    let answers: ResourceRecord[] = [];
    let rcode: number = RCODE.NOERROR;
    if (name === 'example.com' && question.type === TYPE.A) answers = [a('93.184.216.34')];
    else if (name === 'big.example' && question.type === TYPE.A) answers = Array.from({ length: 100 }, (_, i) => a(`192.0.2.${i + 1}`));
    else if (name === 'fail.example') rcode = RCODE.SERVFAIL;
    else if (name !== 'example.com' && name !== 'big.example') rcode = RCODE.NXDOMAIN;
    const size = overTcp ? 65535 : q.edns ? Math.max(q.edns.udpSize, 512) : 512;
    return encodeMessage(message({ id: q.id, qr: true, rd: q.rd, ra: true, rcode, questions: q.questions, answers, edns: q.edns ? { udpSize: 1232, version: 0, dnssecOk: false, options: [] } : undefined }), size);
  };
  const u = dgram.createSocket('udp4');
  await new Promise<void>((r) => u.bind(0, '127.0.0.1', r));
  const port = u.address().port;
  u.on('message', (raw, rinfo) => {
    udpQueries.push(decodeMessage(raw).questions[0].name);
    u.send(answer(raw, false), rinfo.port, rinfo.address);
  });
  const t = net.createServer((s) => {
    let buf = Buffer.alloc(0);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const raw = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + raw.length);
        tcpQueries.push(decodeMessage(raw).questions[0].name);
        const out = answer(raw, true);
        const len = Buffer.alloc(2);
        len.writeUInt16BE(out.length);
        s.write(Buffer.concat([len, out]));
      }
    });
  });
  await new Promise<void>((r) => t.listen(port, '127.0.0.1', r));
  return {
    port,
    udpQueries,
    tcpQueries,
    async close() {
      u.close();
      await new Promise((r) => t.close(r));
    },
  };
}

// ---- the cluster's names ------------------------------------------------------------------------

describe('cluster names', () => {
  it('answers the O13 lookup over UDP: kube-dns.kube-system.svc.cluster.local is 10.96.0.10', async () => {
    const m = await udp('kube-dns.kube-system.svc.cluster.local');
    expect(m).toMatchObject({ qr: true, aa: true, rd: true, tc: false, rcode: RCODE.NOERROR });
    expect(m.questions).toEqual([{ name: 'kube-dns.kube-system.svc.cluster.local', type: TYPE.A, class: CLASS.IN }]);
    expect(m.answers).toEqual([{ name: 'kube-dns.kube-system.svc.cluster.local', type: TYPE.A, class: CLASS.IN, ttl: 5, address: '10.96.0.10' }]);
    // The AAAA half of the lookup (nslookup asks both): NODATA with the SOA.
    const aaaa = await udp('kube-dns.kube-system.svc.cluster.local', TYPE.AAAA);
    expect(aaaa).toMatchObject({ rcode: RCODE.NOERROR, answers: [] });
    expect(aaaa.authorities.map((a) => a.type)).toEqual([TYPE.SOA]);
  });

  it('answers NXDOMAIN with the SOA for the search-path expansions, over UDP and TCP', async () => {
    for (const name of ['backend.default.svc.cluster.local.default.svc.cluster.local', 'backend.default.svc.cluster.local.svc.cluster.local', 'backend.default.svc.cluster.local.cluster.local', 'nope.default.svc.cluster.local']) {
      const m = await udp(name);
      expect(m.rcode, name).toBe(RCODE.NXDOMAIN);
      expect(m.aa).toBe(true);
      expect(m.authorities[0]).toMatchObject({ name: 'cluster.local', type: TYPE.SOA });
    }
    const [a, b] = await tcp([{ name: 'backend.svc.cluster.local' }, { name: 'backend.cluster.local' }]);
    expect([a.rcode, b.rcode]).toEqual([RCODE.NXDOMAIN, RCODE.NXDOMAIN]);
    // With EDNS the answer carries an OPT record back.
    const e = await udp('nope.default.svc.cluster.local', TYPE.A, { udpSize: 1232 });
    expect(e.edns).toMatchObject({ udpSize: 1232, version: 0 });
  });

  it('follows Services and Endpoints written through the API', async () => {
    await services.create('default', service('web', { clusterIP: '10.96.0.30', ports: [{ name: 'http', port: 80 }] }));
    const m = await waitFor('web', async () => {
      const r = await udp('web.default.svc.cluster.local');
      return r.rcode === RCODE.NOERROR && r;
    });
    expect(addrs(m)).toEqual(['10.96.0.30']);

    // A headless Service: its ready endpoints, followed as readiness changes.
    await services.create('default', service('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }));
    await endpoints.create('default', endpointsOf('db', [{ ip: '10.244.2.7', hostname: 'db-0' }], [{ name: 'pg', port: 5432 }], [{ ip: '10.244.2.8' }]));
    await waitFor('db', async () => addrs(await udp('db.default.svc.cluster.local')).join() === '10.244.2.7');
    expect(addrs(await udp('db-0.db.default.svc.cluster.local'))).toEqual(['10.244.2.7']);
    const cur = await endpoints.get('default', 'db');
    await endpoints.update('default', { ...cur, subsets: [{ addresses: [{ ip: '10.244.2.7', hostname: 'db-0' }, { ip: '10.244.2.8', hostname: 'db-1' }], ports: [{ name: 'pg', port: 5432 }] }] });
    await waitFor('db-1 ready', async () => addrs(await udp('db.default.svc.cluster.local')).sort().join() === '10.244.2.7,10.244.2.8');

    const [srv] = await tcp([{ name: '_pg._tcp.db.default.svc.cluster.local', type: TYPE.SRV }]);
    expect(srv.answers.map((a) => ('target' in a && 'port' in a ? `${a.weight} ${a.port} ${a.target}` : '')).sort()).toEqual(['50 5432 db-0.db.default.svc.cluster.local', '50 5432 db-1.db.default.svc.cluster.local']);
    expect(srv.additionals.map((a) => `${a.name} ${'address' in a ? a.address : ''}`).sort()).toEqual(['db-0.db.default.svc.cluster.local 10.244.2.7', 'db-1.db.default.svc.cluster.local 10.244.2.8']);

    await services.delete('default', 'web');
    await waitFor('web deleted', async () => (await udp('web.default.svc.cluster.local')).rcode === RCODE.NXDOMAIN);
  });

  it('answers PTR for a ClusterIP and an endpoint, and pod names', async () => {
    const [svcPtr, epPtr, pod] = await tcp([
      { name: '20.0.96.10.in-addr.arpa', type: TYPE.PTR },
      { name: '5.1.244.10.in-addr.arpa', type: TYPE.PTR },
      { name: '10-244-9-9.default.pod.cluster.local' },
    ]);
    expect(svcPtr.answers).toEqual([{ name: '20.0.96.10.in-addr.arpa', type: TYPE.PTR, class: CLASS.IN, ttl: 5, target: 'backend.default.svc.cluster.local' }]);
    expect(epPtr.answers.map((a) => 'target' in a && a.target)).toEqual(['10-244-1-5.backend.default.svc.cluster.local']);
    expect(addrs(pod)).toEqual(['10.244.9.9']);
  });

  it('answers many pipelined queries on one TCP connection', async () => {
    const names = Array.from({ length: 20 }, (_, i) => (i % 2 ? 'backend.default.svc.cluster.local' : `nope${i}.default.svc.cluster.local`));
    const answers = await tcp(names.map((name) => ({ name })));
    answers.forEach((m, i) => {
      expect(m.questions[0].name).toBe(names[i]);
      expect(m.rcode).toBe(i % 2 ? RCODE.NOERROR : RCODE.NXDOMAIN);
    });
  });

  it('truncates over UDP (512 bytes, or the EDNS size) and answers in full over TCP', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ ip: `10.244.4.${i + 1}` }));
    await services.create('default', service('wide', { clusterIP: 'None', ports: [{ port: 80 }] }));
    await endpoints.create('default', endpointsOf('wide', many, [{ port: 80 }]));
    const full = await waitFor('wide', async () => {
      const [m] = await tcp([{ name: 'wide.default.svc.cluster.local' }]);
      return m.answers.length === 60 && m;
    });
    expect(full.tc).toBe(false);
    const small = await udp('wide.default.svc.cluster.local');
    expect(small.tc).toBe(true);
    expect(small.size).toBeLessThanOrEqual(512);
    expect(small.answers.length).toBeLessThan(60);
    const edns = await udp('wide.default.svc.cluster.local', TYPE.A, { udpSize: 4096 });
    expect(edns.tc).toBe(false);
    expect(edns.answers).toHaveLength(60);
  });

  it('answers FORMERR for a query it cannot read, and NOTIMP for other opcodes', async () => {
    const bad = Buffer.concat([encodeQuery(0x4242, 'backend.default.svc.cluster.local', TYPE.A).subarray(0, 20)]);
    expect(await udp('', TYPE.A, { raw: bad })).toMatchObject({ id: 0x4242, qr: true, rcode: RCODE.FORMERR });
    const notify = encodeQuery(0x4343, 'cluster.local', TYPE.SOA);
    notify[2] |= 4 << 3; // NOTIFY
    expect(await udp('', TYPE.A, { raw: notify })).toMatchObject({ id: 0x4343, rcode: RCODE.NOTIMP });
    const badvers = encodeMessage(message({ id: 0x4444, questions: [{ name: 'cluster.local', type: TYPE.SOA, class: CLASS.IN }], edns: { udpSize: 1232, version: 1, dnssecOk: false, options: [] } }));
    expect(await udp('', TYPE.A, { raw: badvers })).toMatchObject({ id: 0x4444, rcode: RCODE.BADVERS });
  });
});

// ---- upstream -----------------------------------------------------------------------------------

describe('names outside the cluster', () => {
  it('forwards them upstream and passes the answer back', async () => {
    const m = await udp('example.com');
    expect(m).toMatchObject({ rcode: RCODE.NOERROR, ra: true, aa: false });
    expect(addrs(m)).toEqual(['93.184.216.34']);
    expect((await udp('nothing.example')).rcode).toBe(RCODE.NXDOMAIN);
    // Reverse names the cluster does not know fall through to upstream.
    expect((await udp('9.9.9.10.in-addr.arpa', TYPE.PTR)).rcode).toBe(RCODE.NXDOMAIN);
    expect(upstream.udpQueries).toContain('9.9.9.10.in-addr.arpa');
  });

  it('asks upstream again over TCP when its UDP answer is truncated, and truncates for a UDP client', async () => {
    const [full] = await tcp([{ name: 'big.example' }]);
    expect(full.answers).toHaveLength(100);
    expect(upstream.tcpQueries).toContain('big.example');
    const small = await udp('big.example');
    expect(small).toMatchObject({ tc: true, answers: [] });
    expect(small.size).toBeLessThanOrEqual(512);
  });

  it('chases an ExternalName target upstream after the CNAME', async () => {
    await services.create('default', service('ext', { type: 'ExternalName', externalName: 'example.com' }));
    const m = await waitFor('ext', async () => {
      const r = await udp('ext.default.svc.cluster.local');
      return r.rcode === RCODE.NOERROR && r;
    });
    expect(m.aa).toBe(true);
    expect(m.answers.map((a) => [a.name, a.type, 'target' in a ? a.target : 'address' in a ? a.address : ''])).toEqual([
      ['ext.default.svc.cluster.local', TYPE.CNAME, 'example.com'],
      ['example.com', TYPE.A, '93.184.216.34'],
    ]);
  });

  it('answers SERVFAIL when there is no upstream, or none answers', async () => {
    const silent = dgram.createSocket('udp4'); // receives queries, never answers
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
    const closed = dgram.createSocket('udp4'); // a port nobody listens on: refused at once
    await new Promise<void>((r) => closed.bind(0, '127.0.0.1', r));
    const closedPort = closed.address().port;
    closed.close();
    const servers = await Promise.all(
      [[], [`127.0.0.1:${closedPort}`], [`127.0.0.1:${silent.address().port}`, `127.0.0.1:${closedPort}`]].map((up) =>
        startDnsServer({ client, host: '127.0.0.1', port: 0, upstream: up, upstreamTimeoutMs: 300, healthPort: false, readyPort: false, metricsPort: false, log: () => undefined }),
      ),
    );
    try {
      for (const s of servers) {
        for (let i = 0; i < 2; i++) {
          const m = await udp('example.com', TYPE.A, { port: s.port });
          expect(m.rcode).toBe(RCODE.SERVFAIL);
        }
        // The cluster's names are still answered.
        expect(addrs(await udp('backend.default.svc.cluster.local', TYPE.A, { port: s.port }))).toEqual(['10.96.0.20']);
      }
      // An ExternalName whose target cannot be looked up: the CNAME alone.
      const ext = await udp('ext.default.svc.cluster.local', TYPE.A, { port: servers[0].port });
      expect(ext.answers.map((a) => a.type)).toEqual([TYPE.CNAME]);
    } finally {
      silent.close();
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});

// ---- side ports ---------------------------------------------------------------------------------

describe('health, readiness and metrics', () => {
  it('serves /health, /ready and /metrics', async () => {
    const get = async (port: number | undefined, path: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: res.status, body: await res.text() };
    };
    expect(await get(dns.healthPort, '/health')).toEqual({ status: 200, body: 'OK' });
    expect(await get(dns.readyPort, '/ready')).toEqual({ status: 200, body: 'OK' });
    expect((await get(dns.healthPort, '/nope')).status).toBe(404);
    await udp('nope.default.svc.cluster.local');
    const metrics = await get(dns.metricsPort, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('# TYPE coredns_dns_requests_total counter');
    expect(metrics.body).toMatch(/coredns_dns_requests_total\{server="dns:\/\/:0",zone=".",view="",proto="udp",family="1",type="A"\} \d+/);
    expect(metrics.body).toMatch(/coredns_dns_responses_total\{[^}]*rcode="NXDOMAIN",plugin="kubernetes"\} \d+/);
    expect(metrics.body).toMatch(/coredns_dns_responses_total\{[^}]*rcode="NOERROR",plugin="forward"\} \d+/);
    expect(dns.metrics.responsesWith('NXDOMAIN')).toBeGreaterThan(0);
  });

  it('is not ready, and answers SERVFAIL for unknown names, while the API cannot be reached', async () => {
    const gone = new ApiClient({ server: 'http://127.0.0.1:1', token: 'tok' });
    const s = await startDnsServer({ client: gone, host: '127.0.0.1', port: 0, upstream: [], syncTimeoutMs: 50, healthPort: 0, readyPort: 0, metricsPort: false, log: () => undefined });
    try {
      expect(s.ready()).toBe(false);
      expect((await fetch(`http://127.0.0.1:${s.readyPort}/ready`)).status).toBe(503);
      expect((await fetch(`http://127.0.0.1:${s.healthPort}/health`)).status).toBe(200);
      expect((await udp('backend.default.svc.cluster.local', TYPE.A, { port: s.port })).rcode).toBe(RCODE.SERVFAIL);
    } finally {
      await s.close();
      await gone.close();
    }
  });
});

// ---- real resolvers -----------------------------------------------------------------------------

const hasDig = await run('dig', ['-v']).then(
  () => true,
  () => false,
);

describe.skipIf(!hasDig)('dig', () => {
  const dig = async (...args: string[]) => (await run('dig', ['@127.0.0.1', '-p', String(dns.port), '+tries=1', '+time=2', ...args])).stdout;

  it('resolves Services, SRV and PTR over UDP and TCP', async () => {
    expect((await dig('+short', 'backend.default.svc.cluster.local')).trim()).toBe('10.96.0.20');
    expect((await dig('+short', '+tcp', 'kube-dns.kube-system.svc.cluster.local')).trim()).toBe('10.96.0.10');
    expect((await dig('+short', 'SRV', '_http._tcp.backend.default.svc.cluster.local')).trim()).toBe('0 100 80 backend.default.svc.cluster.local.');
    expect((await dig('+short', '-x', '10.96.0.20')).trim()).toBe('backend.default.svc.cluster.local.');
    const nx = await dig('nope.default.svc.cluster.local');
    expect(nx).toContain('status: NXDOMAIN');
    expect(nx).toMatch(/flags: qr aa rd;/);
    expect(nx).toMatch(/cluster\.local\.\s+5\s+IN\s+SOA\s+ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. \d+ 7200 1800 86400 5/);
    // A truncated UDP answer makes dig retry over TCP by itself.
    const wide = await dig('+noedns', 'wide.default.svc.cluster.local');
    expect(wide).toContain('Truncated, retrying in TCP mode.');
    expect(wide).toContain('ANSWER: 60');
  });
});

// Built by /work/shared/env/offline-busybox-image. The server listens on the network's gateway,
// which is an address of this machine only with a local Linux engine.
const hasBusybox =
  process.platform === 'linux' &&
  (await run('docker', ['image', 'inspect', 'local/busybox:1.35']).then(
    () => true,
    () => false,
  ));

describe.skipIf(!hasBusybox)("BusyBox's nslookup in a container", () => {
  it('looks up kube-dns as in O13, through a Docker network', async (ctx) => {
    const net = `minik-dns-test-${process.pid}`;
    await run('docker', ['network', 'create', net]);
    let s: DnsServer | undefined;
    try {
      const gateway = JSON.parse((await run('docker', ['network', 'inspect', net, '--format', '{{json .IPAM.Config}}'])).stdout)[0].Gateway as string;
      try {
        s = await startDnsServer({ client, host: gateway, port: 0, upstream: [], healthPort: false, readyPort: false, metricsPort: false, log: () => undefined });
      } catch (e) {
        // The engine's networks are not on this machine (a remote or rootless engine).
        if ((e as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') return ctx.skip();
        throw e;
      }
      const out = (
        await run('docker', ['run', '--rm', '--network', net, 'local/busybox:1.35', 'nslookup', 'kube-dns.kube-system.svc.cluster.local', `${gateway}:${s.port}`], { timeout: 30_000 })
      ).stdout;
      expect(out).toContain(`Server:\t\t${gateway}`);
      expect(out).toMatch(/Name:\s+kube-dns\.kube-system\.svc\.cluster\.local\nAddress: 10\.96\.0\.10\n/);
      const srvOut = await run('docker', ['run', '--rm', '--network', net, 'local/busybox:1.35', 'nslookup', '-type=srv', '_http._tcp.backend.default.svc.cluster.local', `${gateway}:${s.port}`], { timeout: 30_000 });
      expect(srvOut.stdout).toContain('0 100 80 backend.default.svc.cluster.local');
    } finally {
      await s?.close();
      await run('docker', ['network', 'rm', net]).catch(() => undefined);
    }
  }, 60_000);
});
