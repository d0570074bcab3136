// Deployment (apps/v1): SetDefaults_Deployment, ValidateDeployment*, and
// pkg/registry/apps/deployment/strategy.go.
import type { Strategy } from '../strategy.js';
import { fe, type FieldError } from '../validation/field-errors.js';
import { isValidPercent } from '../validation/formats.js';
import { defaultPodTemplate } from './pod-defaults.js';
import { child, goIntOrString, isObj, semanticEqual, type Obj } from './util.js';
import { nonNegative, selectorImmutable, validateReplicaCounts, validateSelector, validateTemplate } from './workload.js';

function defaults(d: Obj): void {
  const spec = child(d, 'spec');
  spec.replicas ??= 1;
  // `strategy: {}` still becomes RollingUpdate 25%/25%.
  const strategy = child(spec, 'strategy');
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(spec.template);
}

/** ValidatePositiveIntOrPercent */
function intOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => ({ ...fe.invalid(path, v, m), valueText: goIntOrString(v) }));
  return nonNegative(v, path);
}

const percentOrInt = (v: unknown) => (typeof v === 'string' ? (isValidPercent(v).length ? 0 : parseInt(v, 10)) : Number(v ?? 0));

function validateStrategy(s: Obj | undefined): FieldError[] {
  const st: Obj = isObj(s) ? s : {};
  switch (st.type) {
    case 'Recreate':
      return isObj(st.rollingUpdate) ? [fe.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      const ru = st.rollingUpdate;
      if (!isObj(ru)) return [fe.required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil')];
      const p = 'spec.strategy.rollingUpdate';
      const errs = [...intOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`), ...intOrPercent(ru.maxSurge, `${p}.maxSurge`)];
      if (percentOrInt(ru.maxUnavailable) === 0 && percentOrInt(ru.maxSurge) === 0) {
        errs.push({ ...fe.invalid(`${p}.maxUnavailable`, ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'), valueText: goIntOrString(ru.maxUnavailable) });
      }
      if (typeof ru.maxUnavailable === 'string' && !isValidPercent(ru.maxUnavailable).length && parseInt(ru.maxUnavailable, 10) > 100) {
        errs.push({ ...fe.invalid(`${p}.maxUnavailable`, ru.maxUnavailable, 'must not be greater than 100%'), valueText: goIntOrString(ru.maxUnavailable) });
      }
      return errs;
    }
    default: {
      const ru = isObj(st.rollingUpdate) ? '(*apps.RollingUpdateDeployment)(0xc000000000)' : '(*apps.RollingUpdateDeployment)(nil)';
      return [{ ...fe.notSupported('spec.strategy', st, ['Recreate', 'RollingUpdate']), valueText: `apps.DeploymentStrategy{Type:${JSON.stringify(st.type ?? '')}, RollingUpdate:${ru}}` }];
    }
  }
}

/** ValidateDeploymentSpec */
function validateSpec(spec: Obj): FieldError[] {
  const errs = [...nonNegative(spec.replicas, 'spec.replicas'), ...validateSelector(spec), ...validateTemplate(spec), ...validateStrategy(spec.strategy)];
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'), ...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const pds = spec.progressDeadlineSeconds;
  if (typeof pds === 'number') {
    errs.push(...nonNegative(pds, 'spec.progressDeadlineSeconds'));
    if (pds <= (spec.minReadySeconds ?? 0)) errs.push(fe.invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

const specOf = (o: Obj): Obj => (isObj(o.spec) ? o.spec : {});

export const deploymentStrategy: Strategy = {
  defaults,
  prepareForCreate(d) {
    d.status = {};
    (d.metadata ??= {}).generation = 1;
  },
  prepareForUpdate(d, old) {
    // Compare defaulted specs, as Kubernetes does (it defaults while decoding).
    defaults(d);
    d.status = old.status;
    // Annotations are copied to ReplicaSets, so changing them bumps the generation too.
    const m = (d.metadata ??= {});
    const om = old.metadata ?? {};
    m.generation = om.generation ?? 1;
    if (!semanticEqual(d.spec, old.spec) || !semanticEqual(m.annotations, om.annotations)) m.generation = (om.generation ?? 1) + 1;
  },
  validate(d) {
    return validateSpec(specOf(d));
  },
  validateUpdate(d, old) {
    return [...validateSpec(specOf(d)), ...selectorImmutable(specOf(d), specOf(old))];
  },
  prepareForStatusUpdate(d, old) {
    d.spec = old.spec;
    const labels = old.metadata?.labels;
    if (labels) (d.metadata ??= {}).labels = labels;
    else if (d.metadata) delete d.metadata.labels;
  },
  validateStatusUpdate(d, old) {
    const s: Obj = isObj(d.status) ? d.status : {};
    const errs = validateReplicaCounts(s, ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']);
    errs.push(...nonNegative(s.collisionCount, 'status.collisionCount'));
    const before = (old.status as Obj)?.collisionCount;
    if (before !== undefined && (s.collisionCount === undefined || s.collisionCount < before)) {
      errs.push(fe.invalid('status.collisionCount', s.collisionCount ?? 0, 'cannot be decremented'));
    }
    return errs;
  },
  nameValidation: 'subdomain',
  tracksGeneration: true,
};
