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
  /** The bad value as Go would print it, when formatValue's guess is not right (structs). */
  valueText?: string;
}

/**
 * How field.Error prints the bad value: %v for numbers and bools, %q for strings, %#v for the
 * rest (`map[string]string{"app":"x"}`, `[]string{"a", "b"}`); other shapes fall back to JSON.
 */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
  if (typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')) {
    // Go prints maps with sorted keys.
    const entries = Object.entries(v as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[string]string{${entries.map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

const valueOf = (e: FieldError) => e.valueText ?? formatValue(e.value);

/** The part after `field: ` (ErrorBody in Go). */
export function errorBody(e: FieldError): string {
  const d = e.detail ? `: ${e.detail}` : '';
  switch (e.type) {
    case 'FieldValueRequired':
      return `Required value${d}`;
    case 'FieldValueForbidden':
      return `Forbidden${d}`;
    case 'FieldValueNotFound':
      return `Not found: ${valueOf(e)}${d}`;
    case 'FieldValueDuplicate':
      return `Duplicate value: ${valueOf(e)}${d}`;
    case 'FieldValueTooLong':
      return `Too long${d}`;
    case 'FieldValueTooMany':
      return `Too many: ${valueOf(e)}${d}`;
    case 'FieldValueNotSupported': {
      const sup = e.supported?.length ? `: supported values: ${e.supported.map((s) => JSON.stringify(s)).join(', ')}` : '';
      return `Unsupported value: ${valueOf(e)}${sup}`;
    }
    case 'InternalError':
      return `Internal error${d}`;
    case 'FieldValueTypeInvalid':
    case 'FieldValueInvalid':
    default:
      return `Invalid value: ${valueOf(e)}${d}`;
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
  /** field.TooLong (annotations, ...): byte sizes. */
  tooLong: (field: string, max: number): FieldError => ({ type: 'FieldValueTooLong', field, detail: `must have at most ${max} bytes` }),
  /** field.TooLongMaxLength: lengths of strings and lists. */
  tooLongMaxLength: (field: string, max: number): FieldError => ({ type: 'FieldValueTooLong', field, detail: `may not be longer than ${max}` }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({ type: 'FieldValueTooMany', field, value: actual, detail: `must have at most ${max} items` }),
  notFound: (field: string, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field, value }),
  internal: (field: string, detail: string): FieldError => ({ type: 'InternalError', field, detail }),
};
