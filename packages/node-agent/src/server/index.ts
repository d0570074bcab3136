// The agent's own API (kubelet's port 10250 role): container logs, exec and attach for the
// apiserver to proxy. Listens on loopback only and requires the cluster token.
import type { Docker } from '../docker/index.js';
import type { RuntimeView } from '../runtime.js';

export interface AgentServerOptions {
  docker: Docker;
  runtime: RuntimeView;
  /** Bearer token the apiserver presents. */
  token: string;
  host?: string;
  port?: number;
  log: (msg: string) => void;
}

export interface AgentServer {
  port: number;
  close(): Promise<void>;
}

export async function startAgentServer(_opts: AgentServerOptions): Promise<AgentServer> {
  return { port: 0, close: async () => {} };
}
