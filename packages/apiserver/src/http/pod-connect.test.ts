// pods/log, pods/exec and pods/attach through a real apiserver to a fake node agent: container
// validation messages, the agent URL and token, error mapping, streaming, the upgrade splice,
// authentication of upgrades, and what clients get without an upgrade.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, Channel, acceptWebSocket, channelMessage, openRemoteCommand, streamRemoteCommand, successStatusJson, type KubeObject } from '@minik/api';
import { startApiserver, type RunningApiserver } from '../apiserver.js';
import { logContainer, logQuery, streamContainer } from './pod-connect-target.js';
import { agentPortForwardPath, agentStreamPath } from './pod-connect-upgrade.js';
import type { Pod } from 'kubernetes-types/core/v1.js';

const pod = (containers: string[], inits: string[] = [], extra: object = {}): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u-1' },
  spec: { nodeName: 'n1', containers: containers.map((name) => ({ name })), initContainers: inits.map((name) => ({ name })), ...extra },
});

describe('container validation (kube-apiserver’s messages)', () => {
  it('logs: defaults a single container, lists all for several', () => {
    expect(logContainer(pod(['a']), undefined)).toBe('a');
    expect(() => logContainer(pod(['a', 'b'], ['i']), undefined)).toThrow('a container name must be specified for pod p, choose one of: [i a b]');
    expect(() => logContainer(pod(['a']), 'z')).toThrow('container z is not valid for pod p');
    expect(logContainer(pod(['a'], ['i']), 'i')).toBe('i');
  });

  it('exec/attach: init containers listed apart', () => {
    expect(() => streamContainer(pod(['a', 'b'], ['i']), undefined)).toThrow('a container name must be specified for pod p, choose one of: [a b] or one of the init containers: [i]');
    expect(agentStreamPath(pod(['a']), 'exec', new URLSearchParams('command=sh&command=-c&command=echo hi&stdin=true&stdout=true&tty=false'))).toBe(
      '/exec/default/p/u-1/a?stdin=1&stdout=1&command=sh&command=-c&command=echo+hi',
    );
    expect(() => agentStreamPath(pod(['a'], [], { nodeName: '' }), 'attach', new URLSearchParams())).toThrow('pod p does not have a host assigned');
  });

  it('portforward: ports (repeated or comma-separated) become kubelet’s port parameters', () => {
    expect(agentPortForwardPath(pod(['a']), new URLSearchParams('ports=8080,9090&ports=53'))).toBe('/portForward/default/p/u-1?port=8080&port=9090&port=53');
    expect(agentPortForwardPath(pod(['a']), new URLSearchParams())).toBe('/portForward/default/p/u-1');
    expect(() => agentPortForwardPath(pod(['a']), new URLSearchParams('ports=http'))).toThrow('ports: strconv.ParseInt: parsing "http": invalid syntax');
    expect(() => agentPortForwardPath(pod(['a'], [], { nodeName: '' }), new URLSearchParams('ports=80'))).toThrow('pod p does not have a host assigned');
  });

  it('log options: validated, passed on in kubelet’s form', () => {
    expect(logQuery({ follow: 'true', tailLines: '10', sinceTime: '2024-08-30T06:00:00.5Z', timestamps: '1' }, 'p').toString()).toBe(
      'follow=true&timestamps=true&sinceTime=2024-08-30T06%3A00%3A00Z&tailLines=10',
    );
    expect(() => logQuery({ tailLines: '-1' }, 'p')).toThrow('PodLogOptions "p" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0');
    expect(() => logQuery({ limitBytes: '0' }, 'p')).toThrow('limitBytes: Invalid value: 0: must be greater than 0');
    expect(() => logQuery({ follow: 'yes' }, 'p')).toThrow('strconv.ParseBool');
  });
});

// ---- through a real apiserver ----

interface Seen {
  url?: string;
  auth?: string;
}
let dir: string;
let server: RunningApiserver;
let client: ApiClient;
let agent: http.Server;
const seen: Seen = {};

