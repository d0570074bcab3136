// minik's cluster DNS server (what the `coredns` pods in kube-system run): the kubernetes plugin's
// answers for the cluster domain from an in-memory copy of Services, Endpoints and Namespaces,
// everything else forwarded to the pod's own nameservers, over UDP and TCP on one port; with
// CoreDNS' health (:8080/health), readiness (:8181/ready) and metrics (:9153/metrics) ports.
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import type { ApiClient } from '@minik/api';
import { watchCluster } from './cluster.js';
import { ipFamily } from './ip.js';
import { DnsMetrics } from './metrics.js';
import { KubeResolver } from './resolver.js';
import { Forwarder, readResolvConf, UpstreamError } from './upstream.js';
import {
  decodeMessage,
  DnsFormatError,
  encodeMessage,
  encodeQuery,
  message,
  OPCODE_QUERY,
  RCODE,
  rcodeName,
  TYPE,
  typeName,
  type DnsMessage,
  type ResourceRecord,
} from './wire.js';

export interface DnsServerOptions {
  client: ApiClient;
  /** The cluster domain (default cluster.local). */
  clusterDomain?: string;
  /** Address to listen on (default 0.0.0.0), for DNS and the side ports alike. */
  host?: string;
  /** DNS port, UDP and TCP (default 53; 0 picks a free one). */
  port?: number;
  /** Nameservers for names outside the cluster (default: those of /etc/resolv.conf). */
  upstream?: string[];
  /** TTL of the cluster's records (default 5). */
  ttl?: number;
  log?: (m: string) => void;
  /** Port of GET /health (default 8080; false: none). */
  healthPort?: number | false;
  /** Port of GET /ready (default 8181; false: none). */
  readyPort?: number | false;
  /** Port of GET /metrics (default 9153; false: none). */
  metricsPort?: number | false;
  /** Time for one upstream server to answer (default 2000 ms). */
  upstreamTimeoutMs?: number;
  /** How long the start waits for the informers before serving anyway (default 5000 ms, as CoreDNS). */
  syncTimeoutMs?: number;
  /** The server's own addresses (for NS records; default: this machine's interface addresses). */
  localIPs?: string[];
}

export interface DnsServer {
  host: string;
  port: number;
  healthPort?: number;
  readyPort?: number;
  metricsPort?: number;
  upstream: string[];
  metrics: DnsMetrics;
  /** The informers have synced (what /ready says). */
  ready(): boolean;
  close(): Promise<void>;
}

/** Largest UDP response sent to clients that advertise more (EDNS). */
const MAX_UDP = 4096;
const TCP_IDLE_MS = 30_000;

function interfaceIPs(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal)
    .map((a) => a.address.split('%')[0]);
}

