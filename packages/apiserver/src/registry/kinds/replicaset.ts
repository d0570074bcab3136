// ReplicaSet (apps/v1): SetDefaults_ReplicaSet, ValidateReplicaSet*, and
// pkg/registry/apps/replicaset/strategy.go.
import type { Strategy } from '../strategy.js';
import { defaultPodTemplate } from './pod-defaults.js';
import { child, isObj, semanticEqual, type Obj } from './util.js';
import { nonNegative, selectorImmutable, validateReplicaCounts, validateSelector, validateTemplate } from './workload.js';

const specOf = (o: Obj): Obj => (isObj(o.spec) ? o.spec : {});

/** ValidateReplicaSetSpec */
function validateSpec(spec: Obj) {
  return [...nonNegative(spec.replicas, 'spec.replicas'), ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'), ...validateSelector(spec), ...validateTemplate(spec)];
}

function defaults(rs: Obj): void {
  const spec = child(rs, 'spec');
  spec.replicas ??= 1;
  defaultPodTemplate(spec.template);
}

export const replicaSetStrategy: Strategy = {
  defaults,
  prepareForCreate(rs) {
    rs.status = {};
    (rs.metadata ??= {}).generation = 1;
  },
  prepareForUpdate(rs, old) {
    defaults(rs);
    rs.status = old.status;
    const m = (rs.metadata ??= {});
    const og = old.metadata?.generation ?? 1;
    m.generation = semanticEqual(rs.spec, old.spec) ? og : og + 1;
  },
  validate(rs) {
    return validateSpec(specOf(rs));
  },
  validateUpdate(rs, old) {
    return [...validateSpec(specOf(rs)), ...selectorImmutable(specOf(rs), specOf(old))];
  },
  prepareForStatusUpdate(rs, old) {
    rs.spec = old.spec;
  },
  validateStatusUpdate(rs) {
    return validateReplicaCounts(isObj(rs.status) ? rs.status : {}, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']);
  },
  selectableFields(rs) {
    return { 'status.replicas': String((rs.status as Obj)?.replicas ?? 0) };
  },
  nameValidation: 'subdomain',
  tracksGeneration: true,
};
