// pods/log, pods/exec, pods/attach: served by the node agent the pod runs on, proxied here
// (kube-apiserver proxies the same requests to the kubelet).
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError, errors, type KubeObject } from '@minik/api';
import type { Registry } from '../registry/index.js';
import type { RequestTarget } from './rest.js';
import { agentError, agentPort, logContainer, logQuery } from './pod-connect-target.js';
import { registerUpgrades } from './pod-connect-upgrade.js';

export interface PodConnectOptions {
  registry: Registry;
  /** The token the apiserver presents to node agents. */
  agentToken?: string;
  /** Bearer token clients must present on upgrade requests (exec/attach). */
  token?: string;
}

/** Handles GET pods/log (plain HTTP, streamed). */
export async function podConnect(req: FastifyRequest, reply: FastifyReply, t: RequestTarget, obj: KubeObject, opts: PodConnectOptions): Promise<void> {
  if (t.subresource !== 'log') {
    // exec, attach and portforward only exist as upgrades (handled on the raw server).
    throw errors.badRequest('Upgrade request required');
  }
  if (req.method !== 'GET') throw errors.methodNotSupported({ group: '', resource: 'pods/log' }, req.method.toLowerCase());
  const pod = obj as Pod;
  const q = req.query as Record<string, string | undefined>;
  const name = pod.metadata?.name ?? '';
  const container = logContainer(pod, q.container);
  const query = logQuery(q, name);
  // Not scheduled yet: kube-apiserver answers with an empty log.
  if (!pod.spec?.nodeName) return reply.type('text/plain').send('');
  const port = agentPort(opts.registry, pod.spec.nodeName);
  query.set('podUID', pod.metadata?.uid ?? '');
  const path = `/containerLogs/${[pod.metadata!.namespace!, name, container].map(encodeURIComponent).join('/')}?${query}`;

  const agentReq = http.request({
    host: '127.0.0.1',
    port,
    path,
    method: 'GET',
    headers: opts.agentToken ? { authorization: `Bearer ${opts.agentToken}` } : {},
    agent: false,
  });
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    agentReq.once('response', resolve);
    agentReq.once('error', (e: NodeJS.ErrnoException) => {
      // Not a Status from anyone: kube-apiserver reports such errors with an empty reason.
      const why = e.code === 'ECONNREFUSED' ? `dial tcp 127.0.0.1:${port}: connect: connection refused` : e.message;
      reject(new ApiError({ ...errors.internal('').status, reason: undefined, message: `Get "http://127.0.0.1:${port}${path}": ${why}` }));
    });
    agentReq.end();
  });
  if (res.statusCode !== 200) {
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    throw agentError(res.statusCode ?? 500, Buffer.concat(chunks).toString('utf8'), name);
  }

  // Streamed as the agent sends it (chunked), until it ends or the client goes away.
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-cache, private' });
  out.flushHeaders();
  const stop = () => {
    agentReq.destroy();
    res.destroy();
  };
  out.once('close', stop);
  res.on('error', () => out.destroy());
  res.pipe(out);
}

/** Handles WebSocket upgrades for pods/exec and pods/attach on the raw server. */
export function registerPodUpgrades(app: FastifyInstance, opts: PodConnectOptions): void {
  registerUpgrades(app.server, opts);
}
