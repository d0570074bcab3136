// Field errors as k8s.io/apimachinery/pkg/util/validation/field renders them; they become the
// `causes` of a 422 Invalid Status and kubectl prints them verbatim.
import type { StatusCause } from '@minik/api';

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path with indices: `spec.template.spec.containers[0].image`. */
  field: string;
  value?: unknown;
  detail?: string;
  /** For NotSupported: the allowed values. */
  supported?: string[];
}

/** Go's %#v-ish rendering used by field.Error for the bad value. */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The part after `field: ` (ErrorBody in Go). */
export function errorBody(e: FieldError): string {
  const d = e.detail ? `: ${e.detail}` : '';
  switch (e.type) {
    case 'FieldValueRequired':
      return `Required value${d}`;
    case 'FieldValueForbidden':
      return `Forbidden${d}`;
    case 'FieldValueNotFound':
      return `Not found: ${formatValue(e.value)}`;
    case 'FieldValueDuplicate':
      return `Duplicate value: ${formatValue(e.value)}`;
    case 'FieldValueTooLong':
      return `Too long${d}`;
    case 'FieldValueTooMany':
      return `Too many${d}`;
    case 'FieldValueNotSupported': {
      const sup = e.supported?.length ? `: supported values: ${e.supported.map((s) => JSON.stringify(s)).join(', ')}` : '';
      return `Unsupported value: ${formatValue(e.value)}${sup}`;
    }
    case 'InternalError':
      return `Internal error${d}`;
    case 'FieldValueTypeInvalid':
    case 'FieldValueInvalid':
    default:
      return `Invalid value: ${formatValue(e.value)}${d}`;
  }
}

export function toCause(e: FieldError): StatusCause {
  return { reason: e.type, message: errorBody(e), field: e.field };
}

export const fe = {
  required: (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail }),
  invalid: (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail }),
  duplicate: (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value }),
  notSupported: (field: string, value: unknown, supported: string[]): FieldError => ({ type: 'FieldValueNotSupported', field, value, supported }),
  tooLong: (field: string, max: number): FieldError => ({ type: 'FieldValueTooLong', field, detail: `may not be more than ${max} bytes` }),
};
