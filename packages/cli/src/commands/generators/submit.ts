// The part every generator shares once its object is built: --save-config's annotation,
// then --dry-run=client (nothing sent) or a POST (with ?dryRun=All for server), as kubectl's
// typed clients send it.
import { ApiError, type GroupVersionResource, type KubeObject } from '@minik/api';
import { CliError } from '../../errors.js';
import type { DryRun } from '../common.js';
import type { GenContext } from './cli.js';
import { goJSON, toTyped } from './typed.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export const RESOURCES = {
  pods: { group: '', version: 'v1', resource: 'pods' },
  services: { group: '', version: 'v1', resource: 'services' },
  configmaps: { group: '', version: 'v1', resource: 'configmaps' },
  secrets: { group: '', version: 'v1', resource: 'secrets' },
  namespaces: { group: '', version: 'v1', resource: 'namespaces' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
} satisfies Record<string, GroupVersionResource>;

/**
 * util.CreateApplyAnnotation: the typed object, without the annotation, as compact JSON
 * plus json.Encoder's newline.
 */
export function withApplyAnnotation(obj: KubeObject): KubeObject {
  const out = structuredClone(obj);
  const annotations = { ...(out.metadata?.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  out.metadata = { ...out.metadata, annotations };
  const json = goJSON(toTyped(out)) + '\n';
  out.metadata.annotations = { ...annotations, [LAST_APPLIED]: json };
  return out;
}

export interface Submission {
  obj: KubeObject;
  gvr: GroupVersionResource;
  /** The namespace of the request path; undefined for cluster-scoped kinds. */
  namespace?: string;
  dryRun: DryRun;
  fieldManager: string;
  /** Sent as ?fieldValidation= by the verbs that have --validate (create). */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** Some verbs wrap the server's error: `failed to create deployment: ` (kept verbatim, even without a colon). */
  errorPrefix?: string;
}

/** Sends the object (unless --dry-run=client) and returns what is to be printed. */
export async function submit(ctx: GenContext, s: Submission): Promise<KubeObject> {
  if (s.dryRun === 'client') return s.obj;
  try {
    const created = await ctx.kube.client.resource(s.gvr).create(s.namespace, toTyped(s.obj), {
      dryRun: s.dryRun === 'server',
      fieldManager: s.fieldManager,
      fieldValidation: s.fieldValidation,
    });
    // Typed clients know the kind even when a server leaves it out.
    return { ...created, apiVersion: s.obj.apiVersion, kind: s.obj.kind };
  } catch (e) {
    if (s.errorPrefix && e instanceof ApiError) throw new CliError(`error: ${s.errorPrefix}${e.message}`);
    throw e;
  }
}
