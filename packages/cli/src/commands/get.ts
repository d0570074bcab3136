import type { Action } from '../main.js';
export const get: Action = async (kube, args) => {
  const r = await kube.discovery.resolve(args[0]);
  const list = await kube.client.resource(r).list(r.namespaced ? kube.namespace : undefined);
  for (const i of list.items) console.log(i.metadata?.name);
};