export async function startDnsServer(opts: DnsServerOptions): Promise<DnsServer> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const host = opts.host ?? '0.0.0.0';
  const upstream = opts.upstream ?? readResolvConf();
  const watch = watchCluster(opts.client, log);
  const localIPs = opts.localIPs;
  const resolver = new KubeResolver(watch.index, { zone: opts.clusterDomain ?? 'cluster.local', ttl: opts.ttl ?? 5, localIPs: () => localIPs ?? interfaceIPs() });
  const metrics = new DnsMetrics(`dns://:${opts.port ?? 53}`);
  const forwarder = new Forwarder(upstream, { timeoutMs: opts.upstreamTimeoutMs, log, onResult: (to, r) => metrics.forwarded(to, r) });
  let lastError = '';
  const logError = (m: string) => {
    if (m !== lastError) log(m);
    lastError = m;
  };

  /** The response to one query (undefined: nothing is sent back). */
  async function respond(raw: Buffer, proto: 'udp' | 'tcp', family: 4 | 6): Promise<Buffer | undefined> {
    let q: DnsMessage;
    try {
      q = decodeMessage(raw);
    } catch (e) {
      if (!(e instanceof DnsFormatError) || e.id === undefined || (raw[2] & 0x80) !== 0) return undefined;
      metrics.request(proto, family, 'other');
      metrics.response('FORMERR', '');
      return encodeMessage(message({ id: e.id, qr: true, opcode: (raw[2] >> 3) & 0xf, rd: (raw[2] & 1) !== 0, rcode: RCODE.FORMERR }));
    }
    if (q.qr) return undefined;
    const question = q.questions[0];
    metrics.request(proto, family, question ? typeName(question.type) : 'other');
    const maxSize = proto === 'tcp' ? 65535 : Math.min(Math.max(q.edns?.udpSize ?? 512, 512), MAX_UDP);
    const reply = (r: Partial<DnsMessage>, plugin: string): Buffer => {
      const m = message({
        id: q.id,
        qr: true,
        opcode: q.opcode,
        rd: q.rd,
        cd: q.cd,
        questions: q.questions.slice(0, 1),
        edns: q.edns ? { udpSize: maxSize, version: 0, dnssecOk: q.edns.dnssecOk, options: [] } : undefined,
        ...r,
      });
      metrics.response(rcodeName(m.rcode), plugin);
      return encodeMessage(m, maxSize);
    };
    if (q.opcode !== OPCODE_QUERY) return reply({ rcode: RCODE.NOTIMP }, '');
    if (q.questions.length !== 1) return reply({ rcode: RCODE.FORMERR, questions: [] }, '');
    if (q.edns && q.edns.version > 0) return reply({ rcode: RCODE.BADVERS, questions: [] }, '');

    const res = resolver.resolve(question);
    if (res.kind === 'forward') {
      try {
        const up = await forwarder.exchange(raw);
        const rcode = rcodeName(up.msg.rcode);
        metrics.response(rcode, 'forward');
        if (up.raw.length <= maxSize) return up.raw;
        // Too big for this client over UDP: the header and question with TC, so it retries over TCP.
        return encodeMessage(message({ ...up.msg, answers: [], authorities: [], additionals: [], tc: true }), maxSize);
      } catch (e) {
        if (!(e instanceof UpstreamError)) logError(`forward ${question.name}: ${(e as Error).message}`);
        return reply({ rcode: RCODE.SERVFAIL }, 'forward');
      }
    }
    const answers: ResourceRecord[] = [...res.answers];
    for (const c of res.chases) {
      // An ExternalName's target outside the cluster: its addresses from upstream, after the CNAME.
      if (!forwarder.servers.length) break;
      try {
        const up = await forwarder.exchange(encodeQuery(0, c.name, c.type));
        answers.push(...up.msg.answers.filter((a) => a.type === TYPE.CNAME || a.type === c.type));
      } catch {
        // The CNAME alone, then.
      }
    }
    return reply({ rcode: res.rcode, aa: res.aa, answers, authorities: res.authorities, additionals: res.additionals }, 'kubernetes');
  }

  const handle = async (raw: Buffer, proto: 'udp' | 'tcp', family: 4 | 6): Promise<Buffer | undefined> => {
    try {
      return await respond(raw, proto, family);
    } catch (e) {
      logError(`query failed: ${(e as Error)?.stack ?? String(e)}`);
      if (raw.length < 12) return undefined;
      metrics.response('SERVFAIL', '');
      return encodeMessage(message({ id: raw.readUInt16BE(0), qr: true, rd: (raw[2] & 1) !== 0, rcode: RCODE.SERVFAIL }));
    }
  };

  // ---- DNS over UDP and TCP on one port ----
  const v6 = ipFamily(host) === 6;
  let udp!: dgram.Socket;
  let tcp!: net.Server;
  const conns = new Set<net.Socket>();

  const onConnection = (sock: net.Socket) => {
    conns.add(sock);
    const family: 4 | 6 = sock.remoteFamily === 'IPv6' && !sock.remoteAddress?.startsWith('::ffff:') ? 6 : 4;
    let buf = Buffer.alloc(0);
    sock.setTimeout(TCP_IDLE_MS, () => sock.destroy());
    sock.on('error', () => sock.destroy());
    sock.on('close', () => conns.delete(sock));
    sock.on('data', (d) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      while (buf.length >= 2) {
        const n = buf.readUInt16BE(0);
        if (buf.length < 2 + n) break;
        const raw = Buffer.from(buf.subarray(2, 2 + n));
        buf = buf.subarray(2 + n);
        // Queries on one connection are answered concurrently, each as soon as it is ready
        // (RFC 7766 §6.2.1.1 allows answers out of order; clients match them by ID).
        void handle(raw, 'tcp', family).then((out) => {
          if (!out || sock.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(out.length);
          sock.write(Buffer.concat([len, out]));
        });
      }
    });
  };

  const bind = async (port: number): Promise<number> => {
    udp = dgram.createSocket({ type: v6 ? 'udp6' : 'udp4', reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, host, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    const bound = udp.address().port;
    tcp = net.createServer(onConnection);
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(bound, host, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      udp.close();
      throw e;
    }
    return bound;
  };

  let port = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      port = await bind(opts.port ?? 53);
      break;
    } catch (e) {
      // With port 0 the UDP port picked may be taken for TCP: pick again.
      if (opts.port !== 0 || attempt >= 10 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
        watch.stop();
        throw e;
      }
    }
  }
  udp.on('error', (e) => logError(`udp: ${e.message}`));
  udp.on('message', (raw, rinfo) => {
    void handle(raw, 'udp', rinfo.family === 'IPv6' && !rinfo.address.startsWith('::ffff:') ? 6 : 4).then((out) => {
      if (out) udp.send(out, rinfo.port, rinfo.address, (e) => e && logError(`udp send: ${e.message}`));
    });
  });
  tcp.on('error', (e) => logError(`tcp: ${e.message}`));

  // ---- health, readiness, metrics ----
  let synced = false;
  void watch.synced.then(() => (synced = true));
  const routes = new Map<number, Map<string, () => { status: number; body: string; type?: string }>>();
  const route = (p: number | false | undefined, dflt: number, path: string, fn: () => { status: number; body: string; type?: string }) => {
    if (p === false) return;
    const port = p ?? dflt;
    // Port 0: a server of its own (each gets a free port); a fixed port may serve several paths.
    const k = port === 0 ? -routes.size - 1 : port;
    if (!routes.has(k)) routes.set(k, new Map());
    routes.get(k)!.set(path, fn);
  };
  route(opts.healthPort, 8080, '/health', () => ({ status: 200, body: 'OK' }));
  route(opts.readyPort, 8181, '/ready', () => (synced ? { status: 200, body: 'OK' } : { status: 503, body: 'kubernetes' }));
  route(opts.metricsPort, 9153, '/metrics', () => ({ status: 200, body: metrics.render(), type: 'text/plain; version=0.0.4; charset=utf-8' }));
  const sidePorts = new Map<string, number>();
  const httpServers: http.Server[] = [];
  try {
    for (const [k, paths] of routes) {
      const srv = http.createServer((req, res) => {
        const path = (req.url ?? '/').split('?')[0];
        const fn = paths.get(path);
        if (!fn || (req.method !== 'GET' && req.method !== 'HEAD')) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
          return;
        }
        const r = fn();
        res.writeHead(r.status, { 'content-type': r.type ?? 'text/plain; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : r.body);
      });
      httpServers.push(srv);
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(k < 0 ? 0 : k, host, () => {
          srv.off('error', reject);
          resolve();
        });
      });
      const bound = (srv.address() as net.AddressInfo).port;
      for (const path of paths.keys()) sidePorts.set(path, bound);
    }
  } catch (e) {
    watch.stop();
    udp.close();
    tcp.close();
    for (const s of httpServers) s.close();
    throw e;
  }

  // Like CoreDNS: wait (a while) for the API before answering, so the first answers are complete.
  const syncTimeout = opts.syncTimeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  const waited = await Promise.race([watch.synced.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), syncTimeout)))]);
  clearTimeout(timer);
  if (!waited) log(`starting with an unsynced Kubernetes API (answers SERVFAIL for names not yet known)`);

  let closed = false;
  return {
    host,
    port,
    healthPort: sidePorts.get('/health'),
    readyPort: sidePorts.get('/ready'),
    metricsPort: sidePorts.get('/metrics'),
    upstream,
    metrics,
    ready: () => synced,
    async close() {
      if (closed) return;
      closed = true;
      watch.stop();
      await new Promise<void>((r) => udp.close(() => r()));
      for (const c of conns) c.destroy();
      await new Promise<void>((r) => tcp.close(() => r()));
      await Promise.all(httpServers.map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())))));
    },
  };
}
