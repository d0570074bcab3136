// Event (core/v1): legacyValidateEvent, the only validation core/v1 events get (the stricter
// rules are for events.k8s.io/v1). Names are free-form path segments, as kube-apiserver only
// applies its generic name check to them.
import type { Strategy } from '../strategy.js';
import { fe, type FieldError } from '../validation/field-errors.js';
import { isDNS1123Subdomain } from '../validation/dns.js';
import { isQualifiedName } from '../validation/formats.js';
import { isObj, type Obj } from './util.js';

const LIMITS = { reportingInstance: 128, action: 128, reason: 128, message: 1024 };

function validateEvent(ev: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata?.namespace ?? '';
  const io: Obj = isObj(ev.involvedObject) ? ev.involvedObject : {};
  const nsMismatch = () => errs.push(fe.invalid('involvedObject.namespace', io.namespace ?? '', 'does not match event.namespace'));
  if (!ev.eventTime) {
    // Old-style event: its namespace follows the involved object's.
    if (!io.namespace) {
      if (ns !== '' && ns !== 'default') nsMismatch();
    } else if (ns !== io.namespace) nsMismatch();
  } else {
    if (!io.namespace && ns !== 'default' && ns !== 'kube-system') nsMismatch();
    const rc = ev.reportingComponent ?? '';
    if (!rc) errs.push(fe.required('reportingController'));
    errs.push(...isQualifiedName(rc).map((m) => fe.invalid('reportingController', rc, m)));
    for (const [f, max] of Object.entries(LIMITS)) {
      const v: string = ev[f] ?? '';
      if (!v && f !== 'message') errs.push(fe.required(f));
      if (v.length > max) errs.push(fe.invalid(f, '', `can have at most ${max} characters`));
    }
  }
  errs.push(...isDNS1123Subdomain(ns).map((m) => fe.invalid('namespace', ns, m)));
  return errs;
}

export const eventStrategy: Strategy = {
  validate: (ev) => validateEvent(ev),
  validateUpdate: (ev) => validateEvent(ev),
  selectableFields(ev) {
    const io: Obj = isObj(ev.involvedObject) ? ev.involvedObject : {};
    const source = (ev.source as Obj)?.component || (ev.reportingComponent as string) || '';
    return {
      'involvedObject.kind': io.kind ?? '',
      'involvedObject.namespace': io.namespace ?? '',
      'involvedObject.name': io.name ?? '',
      'involvedObject.uid': io.uid ?? '',
      'involvedObject.apiVersion': io.apiVersion ?? '',
      'involvedObject.resourceVersion': io.resourceVersion ?? '',
      'involvedObject.fieldPath': io.fieldPath ?? '',
      reason: (ev.reason as string) ?? '',
      reportingComponent: (ev.reportingComponent as string) ?? '',
      source,
      type: (ev.type as string) ?? '',
    };
  },
  nameValidation: 'path-segment',
  allowCreateOnUpdate: true,
  tracksGeneration: false,
};
