// What a describer needs besides the object: the client, kubectl's DescriberSettings, and
// chunked lists (kubectl follows `continue` with limit=500).
import { ApiError, type ApiClient, type GroupVersionResource, type KubeObject, type ListOptions } from '@minik/api';

export interface DescribeSettings {
  showEvents: boolean;
  chunkSize: number;
}

export interface DescribeContext {
  client: ApiClient;
  settings: DescribeSettings;
  /** Clock for ages (injected by tests). */
  now: number;
}

export const CORE = (resource: string): GroupVersionResource => ({ group: '', version: 'v1', resource });
export const APPS = (resource: string): GroupVersionResource => ({ group: 'apps', version: 'v1', resource });

/** Lists every item of a collection, a chunk at a time. */
export async function listAll<T extends KubeObject = KubeObject>(
  ctx: DescribeContext,
  gvr: GroupVersionResource,
  namespace: string | undefined,
  opts: Omit<ListOptions, 'limit' | 'continue'> = {},
): Promise<T[]> {
  const rc = ctx.client.resource<T>(gvr);
  const items: T[] = [];
  let cont: string | undefined;
  do {
    const list = await rc.list(namespace, { ...opts, limit: ctx.settings.chunkSize || undefined, continue: cont }).catch((e) => {
      throw enhanceListError(e, opts, gvr.resource);
    });
    items.push(...(list.items ?? []));
    cont = list.metadata?.continue || undefined;
  } while (cont);
  return items;
}

/** runtimeresource.EnhanceListError: says what was being listed, keeping the server's reason. */
function enhanceListError(e: unknown, opts: Omit<ListOptions, 'limit' | 'continue'>, subject: string): unknown {
  if (!(e instanceof ApiError) || (e.code !== 400 && e.code !== 404)) return e;
  const message =
    !opts.labelSelector && !opts.fieldSelector
      ? `Unable to list "${subject}": ${e.status.message ?? ''}`
      : `Unable to find "${subject}" that match label selector "${opts.labelSelector ?? ''}", field selector "${opts.fieldSelector ?? ''}": ${e.status.message ?? ''}`;
  return new ApiError({ ...e.status, message });
}
