// ObjectMeta validation as Kubernetes does it for every built-in kind: apimachinery's
// ValidateObjectMeta / ValidateObjectMetaUpdate plus core's finalizer-name rule. The store runs
// these before the kind's own validate/validateUpdate, which is where Kubernetes reports them
// (first in the error list).
import type { KubeObject, ObjectMeta, OwnerReference } from '@minik/api';
import type { Strategy } from '../strategy.js';
import { fe, type FieldError } from './field-errors.js';
import { validateName, type NameFormat } from './dns.js';
import { isQualifiedName, isValidLabelValue } from './formats.js';

export type { NameFormat };

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
export const FIELD_IMMUTABLE = 'field is immutable';

/**
 * A strategy may name a format the Strategy interface cannot express yet: Services need
 * DNS-1035 labels (ValidateServiceName = NameIsDNS1035Label).
 */
export interface NameFormatted {
  nameFormat?: NameFormat;
}

/** What meta validation needs from a ResourceDef. */
export interface MetaDef {
  namespaced: boolean;
  strategy: Strategy & NameFormatted;
}

export function nameFormatOf(strategy: Strategy & NameFormatted): NameFormat {
  return strategy.nameFormat ?? strategy.nameValidation ?? 'subdomain';
}

// --- pieces, each usable on its own (pod templates validate their labels, selectors, ...) ---

