// ConfigMap: ValidateConfigMap / ValidateConfigMapUpdate (keys, 1 MiB total, `immutable`).
import type { Strategy } from '../strategy.js';
import { fe, type FieldError } from '../validation/field-errors.js';
import { isConfigMapKey } from '../validation/formats.js';
import { semanticEqual, type Obj } from './util.js';

export const MAX_DATA_SIZE = 1024 * 1024;

/** Byte length of the decoded content of a base64 value. */
export function base64Size(s: string): number {
  return Buffer.from(s, 'base64').length;
}

/** `immutable: true` freezes the content and the flag itself. */
export function validateImmutable(obj: Obj, old: Obj, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(fe.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (!semanticEqual(obj[f], old[f])) errs.push(fe.forbidden(f, 'field is immutable when `immutable` is set'));
  return errs;
}

function validateConfigMap(cm: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const data: Record<string, string> = cm.data ?? {};
  const binary: Record<string, string> = cm.binaryData ?? {};
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    errs.push(...isConfigMapKey(k).map((m) => fe.invalid(`data[${k}]`, k, m)));
    if (k in binary) errs.push(fe.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(v);
  }
  for (const [k, v] of Object.entries(binary)) {
    errs.push(...isConfigMapKey(k).map((m) => fe.invalid(`binaryData[${k}]`, k, m)));
    size += base64Size(v);
  }
  // Kubernetes reports the whole object (an empty field path).
  if (size > MAX_DATA_SIZE) errs.push(fe.tooLong('', MAX_DATA_SIZE));
  return errs;
}

export const configMapStrategy: Strategy = {
  validate: (cm) => validateConfigMap(cm),
  validateUpdate: (cm, old) => [...validateImmutable(cm, old, ['data', 'binaryData']), ...validateConfigMap(cm)],
  nameValidation: 'subdomain',
  tracksGeneration: false,
};
