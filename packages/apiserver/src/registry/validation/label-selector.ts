// metav1.LabelSelector validation (apimachinery/pkg/apis/meta/v1/validation) and the
// "does the selector match these labels" check the workload kinds need.
import { fromLabelSelector, type LabelSelectorExpr } from '@minik/api';
import { fe, type FieldError } from './field-errors.js';
import { isQualifiedName, isValidLabelValue } from './formats.js';
import { validateLabels } from './meta.js';

/** metav1.LabelSelector (kubernetes-types is not a dependency of this package). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((m) => fe.invalid(path, name, m));
}

export function validateLabelSelector(sel: LabelSelector | undefined, path: string): FieldError[] {
  if (!sel) return [];
  const errs = validateLabels(sel.matchLabels, `${path}.matchLabels`);
  (sel.matchExpressions ?? []).forEach((r, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = r.values ?? [];
    switch (r.operator) {
      case 'In':
      case 'NotIn':
        if (!values.length) errs.push(fe.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length) errs.push(fe.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(fe.invalid(`${p}.operator`, r.operator ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(r.key ?? '', `${p}.key`));
    values.forEach((v, j) => errs.push(...isValidLabelValue(v).map((m) => fe.invalid(`${p}.values[${j}]`, v, m))));
  });
  return errs;
}

/** The selector as an expression, or undefined when it cannot be converted (bad operator). */
export function selectorExpr(sel: LabelSelector | undefined): LabelSelectorExpr | undefined {
  try {
    return fromLabelSelector(sel);
  } catch {
    return undefined;
  }
}
