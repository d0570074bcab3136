// The Service proxy against a real in-process apiserver: Services and Endpoints are written
// through the API, backends are small TCP/UDP servers on this machine. Endpoints may not hold
// loopback addresses (the apiserver rejects them, as Kubernetes does), so backends listen on
// this machine's first non-loopback IPv4 address.
import { mkdtempSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type KubeObject, type ResourceClient } from '@minik/api';
import { startApiserver, type RunningApiserver } from '@minik/apiserver';
import { startServiceProxy, type ServiceProxy, type ServiceProxyOptions } from './proxy.js';

const HOST_IP = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

let dir: string;
let server: RunningApiserver;
let client: ApiClient;
let services: ResourceClient<KubeObject>;
let endpoints: ResourceClient<KubeObject>;
const cleanup: (() => unknown)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minik-proxy-'));
  server = await startApiserver({ dataDir: dir, port: 0, token: 'tok', controllers: false, log: () => undefined });
  client = new ApiClient({ server: server.url, token: 'tok' });
  services = client.resource({ group: '', version: 'v1', resource: 'services' });
  endpoints = client.resource({ group: '', version: 'v1', resource: 'endpoints' });
});

afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

// ---- helpers ------------------------------------------------------------------------------------

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port free for TCP and UDP on every address right now. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen({ port: 0, host: '0.0.0.0' }, () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const u = dgram.createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '0.0.0.0', () => u.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

/** A TCP backend that says its name on connect, then echoes (half-close aware). */
async function tcpBackend(id: string, ip = HOST_IP!): Promise<{ id: string; ip: string; port: number; hits: number; close(): Promise<void> }> {
  const socks = new Set<net.Socket>();
  const b = { id, ip, port: 0, hits: 0, close: async () => undefined as void };
  const srv = net.createServer({ allowHalfOpen: true }, (s) => {
    b.hits++;
    socks.add(s);
    s.on('close', () => socks.delete(s));
    s.on('error', () => undefined);
    s.write(`${id}\n`);
    s.pipe(s);
  });
  await new Promise<void>((r) => srv.listen({ port: 0, host: ip }, r));
  b.port = (srv.address() as net.AddressInfo).port;
  b.close = () =>
    new Promise<void>((r) => {
      for (const s of socks) s.destroy();
      srv.close(() => r());
    });
  cleanup.push(b.close);
  return b;
}

/** A UDP backend that answers `${id}:${datagram}`. */
async function udpBackend(id: string): Promise<{ id: string; ip: string; port: number; peers: Set<string>; close(): Promise<void> }> {
  const sock = dgram.createSocket('udp4');
  const peers = new Set<string>();
  sock.on('message', (m, r) => {
    peers.add(`${r.address}:${r.port}`);
    sock.send(`${id}:${m}`, r.port, r.address);
  });
  await new Promise<void>((r) => sock.bind(0, HOST_IP, r));
  let closed = false;
  const close = () => new Promise<void>((r) => (closed ? r() : ((closed = true), sock.close(() => r()))));
  cleanup.push(close);
  return { id, ip: HOST_IP!, port: sock.address().port, peers, close };
}

type ConnectResult = { ok: true; sock: net.Socket; first: string } | { ok: false; code: string };

/** Connects and reads the backend's name; `refused`/`reset` as codes; never hangs. */
function connect(port: number, host = '127.0.0.1', ms = 3000): Promise<ConnectResult> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host, allowHalfOpen: true });
    let buf = '';
    const done = (r: ConnectResult) => {
      clearTimeout(timer);
      sock.removeAllListeners('data');
      if (!r.ok) sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ ok: false, code: 'HANG' }), ms);
    sock.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, code: e.code ?? e.message }));
    sock.on('close', () => done({ ok: false, code: 'CLOSED' }));
    sock.on('data', (d) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        sock.removeAllListeners('close');
        sock.removeAllListeners('error');
        sock.on('error', () => undefined);
        cleanup.push(() => sock.destroy());
        done({ ok: true, sock, first: buf.slice(0, nl) });
      }
    });
  });
}

