// Connection settings shared by every kubectl-style verb: kubeconfig, context, namespace.
import { ApiClient, kubeconfigPaths, loadKubeconfig, resolveContext, type ResolvedContext } from '@minik/api';
import { Discovery } from './discovery.js';

export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  server?: string;
  token?: string;
  requestTimeout?: string;
}

export class Kube {
  readonly client: ApiClient;
  readonly namespace: string;
  /** -n was given (objects from files in another namespace are then an error). */
  readonly explicitNamespace: boolean;
  readonly resolved: ResolvedContext;
  private disc?: Discovery;

  constructor(opts: GlobalOptions) {
    const cfg = loadKubeconfig(kubeconfigPaths(opts.kubeconfig));
    this.resolved = resolveContext(cfg, { context: opts.context, namespace: opts.namespace, server: opts.server, token: opts.token });
    const timeout = opts.requestTimeout && opts.requestTimeout !== '0' ? parseTimeout(opts.requestTimeout) : undefined;
    this.client = new ApiClient({ ...this.resolved.client, userAgent: 'minik', timeoutMs: timeout });
    this.client.onWarning = (w) => process.stderr.write(`Warning: ${w}\n`);
    this.namespace = this.resolved.namespace;
    this.explicitNamespace = !!opts.namespace;
  }

  get discovery(): Discovery {
    return (this.disc ??= new Discovery(this.client));
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function parseTimeout(s: string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(s.trim());
  if (!m) return 30_000;
  const n = Number(m[1]);
  return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000);
}
