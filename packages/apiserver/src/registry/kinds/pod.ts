// Pod: pkg/registry/core/pod/strategy.go with ValidatePodCreate / ValidatePodUpdate /
// ValidatePodStatusUpdate from pkg/apis/core/validation.
import type { Strategy } from '../strategy.js';
import { fe, type FieldError } from '../validation/field-errors.js';
import { isDNS1123Subdomain } from '../validation/dns.js';
import { ipFamily, isQualifiedName, isValidIP } from '../validation/formats.js';
import { defaultPod } from './pod-defaults.js';
import { validatePodSpec, validatePodSpecUpdate } from './pod-validation.js';
import { podQOSClass } from './qos.js';
import { child, isObj, list, type Obj } from './util.js';

const MIRROR = 'kubernetes.io/config.mirror';
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/** v1 conversion: podIP/hostIP are the first of podIPs/hostIPs, and the singular one wins. */
function syncIPs(status: Obj | undefined): void {
  if (!isObj(status)) return;
  for (const [one, many] of [['podIP', 'podIPs'], ['hostIP', 'hostIPs']] as const) {
    const ips = list(status[many]);
    if (status[one] && (!ips.length || ips[0].ip !== status[one])) status[many] = [{ ip: status[one] }];
    else if (ips.length) status[one] = ips[0].ip;
  }
}

function validateAnnotations(pod: Obj): FieldError[] {
  const a: Record<string, string> = pod.metadata?.annotations ?? {};
  const errs: FieldError[] = [];
  if (MIRROR in a && !pod.spec?.nodeName) errs.push(fe.invalid(`metadata.annotations[${MIRROR}]`, a[MIRROR], 'must set spec.nodeName if mirror pod annotation is set'));
  if (DELETION_COST in a) {
    const v = a[DELETION_COST];
    if (!/^[-+]?\d+$/.test(v) || Number(v) < -(2 ** 31) || Number(v) > 2 ** 31 - 1) {
      errs.push(fe.invalid(`metadata.annotations[${DELETION_COST}]`, v, 'must be a 32bit integer'));
    }
  }
  return errs;
}