/** Which backend answers a new connection (and closes it). */
async function whoami(port: number, host = '127.0.0.1'): Promise<string> {
  const r = await connect(port, host);
  if (!r.ok) throw new Error(`connection to ${host}:${port}: ${r.code}`);
  r.sock.destroy();
  return r.first;
}

async function refused(port: number, host = '127.0.0.1'): Promise<boolean> {
  const r = await connect(port, host);
  if (r.ok) r.sock.destroy();
  return !r.ok && r.code === 'ECONNREFUSED';
}

/** Sends a line and reads the echo on an established connection. */
function echo(sock: net.Socket, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) {
        sock.off('data', onData);
        resolve(buf.trim());
      }
    };
    sock.on('data', onData);
    sock.once('close', () => reject(new Error('closed')));
    sock.write(`${line}\n`);
  });
}

interface PortDef {
  name?: string;
  port: number;
  protocol?: 'TCP' | 'UDP';
  nodePort?: number;
}

async function createService(name: string, ports: PortDef[], extra: Record<string, unknown> = {}): Promise<void> {
  await services.create('default', { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports, ...extra } });
  cleanup.push(() => services.delete('default', name).catch(() => undefined));
}

async function setPorts(name: string, ports: PortDef[], extra: Record<string, unknown> = {}): Promise<void> {
  const svc = await services.get('default', name);
  await services.update('default', { ...svc, spec: { ...(svc.spec as object), ports, ...extra } });
}

type Subset = { backends: { ip: string; port: number }[]; name?: string; protocol?: 'TCP' | 'UDP' };