export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(fe.invalid(path, k, m));
    for (const m of isValidLabelValue(v)) errs.push(fe.invalid(path, v, m));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    // Keys follow the qualified-name rule, case-insensitively.
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(fe.invalid(path, k, m));
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(fe.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

const BANNED_OWNERS = new Set(['v1/Event']);

function ownerRefText(r: OwnerReference): string {
  // Go prints the struct with %#v; a readable approximation.
  return `v1.OwnerReference{APIVersion:${JSON.stringify(r.apiVersion ?? '')}, Kind:${JSON.stringify(r.kind ?? '')}, Name:${JSON.stringify(r.name ?? '')}, UID:${JSON.stringify(r.uid ?? '')}}`;
}

export function validateOwnerReferences(refs: OwnerReference[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const r of refs ?? []) {
    const apiVersion = r.apiVersion ?? '';
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version) errs.push(fe.invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!r.kind) errs.push(fe.invalid(`${path}.kind`, r.kind ?? '', 'kind must not be empty'));
    if (!r.name) errs.push(fe.invalid(`${path}.name`, r.name ?? '', 'name must not be empty'));
    if (!r.uid) errs.push(fe.invalid(`${path}.uid`, r.uid ?? '', 'uid must not be empty'));
    if (BANNED_OWNERS.has(`${apiVersion}/${r.kind}`)) {
      errs.push({ ...fe.invalid(path, r, `/v1, Kind=${r.kind} is disallowed from being an owner`), valueText: ownerRefText(r) });
    }
    if (r.controller) {
      const cur = `${r.kind}/${r.name}`;
      if (firstController) {
        errs.push({
          ...fe.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`),
          valueText: `[]v1.OwnerReference{${refs!.map(ownerRefText).join(', ')}}`,
        });
      } else firstController = cur;
    }
  }
  return errs;
}

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** apimachinery's finalizer checks on the list, then core's per-item "standard or qualified" rule. */
export function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = finalizers ?? [];
  for (const f of list) for (const m of isQualifiedName(f)) errs.push(fe.invalid(path, f, m));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(fe.invalid(path, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  list.forEach((f, i) => {
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push(fe.invalid(`${path}[${i}]`, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

function validateManagedFields(meta: ObjectMeta, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (meta.managedFields ?? []).forEach((m, i) => {
    const p = `${path}[${i}]`;
    if (m.operation !== 'Apply' && m.operation !== 'Update') errs.push(fe.invalid(`${p}.operation`, m.operation ?? '', 'must be `Apply` or `Update`'));
    if (m.fieldsType && m.fieldsType !== 'FieldsV1') errs.push(fe.invalid(`${p}.fieldsType`, m.fieldsType, 'must be `FieldsV1`'));
    if (m.manager && m.manager.length > 128) errs.push(fe.tooLongMaxLength(`${p}.manager`, 128));
    if ((m.subresource ?? '').length > 256) errs.push(fe.tooLongMaxLength(`${p}.subresource`, 256));
  });
  return errs;
}

/** Rules shared by create and update (ValidateObjectMetaAccessor minus the name and namespace). */
function validateCommon(meta: ObjectMeta, path: string): FieldError[] {
  return [
    ...((meta.generation ?? 0) < 0 ? [fe.invalid(`${path}.generation`, meta.generation, 'must be greater than or equal to 0')] : []),
    ...validateLabels(meta.labels, `${path}.labels`),
    ...validateAnnotations(meta.annotations, `${path}.annotations`),
    ...validateOwnerReferences(meta.ownerReferences, `${path}.ownerReferences`),
    ...validateFinalizers(meta.finalizers, `${path}.finalizers`),
    ...validateManagedFields(meta, `${path}.managedFields`),
  ];
}

/**
 * ValidateObjectMeta on create (after generateName has produced the name). `namespaced` decides
 * whether metadata.namespace is required or forbidden.
 */
export function validateObjectMeta(meta: ObjectMeta | undefined, namespaced: boolean, format: NameFormat = 'subdomain', path = 'metadata'): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) {
    for (const msg of validateName(format, m.generateName, true)) errs.push(fe.invalid(`${path}.generateName`, m.generateName, msg));
  }
  if (!m.name) errs.push(fe.required(`${path}.name`, 'name or generateName is required'));
  else for (const msg of validateName(format, m.name, false)) errs.push(fe.invalid(`${path}.name`, m.name, msg));
  if (namespaced) {
    if (!m.namespace) errs.push(fe.required(`${path}.namespace`));
    else for (const msg of validateName('label', m.namespace, false)) errs.push(fe.invalid(`${path}.namespace`, m.namespace, msg));
  } else if (m.namespace) {
    errs.push(fe.forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  return [...errs, ...validateCommon(m, path)];
}

function immutable(path: string, now: unknown, before: unknown): FieldError[] {
  return JSON.stringify(now ?? null) === JSON.stringify(before ?? null) ? [] : [fe.invalid(path, now ?? null, FIELD_IMMUTABLE)];
}

/**
 * ValidateObjectMetaUpdate. resourceVersion and generation are the store's (it copies the old
 * generation and resolves the resourceVersion before validating, as BeforeUpdate does), so they
 * are not checked here.
 */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, path = 'metadata'): FieldError[] {
  const m = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const extra = (m.finalizers ?? []).filter((f) => !(o.finalizers ?? []).includes(f));
    if (extra.length) {
      const list = [...new Set(extra)].sort();
      errs.push(fe.forbidden(`${path}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers []string{${list.map((f) => JSON.stringify(f)).join(', ')}}`));
    }
  }
  errs.push(
    ...immutable(`${path}.name`, m.name ?? '', o.name ?? ''),
    ...immutable(`${path}.namespace`, m.namespace ?? '', o.namespace ?? ''),
    ...immutable(`${path}.uid`, m.uid ?? '', o.uid ?? ''),
    ...immutable(`${path}.creationTimestamp`, m.creationTimestamp, o.creationTimestamp),
    ...immutable(`${path}.deletionTimestamp`, m.deletionTimestamp, o.deletionTimestamp),
    ...immutable(`${path}.deletionGracePeriodSeconds`, m.deletionGracePeriodSeconds, o.deletionGracePeriodSeconds),
  );
  return [...errs, ...validateCommon(m, path)];
}

/**
 * What BeforeUpdate does to metadata before validating: a client cannot change generation,
 * creationTimestamp, or a deletion already under way; an omitted uid means "the same".
 */
export function prepareObjectMetaForUpdate(obj: KubeObject, old: KubeObject): void {
  const m = (obj.metadata ??= {});
  const o = old.metadata ?? {};
  if (o.generation !== undefined) m.generation = o.generation;
  else delete m.generation;
  if (!m.uid && o.uid) m.uid = o.uid;
  if (o.creationTimestamp) m.creationTimestamp = o.creationTimestamp;
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp;
  if (o.deletionGracePeriodSeconds !== undefined && m.deletionGracePeriodSeconds === undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
}

/** The store's entry point on create: metadata checks for this resource. */
export function validateMetaForCreate(def: MetaDef, obj: KubeObject): FieldError[] {
  return validateObjectMeta(obj.metadata, def.namespaced, nameFormatOf(def.strategy));
}

/** The store's entry point on update (main resource and subresources alike). */
export function validateMetaForUpdate(def: MetaDef, obj: KubeObject, old: KubeObject): FieldError[] {
  // validateCommonFields re-runs the create-time checks with path-segment names (the name is
  // immutable, so only the namespace rule adds anything), then the update rules.
  const m = obj.metadata ?? {};
  const errs: FieldError[] = [];
  if (def.namespaced && !m.namespace) errs.push(fe.required('metadata.namespace'));
  if (!def.namespaced && m.namespace) errs.push(fe.forbidden('metadata.namespace', 'not allowed on this type'));
  return [...errs, ...validateObjectMetaUpdate(obj.metadata, old.metadata)];
}
