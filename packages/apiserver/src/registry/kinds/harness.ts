// The strategy and metadata calls a write goes through, in the store's order, without storage:
// what the kind tests exercise, and a way to check an object the way the server would.
import type { KubeObject } from '@minik/api';
import { findResource, type ResourceDef } from '../resources.js';
import { errorBody, type FieldError } from '../validation/field-errors.js';
import { validateMetaForCreate, validateMetaForUpdate } from '../validation/meta.js';

export interface Outcome {
  obj: KubeObject;
  errors: FieldError[];
  /** `field: body` lines, as kubectl prints the causes. */
  messages: string[];
}

const render = (errs: FieldError[]) => errs.map((e) => (e.field ? `${e.field}: ${errorBody(e)}` : errorBody(e)));

export function resource(resource: string, group = '', version = 'v1'): ResourceDef {
  const def = findResource(group, version, resource);
  if (!def) throw new Error(`unknown resource ${resource}.${group}`);
  return def;
}

function namespaced(def: ResourceDef, obj: KubeObject, namespace: string): KubeObject {
  const o = structuredClone(obj);
  o.metadata ??= {};
  if (def.namespaced) o.metadata.namespace ??= namespace;
  return o;
}

export function simulateCreate(def: ResourceDef, input: KubeObject, namespace = 'default'): Outcome {
  const obj = namespaced(def, input, namespace);
  def.strategy.prepareForCreate?.(obj);
  def.strategy.defaults?.(obj);
  const errors = [...validateMetaForCreate(def, obj), ...(def.strategy.validate?.(obj, { namespace }) ?? [])];
  return { obj, errors, messages: render(errors) };
}

export function simulateUpdate(def: ResourceDef, input: KubeObject, old: KubeObject, namespace = 'default'): Outcome {
  const obj = namespaced(def, input, namespace);
  def.strategy.prepareForUpdate?.(obj, old);
  def.strategy.defaults?.(obj);
  const own = def.strategy.validateUpdate?.(obj, old, { namespace }) ?? def.strategy.validate?.(obj, { namespace }) ?? [];
  const errors = [...validateMetaForUpdate(def, obj, old), ...own];
  return { obj, errors, messages: render(errors) };
}

export function simulateStatusUpdate(def: ResourceDef, input: KubeObject, old: KubeObject): Outcome {
  const obj = structuredClone(old);
  obj.status = structuredClone(input.status);
  def.strategy.prepareForStatusUpdate?.(obj, old);
  const errors = def.strategy.validateStatusUpdate?.(obj, old) ?? [];
  return { obj, errors, messages: render(errors) };
}
