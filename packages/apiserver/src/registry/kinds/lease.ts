// Lease (coordination.k8s.io/v1): ValidateLease. Node heartbeats and leader election PUT them,
// creating them when missing.
import type { Strategy } from '../strategy.js';
import { fe, type FieldError } from '../validation/field-errors.js';
import { isObj, type Obj } from './util.js';

function validateLease(l: Obj): FieldError[] {
  const spec: Obj = isObj(l.spec) ? l.spec : {};
  const errs: FieldError[] = [];
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
    errs.push(fe.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions < 0) {
    errs.push(fe.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  return errs;
}

export const leaseStrategy: Strategy = {
  validate: (l) => validateLease(l),
  validateUpdate: (l) => validateLease(l),
  nameValidation: 'subdomain',
  allowCreateOnUpdate: true,
  tracksGeneration: false,
};
