// `minik apply -f`: client-side apply as kubectl does it — the last-applied-configuration
// annotation and a three-way strategic merge patch (original, modified, live).
import { ApiError, createThreeWayMergePatch, createThreeWayJsonMergePatch, isStrategicMergeKind, type KubeObject } from '@minik/api';
import type { Action } from '../main.js';
import type { Kube } from '../context.js';
import { readManifests, checkTypeMeta, type ManifestObject } from '../manifest.js';
import { CliError, ContextualError, formatError, usageError } from '../errors.js';
import { asArray, namespaceFor, parseDryRun, printOperation, type DryRun } from './common.js';
import { printResultObjects, wantsObjectOutput } from './output.js';
import type { ApiResource } from '../discovery.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** kubectl's `--validate` values map to the server's fieldValidation. */
export function fieldValidation(v: unknown): 'Strict' | 'Warn' | 'Ignore' {
  const s = v === undefined || v === true ? 'strict' : String(v).toLowerCase();
  if (s === 'strict' || s === 'true') return 'Strict';
  if (s === 'warn') return 'Warn';
  if (s === 'ignore' || s === 'false') return 'Ignore';
  throw usageError(`invalid - validate option "${String(v)}"; must be one of: strict (or true), warn, ignore (or false)`);
}

export async function resourceFor(kube: Kube, m: ManifestObject): Promise<ApiResource> {
  checkTypeMeta(m);
  const { apiVersion, kind } = m.obj as { apiVersion: string; kind: string };
  const r = await kube.discovery.forKind(apiVersion, kind);
  if (!r) {
    throw new CliError(
      `error: resource mapping not found for name: "${m.obj.metadata?.name ?? ''}" namespace: "${m.obj.metadata?.namespace ?? ''}" from "${m.source}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`,
    );
  }
  return r;
}

/** The file's object with the annotation kubectl keeps: the object itself, as JSON. */
export function withLastApplied(obj: KubeObject): KubeObject {
  const copy: KubeObject = structuredClone(obj);
  copy.metadata ??= {};
  const annotations = { ...(copy.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  copy.metadata.annotations = annotations;
  const json = JSON.stringify(copy) + '\n';
  copy.metadata.annotations = { ...annotations, [LAST_APPLIED]: json };
  return copy;
}

function isEmptyPatch(p: unknown): boolean {
  return !!p && typeof p === 'object' && Object.keys(p as object).length === 0;
}

async function applyOne(kube: Kube, m: ManifestObject, dryRun: DryRun, validation: string, opts: Record<string, unknown>): Promise<KubeObject | undefined> {
  const r = await resourceFor(kube, m);
  const ns = namespaceFor(kube, r, m.obj);
  const obj = structuredClone(m.obj);
  obj.metadata ??= {};
  if (ns) obj.metadata.namespace = ns;
  const name = obj.metadata.name;
  if (!name) throw new CliError(`error: error when retrieving current configuration of:\nResource: "${r.group ? `${r.group}/${r.version}` : r.version}, Resource=${r.resource}", GroupVersionKind: "${obj.apiVersion}, Kind=${obj.kind}"\nName: "", Namespace: "${ns ?? ''}"\nfrom server for: "${m.source}": resource name may not be empty`);
  const modified = withLastApplied(obj);
  const rc = kube.client.resource(r);
  const writeOpts = { dryRun: dryRun === 'server', fieldManager: 'kubectl-client-side-apply', fieldValidation: validation as 'Strict' };
  for (let attempt = 0; ; attempt++) {
    let current: KubeObject | undefined;
    try {
      current = await rc.get(ns, name);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
    }
    if (!current) {
      if (dryRun === 'client') {
        printOperation(r, name, 'created', opts, dryRun);
        return modified;
      }
      let created: KubeObject;
      try {
        created = await rc.create(ns, modified, writeOpts);
      } catch (e) {
        if (e instanceof ApiError && e.code === 409 && e.reason === 'AlreadyExists' && attempt < 3) continue;
        throw new ContextualError(`error when creating "${m.source}"`, e);
      }
      if (!wantsObjectOutput(opts)) printOperation(r, name, 'created', opts, dryRun);
      return created;
    }
    const originalText = current.metadata?.annotations?.[LAST_APPLIED];
    let original: KubeObject | undefined;
    try {
      original = originalText ? (JSON.parse(originalText) as KubeObject) : undefined;
    } catch {
      original = undefined;
    }
    const strategic = isStrategicMergeKind(r.kind);
    const patch = strategic ? createThreeWayMergePatch(original, modified, current, r.kind) : createThreeWayJsonMergePatch(original, modified, current);
    if (isEmptyPatch(patch)) {
      if (!wantsObjectOutput(opts)) printOperation(r, name, 'unchanged', opts, dryRun);
      return current;
    }
    if (dryRun === 'client') {
      printOperation(r, name, 'configured', opts, dryRun);
      return current;
    }
    try {
      const patched = await rc.patch(ns, name, patch, strategic ? 'strategic' : 'merge', writeOpts);
      if (!wantsObjectOutput(opts)) printOperation(r, name, 'configured', opts, dryRun);
      return patched;
    } catch (e) {
      if (e instanceof ApiError && e.code === 409 && e.reason === 'Conflict' && attempt < 5) continue;
      if (e instanceof ApiError && e.code === 404 && attempt < 3) continue;
      throw e;
    }
  }
}

export const apply: Action = async (kube, _args, opts) => {
  const files = asArray(opts.filename);
  if (!files.length) throw usageError('must specify one of -f and -k');
  const dryRun = parseDryRun(opts.dryRun);
  const validation = fieldValidation(opts.validate);
  const objects = readManifests(files, !!opts.recursive);
  let failed = false;
  const results: KubeObject[] = [];
  for (const m of objects) {
    try {
      const res = await applyOne(kube, m, dryRun, validation, opts);
      if (res) results.push(res);
    } catch (e) {
      failed = true;
      process.stderr.write(formatError(e) + '\n');
    }
  }
  if (wantsObjectOutput(opts)) await printResultObjects(results, opts);
  return failed ? 1 : 0;
};
