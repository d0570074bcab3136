// Namespace: SetDefaults_Namespace, ValidateNamespace* and pkg/registry/core/namespace/strategy.go.
// spec.finalizers changes only through the `finalize` subresource; status through `status`.
import type { Strategy } from '../strategy.js';
import { fe, type FieldError } from '../validation/field-errors.js';
import { isQualifiedName } from '../validation/formats.js';
import { child, isObj, list, type Obj } from './util.js';

const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];
export const NAME_LABEL = 'kubernetes.io/metadata.name';

/** validateFinalizerName (Kubernetes reports each at `spec.finalizers`, without an index). */
export function validateNamespaceFinalizers(finalizers: unknown, indexed: boolean): FieldError[] {
  const errs: FieldError[] = [];
  list<string>(finalizers).forEach((f, i) => {
    const p = indexed ? `spec.finalizers[${i}]` : 'spec.finalizers';
    errs.push(...isQualifiedName(f).map((m) => fe.invalid(p, f, m)));
    if (!f.includes('/') && !STANDARD_FINALIZERS.includes(f)) errs.push(fe.invalid(p, f, 'name is neither a standard finalizer name nor is it fully qualified'));
  });
  return errs;
}

const specOf = (o: Obj): Obj => (isObj(o.spec) ? o.spec : {});

export const namespaceStrategy: Strategy = {
  defaults(ns) {
    // The name label lets selectors pick namespaces by name; Kubernetes keeps it in sync.
    const name = ns.metadata?.name;
    if (name) (ns.metadata!.labels ??= {})[NAME_LABEL] = name;
    const status = ns.status as Obj | undefined;
    if (isObj(status)) status.phase ||= 'Active';
  },
  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
    // Required on create; later only the finalize subresource may remove it.
    const spec = child(ns, 'spec');
    const f = list<string>(spec.finalizers);
    if (!f.includes('kubernetes')) spec.finalizers = [...f, 'kubernetes'];
  },
  prepareForUpdate(ns, old) {
    const spec = child(ns, 'spec');
    const os = specOf(old);
    if (os.finalizers !== undefined) spec.finalizers = os.finalizers;
    else delete spec.finalizers;
    ns.status = old.status;
  },
  validate(ns) {
    return validateNamespaceFinalizers(specOf(ns).finalizers, false);
  },
  validateUpdate() {
    return [];
  },
  prepareForStatusUpdate(ns, old) {
    ns.spec = old.spec;
  },
  validateStatusUpdate(ns) {
    const phase = (ns.status as Obj)?.phase ?? '';
    if (!ns.metadata?.deletionTimestamp) {
      return phase === 'Active' ? [] : [fe.invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty")];
    }
    return phase === 'Terminating' ? [] : [fe.invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
  },
  selectableFields(ns) {
    return { 'status.phase': (ns.status as Obj)?.phase ?? '' };
  },
  // A namespace waiting for its content to be deleted says so.
  prepareForDelete(ns) {
    child(ns, 'status').phase = 'Terminating';
  },
  /** spec.finalizers hold the delete too, until the namespace controller finalizes it. */
  pendingFinalizers(ns) {
    return list<string>(specOf(ns).finalizers);
  },
  nameValidation: 'label',
  tracksGeneration: false,
  finalize: { prepare: (ns, old) => prepareForFinalize(ns, old), validate: (ns) => validateFinalize(ns) },
};

/** The `finalize` subresource: only spec.finalizers may change (ValidateNamespaceFinalizeUpdate). */
export function prepareForFinalize(ns: Obj, old: Obj): void {
  ns.status = old.status;
}

export function validateFinalize(ns: Obj): FieldError[] {
  return validateNamespaceFinalizers(specOf(ns).finalizers, true);
}
