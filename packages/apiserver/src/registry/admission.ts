// The checks every write passes before it reaches storage: decoding (schema, unknown fields),
// object metadata, and the kind's own validation. Failures are 400/422 Status errors.
import { errors, type KubeObject } from '@minik/api';
import type { ResourceDef } from './resources.js';
import { toCause, type FieldError } from './validation/field-errors.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Turns a request body into an object of this resource, or throws 400 BadRequest. */
export function decode(def: ResourceDef, body: unknown, _fieldValidation?: string, _warnings?: string[]): KubeObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: the body must be a JSON object`);
  }
  const obj = body as KubeObject;
  if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata))) {
    throw errors.badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: json: cannot unmarshal ${typeof obj.metadata} into Go struct field ${def.kind}.metadata of type v1.ObjectMeta`);
  }
  return obj;
}

function fail(def: ResourceDef, name: string, errs: FieldError[]): never {
  throw errors.invalid(def.kind, def.group, name, errs.map(toCause));
}

function metaErrors(def: ResourceDef, obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata?.name;
  if (!name) {
    errs.push({ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' });
  } else if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      value: name,
      detail:
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    });
  }
  return errs;
}

export function admitCreate(def: ResourceDef, obj: KubeObject, namespace: string): void {
  const errs = [...metaErrors(def, obj), ...(def.strategy.validate?.(obj, { namespace }) ?? [])];
  if (errs.length) fail(def, obj.metadata?.name ?? '', errs);
}

export function admitUpdate(def: ResourceDef, obj: KubeObject, old: KubeObject, namespace: string, statusOnly: boolean): void {
  const errs = statusOnly
    ? (def.strategy.validateStatusUpdate?.(obj, old) ?? [])
    : [...metaErrors(def, obj), ...(def.strategy.validateUpdate?.(obj, old, { namespace }) ?? def.strategy.validate?.(obj, { namespace }) ?? [])];
  if (errs.length) fail(def, obj.metadata?.name ?? '', errs);
}