/** validatePodMetadataAndSpec minus ObjectMeta (the store validates that). */
function validatePod(pod: Obj): FieldError[] {
  const spec: Obj = isObj(pod.spec) ? pod.spec : {};
  const errs = [...validateAnnotations(pod), ...validatePodSpec(spec, 'spec')];
  if (!spec.serviceAccountName) {
    list(spec.volumes).forEach((v, vi) =>
      list(v.projected?.sources).forEach((s, si) => {
        if (isObj(s.serviceAccountToken)) {
          errs.push(fe.forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
        }
      }),
    );
  }
  for (const kind of ['containers', 'initContainers']) {
    list(spec[kind]).forEach((c, i) => {
      if (typeof c.image === 'string' && c.image.trim() !== c.image) errs.push(fe.invalid(`spec.${kind}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
    });
  }
  return errs;
}

function validateIPList(ips: unknown, path: string): FieldError[] {
  const l = list(ips);
  const errs: FieldError[] = [];
  l.forEach((p, i) => errs.push(...isValidIP(p.ip ?? '').map((m) => fe.invalid(`${path}[${i}]`, p.ip ?? '', m))));
  if (errs.length || l.length < 2) return errs;
  const families = l.map((p) => ipFamily(p.ip));
  if (l.length > 2 || families[0] === families[1]) errs.push(fe.invalid(path, l, 'may specify no more than one IP for each IP family'));
  const seen = new Set<string>();
  l.forEach((p, i) => {
    if (seen.has(p.ip)) errs.push(fe.duplicate(`${path}[${i}]`, p));
    seen.add(p.ip);
  });
  return errs;
}

/** A container that terminated for good may not come back (ValidateContainerStateTransition). */
function stateTransitions(now: unknown, before: unknown, path: string, restartPolicy: string): FieldError[] {
  if (restartPolicy === 'Always') return [];
  const errs: FieldError[] = [];
  list(before).forEach((o, i) => {
    const t = o.state?.terminated;
    if (!isObj(t)) return;
    if (t.exitCode !== 0 && restartPolicy === 'OnFailure') return;
    for (const n of list(now)) {
      if (n.name === o.name && !isObj(n.state?.terminated)) errs.push(fe.forbidden(`${path}[${i}].state`, 'may not be transitioned to non-terminated state'));
    }
  });
  return errs;
}

const SYSTEM_CONDITIONS = ['PodScheduled', 'Ready', 'Initialized'];

export const podStrategy: Strategy = {
  defaults(pod) {
    defaultPod(pod);
    syncIPs(pod.status as Obj);
  },
  prepareForCreate(pod) {
    const spec = child(pod, 'spec');
    pod.status = { phase: 'Pending', qosClass: podQOSClass(spec) };
    // applySchedulingGatedCondition: a gated pod says why it is not scheduled.
    if (list(spec.schedulingGates).length) {
      (pod.status as Obj).conditions = [
        { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates', lastProbeTime: null, lastTransitionTime: null },
      ];
    }
  },
  prepareForUpdate(pod, old) {
    pod.status = old.status;
  },
  validate(pod) {
    const errs = validatePod(pod);
    if (list((pod.spec as Obj)?.ephemeralContainers).length) errs.push(fe.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
    return errs;
  },
  validateUpdate(pod, old) {
    const errs = validatePod(pod);
    const a: Record<string, string> = pod.metadata?.annotations ?? {};
    const oa: Record<string, string> = old.metadata?.annotations ?? {};
    if (MIRROR in oa && a[MIRROR] !== oa[MIRROR]) errs.push(fe.forbidden(`metadata.annotations[${MIRROR}]`, 'may not remove or update mirror pod annotation'));
    if (MIRROR in a && !(MIRROR in oa)) errs.push(fe.forbidden(`metadata.annotations[${MIRROR}]`, 'may not add mirror pod annotation'));
    return [...errs, ...validatePodSpecUpdate((pod.spec as Obj) ?? {}, (old.spec as Obj) ?? {})];
  },
  prepareForStatusUpdate(pod, old) {
    pod.spec = old.spec;
    // Old kubelets corrupt owner references through pods/status; Kubernetes ignores them there.
    if (old.metadata?.ownerReferences) (pod.metadata ??= {}).ownerReferences = old.metadata.ownerReferences;
    else if (pod.metadata) delete pod.metadata.ownerReferences;
    const status = child(pod, 'status');
    if (!status.qosClass && (old.status as Obj)?.qosClass) status.qosClass = (old.status as Obj).qosClass;
    syncIPs(status);
  },
  validateStatusUpdate(pod, old) {
    const status: Obj = isObj(pod.status) ? pod.status : {};
    const errs: FieldError[] = [];
    list(status.conditions).forEach((c, i) => {
      if (SYSTEM_CONDITIONS.includes(c.type)) return;
      // Kubernetes reports these under metadata (its field path starts there).
      errs.push(...isQualifiedName(c.type ?? '').map((m) => fe.invalid(`metadata.conditions[${i}].Type`, c.type ?? '', m)));
    });
    if (status.nominatedNodeName && status.nominatedNodeName !== (old.status as Obj)?.nominatedNodeName) {
      errs.push(...isDNS1123Subdomain(status.nominatedNodeName).map((m) => fe.invalid('status.nominatedNodeName', status.nominatedNodeName, m)));
    }
    const rp = (old.spec as Obj)?.restartPolicy ?? 'Always';
    const os: Obj = (old.status as Obj) ?? {};
    errs.push(
      ...stateTransitions(status.containerStatuses, os.containerStatuses, 'status.containerStatuses', rp),
      ...stateTransitions(status.initContainerStatuses, os.initContainerStatuses, 'status.initContainerStatuses', rp),
      ...validateIPList(status.podIPs, 'status.podIPs'),
      ...validateIPList(status.hostIPs, 'status.hostIPs'),
    );
    return errs;
  },
  selectableFields(pod) {
    const spec: Obj = (pod.spec as Obj) ?? {};
    const status: Obj = (pod.status as Obj) ?? {};
    return {
      'spec.nodeName': spec.nodeName ?? '',
      'spec.restartPolicy': spec.restartPolicy ?? '',
      'spec.schedulerName': spec.schedulerName ?? '',
      'spec.serviceAccountName': spec.serviceAccountName ?? '',
      'spec.hostNetwork': String(!!spec.hostNetwork),
      'status.phase': status.phase ?? '',
      'status.podIP': list(status.podIPs)[0]?.ip ?? status.podIP ?? '',
      'status.nominatedNodeName': status.nominatedNodeName ?? '',
    };
  },
  nameValidation: 'subdomain',
  /**
   * CheckGracefulDelete: the requested period, else the pod's terminationGracePeriodSeconds;
   * at once when the pod never reached a node or has already finished.
   */
  gracePeriodSeconds(pod, requested) {
    const spec: Obj = (pod.spec as Obj) ?? {};
    let period = requested ?? spec.terminationGracePeriodSeconds ?? 0;
    if (!spec.nodeName) period = 0;
    const phase = (pod.status as Obj)?.phase;
    if (phase === 'Failed' || phase === 'Succeeded') period = 0;
    if (period < 0) period = 1;
    return period > 0 ? period : undefined;
  },
  tracksGeneration: false,
};

