// Shared pieces of minik's controllers: they run in the apiserver process but, like
// kube-controller-manager, see the cluster only through the API client.
import { ApiClient, ApiError, Informer, type KubeObject, type ResourceClient } from '@minik/api';
import { RESOURCES, type ResourceDef } from '../registry/resources.js';

export interface ControllerContext {
  client: ApiClient;
  log: (msg: string) => void;
  /** Informers shared by every controller, one per resource (like a SharedInformerFactory). */
  informer(group: string, resource: string): Informer<KubeObject>;
  resource(group: string, resource: string): ResourceClient<KubeObject>;
}

export interface Controller {
  name: string;
  start(): void;
  stop(): void;
}

export function createContext(client: ApiClient, log: (msg: string) => void): ControllerContext & { startInformers(): void; stopInformers(): void; synced(): Promise<void> } {
  const informers = new Map<string, Informer<KubeObject>>();
  const resource = (group: string, res: string) => {
    const def = RESOURCES.find((r) => r.group === group && r.resource === res);
    if (!def) throw new Error(`unknown resource ${res}.${group}`);
    return client.resource({ group: def.group, version: def.version, resource: def.resource });
  };
  let started = false;
  return {
    client,
    log,
    resource,
    informer(group, res) {
      const key = `${res}.${group}`;
      let inf = informers.get(key);
      if (!inf) {
        inf = new Informer(resource(group, res));
        inf.onError = (e) => log(`informer ${key}: ${(e as Error).message}`);
        informers.set(key, inf);
        if (started) inf.start();
      }
      return inf;
    },
    startInformers() {
      started = true;
      for (const i of informers.values()) i.start();
    },
    stopInformers() {
      for (const i of informers.values()) i.stop();
    },
    async synced() {
      await Promise.all([...informers.values()].map((i) => i.synced));
    },
  };
}

export function isNotFound(e: unknown): boolean {
  return e instanceof ApiError && e.code === 404;
}

export function isConflict(e: unknown): boolean {
  return e instanceof ApiError && e.code === 409;
}

export function defForKind(apiVersion: string | undefined, kind: string | undefined): ResourceDef | undefined {
  if (!apiVersion || !kind) return undefined;
  const i = apiVersion.indexOf('/');
  const group = i < 0 ? '' : apiVersion.slice(0, i);
  return RESOURCES.find((r) => r.group === group && r.kind === kind);
}
