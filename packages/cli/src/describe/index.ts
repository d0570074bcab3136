// Which describer serves which kind (describe.go's describerMap); other kinds get the generic one.
import type { ApiResource } from '../discovery.js';
import { fetchDeployment, fetchReplicaSet } from './apps.js';
import { fetchConfigMap, fetchNamespace, fetchSecret, fetchServiceAccount } from './config.js';
import { CORE, listAll, type DescribeContext } from './context.js';
import { describeEvents, eventFieldSelector, searchEvents } from './events.js';
import { fetchGeneric } from './generic.js';
import { fetchNode } from './node.js';
import { describePod } from './pod.js';
import { fetchEndpoints, fetchService } from './service.js';
import { LEVEL_0, tabbedString } from './writer.js';
import type { Obj } from './format.js';

export type { DescribeContext, DescribeSettings } from './context.js';

type Fetcher = (ctx: DescribeContext, namespace: string, name: string) => Promise<string>;

const MIRROR_POD = 'kubernetes.io/config.mirror';

async function fetchPod(ctx: DescribeContext, namespace: string, name: string): Promise<string> {
  let pod: Obj;
  try {
    pod = await ctx.client.resource(CORE('pods')).get(namespace, name);
  } catch (err) {
    // A deleted pod's events outlive it: kubectl shows them with the error.
    if (ctx.settings.showEvents) {
      const events = await listAll(ctx, CORE('events'), namespace || undefined, { fieldSelector: eventFieldSelector({ name, namespace }) }).catch(() => []);
      if (events.length) {
        return tabbedString((w) => {
          w.write(LEVEL_0, `Pod '${name}': error '${(err as Error).message}', but found events.\n`);
          describeEvents(events, w, ctx.now);
        });
      }
    }
    throw err;
  }
  let events: Obj[] | undefined;
  if (ctx.settings.showEvents) {
    const uid = pod?.metadata?.annotations?.[MIRROR_POD] ?? pod?.metadata?.uid;
    events = await searchEvents(ctx, { name: pod?.metadata?.name ?? name, namespace: pod?.metadata?.namespace ?? namespace, uid }).catch(() => []);
  }
  return describePod(pod, events, ctx.now);
}

const DESCRIBERS: Record<string, Fetcher> = {
  '/Pod': fetchPod,
  '/Service': fetchService,
  '/Endpoints': fetchEndpoints,
  '/Node': fetchNode,
  '/Namespace': fetchNamespace,
  '/ConfigMap': fetchConfigMap,
  '/Secret': fetchSecret,
  '/ServiceAccount': fetchServiceAccount,
  'apps/Deployment': fetchDeployment,
  'apps/ReplicaSet': fetchReplicaSet,
};

/** Describes one object: the kind's describer, else the generic one. */
export function describeObject(ctx: DescribeContext, r: ApiResource, namespace: string, name: string): Promise<string> {
  const fetch = DESCRIBERS[`${r.group}/${r.kind}`];
  const ns = r.namespaced ? namespace : '';
  return fetch ? fetch(ctx, ns, name) : fetchGeneric(ctx, r, ns, name);
}
