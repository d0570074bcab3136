// What Deployment and ReplicaSet share (pkg/apis/apps/validation, pkg/registry/apps/*): the
// selector, the pod template that must match it, status checks and the status subresource.
import { fe, type FieldError } from '../validation/field-errors.js';
import { FIELD_IMMUTABLE } from '../validation/meta.js';
import { selectorExpr, validateLabelSelector } from '../validation/label-selector.js';
import { validatePodTemplateSpec } from './pod-validation.js';
import { goLabelSelector, goStringMap, isObj, semanticEqual, type Obj } from './util.js';

const NONNEG = 'must be greater than or equal to 0';

export function nonNegative(v: unknown, path: string): FieldError[] {
  return typeof v === 'number' && v < 0 ? [fe.invalid(path, v, NONNEG)] : [];
}

/** The selector checks of ValidateDeploymentSpec / ValidateReplicaSetSpec. */
export function validateSelector(spec: Obj): FieldError[] {
  const sel = spec.selector;
  if (!isObj(sel)) return [fe.required('spec.selector')];
  const errs = validateLabelSelector(sel, 'spec.selector');
  if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) {
    // Kubernetes words it "for deployment" for ReplicaSets too.
    errs.push({ ...fe.invalid('spec.selector', sel, 'empty selector is invalid for deployment'), valueText: goLabelSelector(sel) });
  }
  return errs;
}

/** ValidatePodTemplateSpecForReplicaSet: the template must match the selector and restart Always. */
export function validateTemplate(spec: Obj): FieldError[] {
  const tpl = spec.template;
  const errs: FieldError[] = [];
  const labels = isObj(tpl) ? tpl.metadata?.labels : undefined;
  // A missing selector matches nothing (labels.Nothing), so it never matches the template.
  let mismatch = !isObj(spec.selector);
  if (isObj(spec.selector)) {
    const expr = selectorExpr(spec.selector);
    if (!expr) return [{ ...fe.invalid('spec.selector', spec.selector, 'invalid label selector'), valueText: goLabelSelector(spec.selector) }];
    mismatch = !expr.empty && !expr.matches(labels);
  }
  if (mismatch) errs.push({ ...fe.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'), valueText: goStringMap(labels) });
  errs.push(...validatePodTemplateSpec(tpl, 'spec.template'));
  const podSpec: Obj = isObj(tpl) && isObj(tpl.spec) ? tpl.spec : {};
  if (podSpec.restartPolicy !== 'Always') errs.push(fe.notSupported('spec.template.spec.restartPolicy', podSpec.restartPolicy ?? '', ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined) {
    errs.push(fe.invalid('spec.template.spec.activeDeadlineSeconds', podSpec.activeDeadlineSeconds, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

/** apps/v1 forbids changing the selector (the strategies' ValidateUpdate). */
export function selectorImmutable(spec: Obj, old: Obj): FieldError[] {
  return semanticEqual(spec.selector, old.selector) ? [] : [{ ...fe.invalid('spec.selector', spec.selector, FIELD_IMMUTABLE), valueText: goLabelSelector(spec.selector) }];
}

/** The replica counters every workload status has, and their ordering. */
export function validateReplicaCounts(status: Obj, counters: string[]): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['observedGeneration', ...counters]) errs.push(...nonNegative(status[f], `status.${f}`));
  const replicas = status.replicas ?? 0;
  for (const f of counters.filter((c) => c !== 'replicas' && c !== 'unavailableReplicas')) {
    if ((status[f] ?? 0) > replicas) errs.push(fe.invalid(`status.${f}`, status[f], 'cannot be greater than status.replicas'));
  }
  if ((status.availableReplicas ?? 0) > (status.readyReplicas ?? 0)) {
    errs.push(fe.invalid('status.availableReplicas', status.availableReplicas, 'cannot be greater than readyReplicas'));
  }
  return errs;
}