/** Writes the Endpoints: each backend its own subset (backends differ in port). */
async function setEndpoints(name: string, ...sets: Subset[]): Promise<void> {
  const subsets = sets.flatMap((s) => s.backends.map((b) => ({ addresses: [{ ip: b.ip }], ports: [{ ...(s.name ? { name: s.name } : {}), port: b.port, protocol: s.protocol ?? 'TCP' }] })));
  await endpoints.update('default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'default' }, subsets });
  cleanup.push(() => endpoints.delete('default', name).catch(() => undefined));
}

async function proxy(name: string, extra: Partial<ServiceProxyOptions> = {}): Promise<{ proxy: ServiceProxy; logs: string[] }> {
  const logs: string[] = [];
  const p = await startServiceProxy({ client, namespace: 'default', name, host: '127.0.0.1', log: (m) => logs.push(m), ...extra });
  cleanup.push(() => p.close());
  return { proxy: p, logs };
}

// ---- tests --------------------------------------------------------------------------------------

describe.skipIf(!HOST_IP)('service proxy', () => {
  it('forwards TCP and balances connections round robin across the ready endpoints', async () => {
    const port = await freePort();
    const bs = await Promise.all(['a', 'b', 'c'].map((id) => tcpBackend(id)));
    await createService('rr', [{ name: 'http', port }]);
    await setEndpoints('rr', { name: 'http', backends: bs });
    const { logs } = await proxy('rr');
    expect(logs).toContain(`listening on TCP 127.0.0.1:${port} (port ${port}/TCP "http", 3 endpoints)`);
    const seen: string[] = [];
    for (let i = 0; i < 9; i++) seen.push(await whoami(port));
    expect(seen.slice(0, 3).sort()).toEqual(['a', 'b', 'c']);
    expect(seen.slice(3, 6)).toEqual(seen.slice(0, 3));
    expect(seen.slice(6, 9)).toEqual(seen.slice(0, 3));
    // Data goes both ways.
    const r = await connect(port);
    expect(r.ok && (await echo(r.sock, 'hello'))).toBe('hello');
  });

  it('refuses connections at once without ready endpoints, and listens while there are some', async () => {
    const port = await freePort();
    const a = await tcpBackend('a');
    await createService('flap', [{ port }]);
    const { logs } = await proxy('flap');
    // No Endpoints at all: nothing listens, the client is refused (not accepted and hung).
    expect(await connect(port)).toEqual({ ok: false, code: 'ECONNREFUSED' });

    await setEndpoints('flap', { backends: [a] });
    await waitFor('a listener', async () => (await connect(port)).ok);
    const kept = await connect(port);
    expect(kept.ok && kept.first).toBe('a');

    // Endpoints with no ready address: refused again, but the open connection lives on.
    await endpoints.update('default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'flap', namespace: 'default' }, subsets: [{ notReadyAddresses: [{ ip: a.ip }], ports: [{ port: a.port }] }] });
    await waitFor('the listener to go', () => refused(port));
    expect(kept.ok && (await echo(kept.sock, 'still here'))).toBe('still here');

    // Back again, then the Endpoints deleted.
    await setEndpoints('flap', { backends: [a] });
    expect(await waitFor('the listener back', () => whoami(port))).toBe('a');
    await endpoints.delete('default', 'flap');
    await waitFor('the listener to go', () => refused(port));
    expect(kept.ok && (await echo(kept.sock, 'and still'))).toBe('and still');
    expect(logs.filter((l) => l.startsWith('listening on') || l.startsWith('stopped listening'))).toEqual([
      `listening on TCP 127.0.0.1:${port} (port ${port}/TCP, 1 endpoint)`,
      `stopped listening on TCP 127.0.0.1:${port}: no ready endpoints`,
      `listening on TCP 127.0.0.1:${port} (port ${port}/TCP, 1 endpoint)`,
      `stopped listening on TCP 127.0.0.1:${port}: no ready endpoints`,
    ]);
  });

  it("on a node (nodePortsOnly): every Service's nodePorts, never their Service ports", async () => {
    const offset = 1000;
    const base = 30000 + Math.floor(Math.random() * 2600);
    const [np1, np2] = [base, base + 1];
    const clusterPort = (await freePort()) - offset;
    const a = await tcpBackend('a');
    const b = await tcpBackend('b');
    await createService('node-a', [{ port: clusterPort, nodePort: np1 }], { type: 'NodePort' });
    await createService('node-b', [{ name: 'http', port: clusterPort + 1, nodePort: np2 }], { type: 'NodePort' });
    await createService('node-c', [{ port: clusterPort + 2 }]);
    await setEndpoints('node-a', { backends: [a] });
    await setEndpoints('node-b', { name: 'http', backends: [b] });
    await setEndpoints('node-c', { backends: [a] });
    const logs: string[] = [];
    const p = await startServiceProxy({ client, nodePortsOnly: true, host: '127.0.0.1', portOffset: offset, log: (m) => logs.push(m) });
    cleanup.push(() => p.close());
    expect(await whoami(np1 + offset)).toBe('a');
    expect(await whoami(np2 + offset)).toBe('b');
    for (const port of [clusterPort, clusterPort + 1, clusterPort + 2]) expect(await refused(port + offset)).toBe(true);
    expect(logs).toContain(`listening on TCP 127.0.0.1:${np2 + offset} (nodePort of service default/node-b port ${clusterPort + 1}/TCP "http", 1 endpoint)`);

    // A Service that stops being a NodePort, and one deleted: their nodePorts close.
    await setPorts('node-b', [{ name: 'http', port: clusterPort + 1 }], { type: 'ClusterIP' });
    await waitFor('node-b nodePort to close', () => refused(np2 + offset));
    await services.delete('default', 'node-a');
    await waitFor('node-a nodePort to close', () => refused(np1 + offset));
    expect(logs).toContain(`stopped listening on TCP 127.0.0.1:${np1 + offset}: service deleted`);
    // A new NodePort Service is picked up.
    await setPorts('node-c', [{ port: clusterPort + 2, nodePort: np1 }], { type: 'NodePort' });
    expect(await waitFor('node-c nodePort', () => whoami(np1 + offset))).toBe('a');
  });

  it('follows Service port changes: ports added and removed, nodePorts, port offsets', async () => {
    const offset = 1000;
    const [p1, p2, np] = [(await freePort()) - offset, (await freePort()) - offset, 30000 + Math.floor(Math.random() * 2700)];
    const web = await tcpBackend('web');
    const admin = await tcpBackend('admin');
    await createService('ports', [{ name: 'web', port: p1 }]);
    await setEndpoints('ports', { name: 'web', backends: [web] }, { name: 'admin', backends: [admin] });
    const { logs } = await proxy('ports', { portOffset: offset });
    expect(await whoami(p1 + offset)).toBe('web');
    expect(await refused(p2 + offset)).toBe(true);

    // A second port: its target is the Endpoints port of the same name.
    await setPorts('ports', [{ name: 'web', port: p1 }, { name: 'admin', port: p2 }]);
    expect(await waitFor('the admin port', () => whoami(p2 + offset))).toBe('admin');
    const kept = await connect(p2 + offset);

    // NodePort: the nodePort is listened on too, for the same endpoints.
    await setPorts('ports', [{ name: 'web', port: p1, nodePort: np }, { name: 'admin', port: p2 }], { type: 'NodePort' });
    expect(await waitFor('the nodePort', () => whoami(np + offset))).toBe('web');
    expect(logs).toContain(`listening on TCP 127.0.0.1:${np + offset} (nodePort of port ${p1}/TCP "web", 1 endpoint)`);

    // Ports removed: their listeners close; connections already made go on.
    await setPorts('ports', [{ name: 'web', port: p1 }], { type: 'ClusterIP' });
    await waitFor('admin and the nodePort to close', async () => (await refused(p2 + offset)) && (await refused(np + offset)));
    expect(await whoami(p1 + offset)).toBe('web');
    expect(kept.ok && (await echo(kept.sock, 'ping'))).toBe('ping');
    expect(logs).toContain(`stopped listening on TCP 127.0.0.1:${p2 + offset}: port no longer in the Service`);

    // The Service deleted: nothing listens.
    await services.delete('default', 'ports');
    await waitFor('every port to close', () => refused(p1 + offset));
    expect(logs).toContain(`stopped listening on TCP 127.0.0.1:${p1 + offset}: service deleted`);
  });

  it('waits for a Service that does not exist yet, and retries a port that is taken', async () => {
    const port = await freePort();
    const a = await tcpBackend('a');
    const { logs } = await proxy('later');
    expect(logs).toEqual(['service default/later not found; waiting for it']);
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen({ port, host: '127.0.0.1' }, r));
    await createService('later', [{ port }]);
    await setEndpoints('later', { backends: [a] });
    await waitFor('a failed listen', () => logs.some((l) => l.startsWith(`cannot listen on TCP 127.0.0.1:${port} (port ${port}/TCP): listen EADDRINUSE`)));
    await new Promise<void>((r) => squatter.close(() => r()));
    expect(await waitFor('the listener', () => whoami(port))).toBe('a');
  });

  it('skips a backend that refuses, and resets the client when every backend does', async () => {
    const port = await freePort();
    const live = await tcpBackend('live');
    const dead = await tcpBackend('dead');
    await dead.close();
    await createService('dead', [{ port }]);
    await setEndpoints('dead', { backends: [live, dead] });
    const { logs } = await proxy('dead');
    for (let i = 0; i < 6; i++) expect(await whoami(port)).toBe('live');
    expect(live.hits).toBe(6);
    expect(logs.some((l) => l.includes(`backend ${HOST_IP}:${dead.port}: ECONNREFUSED; trying another`))).toBe(true);

    await live.close();
    const r = await connect(port);
    expect(r.ok).toBe(false);
    expect(['ECONNRESET', 'CLOSED']).toContain(!r.ok && r.code);
  });

  it('keeps a client on one backend with sessionAffinity ClientIP, until the timeout', async () => {
    const port = await freePort();
    const bs = await Promise.all(['a', 'b', 'c'].map((id) => tcpBackend(id)));
    await createService('sticky', [{ port }], { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 1 } } });
    await setEndpoints('sticky', { backends: bs });
    await proxy('sticky', { host: '0.0.0.0' });
    // Two client addresses: 127.0.0.1 and this machine's own.
    const first = await whoami(port, '127.0.0.1');
    const other = await whoami(port, HOST_IP);
    expect(other).not.toBe(first);
    for (let i = 0; i < 5; i++) {
      expect(await whoami(port, '127.0.0.1')).toBe(first);
      expect(await whoami(port, HOST_IP)).toBe(other);
    }
    // Idle past timeoutSeconds: the next connection is balanced again (to the next backend).
    await sleep(1200);
    const next = await whoami(port, '127.0.0.1');
    expect(next).not.toBe(first);
    expect(await whoami(port, '127.0.0.1')).toBe(next);
  });

  it('proxies UDP: a session per client, replies from the service port, idle sessions end', async () => {
    const port = await freePort();
    const bs = [await udpBackend('u1'), await udpBackend('u2')];
    await createService('dns', [{ name: 'dns', port, protocol: 'UDP' }]);
    await setEndpoints('dns', { name: 'dns', protocol: 'UDP', backends: bs });
    const { logs } = await proxy('dns', { udpIdleTimeoutMs: 300 });
    expect(logs).toContain(`listening on UDP 127.0.0.1:${port} (port ${port}/UDP "dns", 2 endpoints)`);

    const udpClient = async () => {
      const s = dgram.createSocket('udp4');
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
      cleanup.push(() => new Promise<void>((r) => s.close(() => r())));
      return s;
    };
    const ask = (s: dgram.Socket, msg: string) =>
      new Promise<{ text: string; from: number }>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no UDP reply')), 2000);
        s.once('message', (m, r) => {
          clearTimeout(t);
          resolve({ text: m.toString(), from: r.port });
        });
        s.send(msg, port, '127.0.0.1');
      });

    const c1 = await udpClient();
    const r1 = await ask(c1, 'q1');
    expect(r1.from).toBe(port);
    const [id1] = r1.text.split(':');
    expect(r1.text).toBe(`${id1}:q1`);
    // The same client address stays in its session (same backend, same backend-side socket).
    for (let i = 0; i < 3; i++) expect((await ask(c1, `q${i}`)).text).toBe(`${id1}:q${i}`);
    const b1 = bs.find((b) => b.id === id1)!;
    expect(b1.peers.size).toBe(1);

    // Another client: the next backend.
    const c2 = await udpClient();
    const r2 = await ask(c2, 'hi');
    expect(r2.text).not.toBe(`${id1}:hi`);
    expect(r2.from).toBe(port);

    // Idle beyond the timeout: a new session (a new socket towards the backends).
    const peers = () => bs.reduce((n, b) => n + b.peers.size, 0);
    expect(peers()).toBe(2);
    await sleep(500);
    expect((await ask(c1, 'again')).text).toMatch(/^u[12]:again$/);
    expect(peers()).toBe(3);

    // A backend gone from the Endpoints: its sessions end; the next datagram goes elsewhere.
    const c3 = await udpClient();
    const first = (await ask(c3, 'x')).text.split(':')[0];
    const keep = bs.find((b) => b.id !== first)!;
    await setEndpoints('dns', { name: 'dns', protocol: 'UDP', backends: [keep] });
    await waitFor('the session to move', async () => (await ask(c3, 'y')).text === `${keep.id}:y`);

    // No endpoints: the port closes (ICMP port unreachable: a connected client sees ECONNREFUSED).
    await endpoints.delete('default', 'dns');
    await waitFor('the UDP listener to close', () => logs.includes(`stopped listening on UDP 127.0.0.1:${port}: no ready endpoints`));
    const c4 = dgram.createSocket('udp4');
    const err = await new Promise<string>((resolve) => {
      const again = setInterval(() => c4.send('z', () => undefined), 50);
      c4.on('error', (e: NodeJS.ErrnoException) => {
        clearInterval(again);
        resolve(e.code ?? e.message);
      });
      c4.connect(port, '127.0.0.1', () => c4.send('z', () => undefined));
    });
    c4.close();
    expect(err).toBe('ECONNREFUSED');
  });

  it('passes half-closes and resets through', async () => {
    const port = await freePort();
    // A backend that answers once the client has finished sending (needs the half-close).
    const socks = new Set<net.Socket>();
    const srv = net.createServer({ allowHalfOpen: true }, (s) => {
      socks.add(s);
      let n = 0;
      s.on('data', (d) => {
        n += d.length;
        if (d.includes('RESET')) s.resetAndDestroy();
      });
      s.on('error', () => undefined);
      s.on('end', () => s.end(`got ${n} bytes\n`));
    });
    await new Promise<void>((r) => srv.listen({ port: 0, host: HOST_IP }, r));
    cleanup.push(() => new Promise<void>((r) => (socks.forEach((s) => s.destroy()), srv.close(() => r()))));
    await createService('half', [{ port }]);
    await setEndpoints('half', { backends: [{ ip: HOST_IP!, port: (srv.address() as net.AddressInfo).port }] });
    await proxy('half');

    const answer = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      let buf = '';
      s.on('data', (d) => (buf += d));
      s.on('end', () => resolve(buf));
      s.on('error', reject);
      s.end('x'.repeat(1000));
    });
    expect(answer).toBe('got 1000 bytes\n');

    const code = await new Promise<string>((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1' });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      s.on('close', () => resolve('CLOSED'));
      s.write('RESET');
    });
    expect(code).toBe('ECONNRESET');
  });

  it('pipes 50 MB both ways, and leaves no handle open once closed', async () => {
    const port = await freePort();
    const sockets = () => process.getActiveResourcesInfo().filter((r) => /TCP|UDP|Pipe|Timeout/.test(r)).length;
    const echoSrv = net.createServer({ allowHalfOpen: true }, (s) => s.pipe(s));
    await new Promise<void>((r) => echoSrv.listen({ port: 0, host: HOST_IP }, r));
    const udpEcho = await udpBackend('e');
    await createService('bulk', [{ name: 'tcp', port }, { name: 'udp', port, protocol: 'UDP' }]);
    await setEndpoints('bulk', { name: 'tcp', backends: [{ ip: HOST_IP!, port: (echoSrv.address() as net.AddressInfo).port }] }, { name: 'udp', protocol: 'UDP', backends: [udpEcho] });
    // Its own API client, so that its keep-alive connections go with it.
    const own = new ApiClient({ server: server.url, token: 'tok' });
    await sleep(100);
    const baseline = sockets();
    const p = await startServiceProxy({ client: own, namespace: 'default', name: 'bulk', host: '127.0.0.1', log: () => undefined });

    const size = 50 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31) & 255;
    const sent = createHash('sha256');
    const got = createHash('sha256');
    const received = await new Promise<number>((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      let n = 0;
      s.on('data', (d) => {
        n += d.length;
        got.update(d);
      });
      s.on('end', () => {
        s.end();
        resolve(n);
      });
      s.on('error', reject);
      let written = 0;
      const write = () => {
        while (written < size) {
          written += chunk.length;
          sent.update(chunk);
          if (!s.write(chunk)) return void s.once('drain', write);
        }
        s.end();
      };
      write();
    });
    expect(received).toBe(size);
    expect(got.digest('hex')).toBe(sent.digest('hex'));

    // A connection and a UDP session still open when the proxy stops: both end with it.
    const open = await new Promise<net.Socket>((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(s));
    });
    const openClosed = new Promise((r) => open.on('close', r).on('error', () => undefined));
    const u = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => {
      u.once('message', () => resolve());
      u.send('hello', port, '127.0.0.1');
    });
    await new Promise<void>((r) => u.close(() => r()));

    await p.close();
    await own.close();
    await openClosed;
    await waitFor(`open handles back to ${baseline}`, () => sockets() <= baseline);
    await new Promise<void>((r) => echoSrv.close(() => r()));
    await udpEcho.close();
  });
});