function fakeAgent(): http.Server {
  return http
    .createServer((req, res) => {
      seen.url = req.url;
      seen.auth = req.headers.authorization;
      if (req.url!.includes('/missing')) {
        res.writeHead(400);
        return res.end('container "missing" in pod "p" is waiting to start: ContainerCreating');
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('one\n');
      if (!req.url!.includes('follow=true')) return res.end('two\n');
      const t = setInterval(() => res.write('tick\n'), 20);
      res.on('close', () => clearInterval(t));
    })
    .on('upgrade', (req, socket, head) => {
      seen.url = req.url;
      seen.auth = req.headers.authorization;
      if (req.headers.upgrade !== 'websocket') {
        socket.end('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 25\r\n\r\ncontainer not found ("a")');
        return;
      }
      const ws = acceptWebSocket(req, socket, head, ['v5.channel.k8s.io'])!;
      ws.on('message', (d) => {
        if (d[0] === Channel.stdin) ws.send(channelMessage(Channel.stdout, d.subarray(1)));
        if (d[0] === Channel.close) {
          ws.send(channelMessage(Channel.error, Buffer.from(successStatusJson())));
          ws.close();
        }
      });
    });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minik-connect-'));
  server = await startApiserver({ dataDir: dir, port: 0, token: 'tok', historySize: 50, log: () => {} });
  client = new ApiClient({ server: server.url, token: 'tok' });
  agent = fakeAgent();
  await new Promise<void>((r) => agent.listen(0, '127.0.0.1', r));
  const port = (agent.address() as AddressInfo).port;
  const nodes = client.resource({ group: '', version: 'v1', resource: 'nodes' });
  await nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
  await nodes.patch(undefined, 'n1', { status: { daemonEndpoints: { kubeletEndpoint: { Port: port } } } }, 'merge', { subresource: 'status' });
  const pods = client.resource({ group: '', version: 'v1', resource: 'pods' });
  const mk = (name: string, containers: string[], nodeName?: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { ...(nodeName ? { nodeName } : {}), containers: containers.map((c) => ({ name: c, image: 'x' })) },
  });
  await pods.create('default', mk('one', ['a'], 'n1'));
  await pods.create('default', mk('two', ['a', 'b'], 'n1'));
  await pods.create('default', mk('unscheduled', ['a']));
});
afterAll(async () => {
  await client.close();
  await server.close();
  agent.closeAllConnections();
  await new Promise((r) => agent.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('pods/log', () => {
  it('proxies to the agent with its token and the pod uid; plain text back', async () => {
    const text = await client.request<string>('GET', '/api/v1/namespaces/default/pods/one/log', { query: { tailLines: 5 }, text: true });
    expect(text).toBe('one\ntwo\n');
    expect(seen.url).toMatch(/^\/containerLogs\/default\/one\/a\?tailLines=5&podUID=[0-9a-f-]{36}$/);
    expect(seen.auth).toBe('Bearer tok');
  });

  it('streams while following, and stops when the client goes', async () => {
    const abort = new AbortController();
    const body = await client.stream('/api/v1/namespaces/default/pods/one/log', { query: { follow: 'true' }, signal: abort.signal });
    let got = '';
    try {
      for await (const c of body) {
        got += c;
        if (got.split('tick').length > 3) abort.abort();
      }
    } catch {
      /* aborted */
    }
    expect(got.startsWith('one\ntick\ntick\n')).toBe(true);
  });

  it('answers kube-apiserver’s errors', async () => {
    await expect(client.request('GET', '/api/v1/namespaces/default/pods/two/log')).rejects.toMatchObject({
      status: { code: 400, reason: 'BadRequest', message: 'a container name must be specified for pod two, choose one of: [a b]' },
    });
    // The agent's 400 becomes a BadRequest with its text.
    await client.resource({ group: '', version: 'v1', resource: 'pods' }).create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'missing' }, spec: { nodeName: 'n1', containers: [{ name: 'a', image: 'x' }] } });
    await expect(client.request('GET', '/api/v1/namespaces/default/pods/missing/log')).rejects.toMatchObject({
      status: { code: 400, reason: 'BadRequest', message: 'container "missing" in pod "p" is waiting to start: ContainerCreating' },
    });
    expect(await client.request('GET', '/api/v1/namespaces/default/pods/unscheduled/log', { text: true })).toBe('');
    await expect(client.request('GET', '/api/v1/namespaces/default/pods/one/exec')).rejects.toMatchObject({ status: { code: 400, message: 'Upgrade request required' } });
  });
});

describe('pods/exec and pods/attach upgrades', () => {
  it('splices the WebSocket through to the agent', async () => {
    const ws = await openRemoteCommand({ client: { server: server.url, token: 'tok', insecureSkipTLSVerify: true }, path: '/api/v1/namespaces/default/pods/one/exec', query: [['command', 'cat'], ['stdin', 'true'], ['stdout', 'true']] });
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    const stdin = new PassThrough();
    const run = streamRemoteCommand(ws, { stdin, stdout: out });
    stdin.end('ping');
    await run;
    expect(text).toBe('ping');
    expect(seen.url).toMatch(/^\/exec\/default\/one\/[0-9a-f-]{36}\/a\?stdin=1&stdout=1&command=cat$/);
    expect(seen.auth).toBe('Bearer tok');
  });

  it('authenticates and validates before reaching the agent', async () => {
    const dial = (path: string, token = 'tok') => openRemoteCommand({ client: { server: server.url, token, insecureSkipTLSVerify: true }, path, query: [['command', 'x'], ['stdout', 'true']] });
    await expect(dial('/api/v1/namespaces/default/pods/one/exec', 'bad')).rejects.toMatchObject({ status: { code: 401, reason: 'Unauthorized' } });
    await expect(dial('/api/v1/namespaces/default/pods/nope/exec')).rejects.toMatchObject({ status: { code: 404, message: 'pods "nope" not found' } });
    await expect(dial('/api/v1/namespaces/default/pods/two/attach')).rejects.toMatchObject({ status: { code: 400, message: 'a container name must be specified for pod two, choose one of: [a b]' } });
    await expect(dial('/api/v1/namespaces/default/pods/unscheduled/exec')).rejects.toMatchObject({ status: { message: 'pod unscheduled does not have a host assigned' } });
  });

  it('passes other upgrades (SPDY) through, so the agent’s refusal reaches the client', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const u = new URL(`${server.url}/api/v1/namespaces/default/pods/one/exec?command=true&stdout=true`);
      const mod = u.protocol === 'https:' ? https : http;
      const req = mod.request(u, { method: 'POST', rejectUnauthorized: false, headers: { authorization: 'Bearer tok', connection: 'Upgrade', upgrade: 'SPDY/3.1' } });
      req.on('response', resolve);
      req.on('error', reject);
      req.end();
    });
    let body = '';
    for await (const c of res) body += c;
    expect([res.statusCode, body]).toEqual([500, 'container not found ("a")']);
  });
});
