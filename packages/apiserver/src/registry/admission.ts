// The checks every write passes before it reaches storage: decoding (schema, unknown fields),
// object metadata, and the kind's own validation. Failures are 400/422 Status errors.
import { errors, type KubeObject } from '@minik/api';
import type { ResourceDef } from './resources.js';
import { toCause, type FieldError } from './validation/field-errors.js';
import { decodeBody } from './validation/schema.js';
import { validateMetaForCreate, validateMetaForUpdate } from './validation/meta.js';

/** Turns a request body into an object of this resource, or throws 400 BadRequest. */
export function decode(def: ResourceDef, body: unknown, fieldValidation?: string, warnings?: string[]): KubeObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: the body must be a JSON object`);
  }
  const r = decodeBody(def, body, fieldValidation);
  warnings?.push(...r.warnings);
  return r.obj;
}

function fail(def: ResourceDef, name: string, errs: FieldError[]): never {
  throw errors.invalid(def.kind, def.group, name, errs.map(toCause));
}

export function admitCreate(def: ResourceDef, obj: KubeObject, namespace: string): void {
  // Metadata errors first, as in Kubernetes.
  const errs = [...validateMetaForCreate(def, obj), ...(def.strategy.validate?.(obj, { namespace }) ?? [])];
  if (errs.length) fail(def, obj.metadata?.name ?? obj.metadata?.generateName ?? '', errs);
}

export function admitUpdate(def: ResourceDef, obj: KubeObject, old: KubeObject, namespace: string, statusOnly: boolean): void {
  const own = statusOnly ? def.strategy.validateStatusUpdate?.(obj, old) : (def.strategy.validateUpdate?.(obj, old, { namespace }) ?? def.strategy.validate?.(obj, { namespace }));
  const errs = [...validateMetaForUpdate(def, obj, old), ...(own ?? [])];
  if (errs.length) fail(def, obj.metadata?.name ?? '', errs);
}
