// PodSpec validation (ValidatePodSpec and the pod-level checks it calls), pod templates, and
// the rules for updating a Pod: shared by Pod, Deployment and ReplicaSet.
import { fe, type FieldError } from '../validation/field-errors.js';
import { inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, validateName } from '../validation/dns.js';
import { ipFamily, isQualifiedName, isValidLabelValue } from '../validation/formats.js';
import { validateAnnotations, validateLabels } from '../validation/meta.js';
import { validateLabelName, validateLabelSelector } from '../validation/label-selector.js';
import { idRange, validateAppArmorProfile, validateContainers, validateInitContainers, validateResources, validateSeccompProfile } from './container-validation.js';
import { validateVolumes } from './volume-validation.js';
import { goFieldName, isObj, list, semanticEqual, type Obj } from './util.js';

const MAX_INT32 = 2147483647;
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

const q = (s: unknown) => JSON.stringify(s ?? '');

export function validateTaintEffect(effect: string | undefined, allowEmpty: boolean, path: string): FieldError[] {
  if (!allowEmpty && !effect) return [fe.required(path)];
  return effect && !EFFECTS.includes(effect) ? [fe.notSupported(path, effect, EFFECTS)] : [];
}

function goToleration(t: Obj): string {
  const secs = t.tolerationSeconds === undefined ? '(*int64)(nil)' : `(*int64)(${t.tolerationSeconds})`;
  return `core.Toleration{Key:${q(t.key)}, Operator:${q(t.operator)}, Value:${q(t.value)}, Effect:${q(t.effect)}, TolerationSeconds:${secs}}`;
}

export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(tolerations).forEach((t, i) => {
    const p = `${path}[${i}]`;
    if (t.key) errs.push(...validateLabelName(t.key, `${p}.key`));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(fe.invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(fe.invalid(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (t.operator ?? '') {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(t.value ?? '');
        if (msgs.length) errs.push(fe.invalid(`${p}.operator`, t.value ?? '', msgs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value) errs.push({ ...fe.invalid(`${p}.operator`, t, "value must be empty when `operator` is 'Exists'"), valueText: goToleration(t) });
        break;
      default:
        errs.push(fe.notSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    }
    if (t.effect) errs.push(...validateTaintEffect(t.effect, true, `${p}.effect`));
  });
  return errs;
}

function validateNodeSelectorTerm(term: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(term.matchExpressions).forEach((r, j) => {
    const p = `${path}.matchExpressions[${j}]`;
    const n = list(r.values).length;
    switch (r.operator) {
      case 'In':
      case 'NotIn':
        if (!n) errs.push(fe.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (n) errs.push(fe.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      case 'Gt':
      case 'Lt':
        if (n !== 1) errs.push(fe.required(`${p}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
        break;
      default:
        errs.push(fe.invalid(`${p}.operator`, r.operator ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(r.key ?? '', `${p}.key`));
  });
  list(term.matchFields).forEach((r, j) => {
    const p = `${path}.matchFields[${j}]`;
    if (r.operator === 'In' || r.operator === 'NotIn') {
      if (list(r.values).length !== 1) errs.push(fe.required(`${p}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    } else errs.push(fe.invalid(`${p}.operator`, r.operator ?? '', 'not a valid selector operator'));
    if (r.key !== 'metadata.name') errs.push(fe.invalid(`${p}.key`, r.key ?? '', 'not a valid field selector key'));
    else list<string>(r.values).forEach((v, k) => errs.push(...isDNS1123Subdomain(v).map((m) => fe.invalid(`${p}.values[${k}]`, v, m))));
  });
  return errs;
}

function validatePodAffinityTerm(t: Obj, path: string): FieldError[] {
  const errs = [...validateLabelSelector(t.labelSelector, `${path}.labelSelector`), ...validateLabelSelector(t.namespaceSelector, `${path}.namespaceSelector`)];
  for (const ns of list<string>(t.namespaces)) errs.push(...validateName('label', ns, false).map((m) => fe.invalid(`${path}.namespace`, ns, m)));
  if (!t.topologyKey) errs.push(fe.required(`${path}.topologyKey`, 'can not be empty'));
  return [...errs, ...validateLabelName(t.topologyKey ?? '', `${path}.topologyKey`)];
}

function validateAffinity(a: Obj | undefined, path: string): FieldError[] {
  if (!isObj(a)) return [];
  const errs: FieldError[] = [];
  const weight = (w: unknown, p: string) => (typeof w !== 'number' || w <= 0 || w > 100 ? [fe.invalid(p, w ?? 0, 'must be in the range 1-100')] : []);
  const na = a.nodeAffinity;
  if (isObj(na)) {
    const p = `${path}.nodeAffinity`;
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (isObj(req)) {
      const terms = list(req.nodeSelectorTerms);
      if (!terms.length) errs.push(fe.required(`${p}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, 'must have at least one node selector term'));
      terms.forEach((t, i) => errs.push(...validateNodeSelectorTerm(t, `${p}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`)));
    }
    list(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const tp = `${p}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      errs.push(...weight(t.weight, `${tp}.weight`), ...validateNodeSelectorTerm(t.preference ?? {}, `${tp}.preference`));
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = a[kind];
    if (!isObj(pa)) continue;
    const p = `${path}.${kind}`;
    list(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => errs.push(...validatePodAffinityTerm(t, `${p}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`)));
    list(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const tp = `${p}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      errs.push(...weight(t.weight, `${tp}.weight`), ...validatePodAffinityTerm(t.podAffinityTerm ?? {}, `${tp}.podAffinityTerm`));
    });
  }
  return errs;
}

function validateTopologySpread(constraints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const cs = list(constraints);
  const actions = ['DoNotSchedule', 'ScheduleAnyway'];
  const policies = ['Honor', 'Ignore'];
  cs.forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!(c.maxSkew > 0)) errs.push(fe.invalid(`${p}.maxSkew`, c.maxSkew ?? 0, 'must be greater than zero'));
    if (!c.topologyKey) errs.push(fe.required(`${p}.topologyKey`, 'can not be empty'));
    else errs.push(...validateLabelName(c.topologyKey, `${p}.topologyKey`));
    if (!actions.includes(c.whenUnsatisfiable)) errs.push(fe.notSupported(`${p}.whenUnsatisfiable`, c.whenUnsatisfiable ?? '', actions));
    if (cs.slice(i + 1).some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) {
      errs.push(fe.duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${c.topologyKey ?? ''}, ${c.whenUnsatisfiable ?? ''}}`));
    }
    if (c.minDomains !== undefined) {
      if (c.minDomains <= 0) errs.push(fe.invalid(`${p}.minDomains`, c.minDomains, 'must be greater than zero'));
      if (c.whenUnsatisfiable !== 'DoNotSchedule') {
        errs.push(fe.invalid(`${p}.minDomains`, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable ?? ''}`));
      }
    }
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      if (c[f] !== undefined && !policies.includes(c[f])) errs.push(fe.notSupported(`${p}.${f}`, c[f], policies));
    }
    errs.push(...validateLabelSelector(c.labelSelector, `${p}.labelSelector`));
    list<string>(c.matchLabelKeys).forEach((k, j) => errs.push(...validateLabelName(k, `${p}.matchLabelKeys[${j}]`)));
  });
  return errs;
}

function validateDNSConfig(cfg: Obj | undefined, policy: string, path: string): FieldError[] {
  if (policy === 'None') {
    if (!isObj(cfg)) return [fe.required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!list(cfg.nameservers).length) return [fe.required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!isObj(cfg)) return [];
  const errs: FieldError[] = [];
  const ns = list<string>(cfg.nameservers);
  if (ns.length > 3) errs.push(fe.invalid(`${path}.nameservers`, ns, 'must not have more than 3 nameservers'));
  ns.forEach((s, i) => !ipFamily(s) && errs.push(fe.invalid(`${path}.nameservers[${i}]`, s, 'must be valid IP address')));
  const searches = list<string>(cfg.searches);
  if (searches.length > 32) errs.push(fe.invalid(`${path}.searches`, searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) errs.push(fe.invalid(`${path}.searches`, searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  searches.forEach((s, i) => {
    const t = s.replace(/\.$/, '');
    errs.push(...isDNS1123Subdomain(t).map((m) => fe.invalid(`${path}.searches[${i}]`, t, m)));
  });
  list(cfg.options).forEach((o, i) => !o.name && errs.push(fe.required(`${path}.options[${i}]`, 'must not be empty')));
  return errs;
}

const SYSCTL_RE = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

function validatePodSecurityContext(spec: Obj, specPath: string): FieldError[] {
  const sc = spec.securityContext;
  const path = `${specPath}.securityContext`;
  const errs: FieldError[] = [];
  if (spec.hostNetwork) {
    list(spec.containers).forEach((c, i) =>
      list(c.ports).forEach((p, j) => {
        if (p.hostPort !== p.containerPort) {
          errs.push(fe.invalid(`${specPath}.containers[${i}].ports[${j}].containerPort`, p.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
        }
      }),
    );
  }
  if (!isObj(sc)) return errs;
  errs.push(...idRange(sc.fsGroup, `${path}.fsGroup`), ...idRange(sc.runAsUser, `${path}.runAsUser`), ...idRange(sc.runAsGroup, `${path}.runAsGroup`));
  list<number>(sc.supplementalGroups).forEach((g, i) => errs.push(...idRange(g, `${path}.supplementalGroups[${i}]`)));
  if (spec.shareProcessNamespace && spec.hostPID) {
    errs.push(fe.invalid(`${specPath}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  const names = new Set<string>();
  list(sc.sysctls).forEach((s, i) => {
    const p = `${path}.sysctls[${i}].name`;
    if (!s.name) errs.push(fe.required(p));
    else if (s.name.length > 253 || !SYSCTL_RE.test(s.name)) errs.push(fe.invalid(p, s.name, `must have at most 253 characters and match regex ${SYSCTL_RE.source}`));
    else if (names.has(s.name)) errs.push(fe.duplicate(p, s.name));
    names.add(s.name);
  });
  if (sc.fsGroupChangePolicy !== undefined && !['Always', 'OnRootMismatch'].includes(sc.fsGroupChangePolicy)) {
    errs.push(fe.notSupported(`${path}.fsGroupChangePolicy`, sc.fsGroupChangePolicy, ['Always', 'OnRootMismatch']));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`), ...validateAppArmorProfile(sc.appArmorProfile, `${path}.appArmorProfile`));
  return errs;
}

/** ValidatePodSpec. `path` is `spec` for a Pod, `spec.template.spec` for a workload. */
export function validatePodSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const vols = validateVolumes(spec.volumes, `${path}.volumes`);
  const grace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined;
  errs.push(
    ...vols.errs,
    ...validateContainers(spec.containers, vols, `${path}.containers`, grace),
    ...validateInitContainers(spec.initContainers, spec.containers, vols, `${path}.initContainers`, grace),
  );
  const rp = spec.restartPolicy ?? '';
  if (!rp) errs.push(fe.required(`${path}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(rp)) errs.push(fe.notSupported(`${path}.restartPolicy`, rp, RESTART_POLICIES));
  const dp = spec.dnsPolicy ?? '';
  if (!dp) errs.push(fe.required(`${path}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(dp)) errs.push(fe.notSupported(`${path}.dnsPolicy`, dp, DNS_POLICIES));
  errs.push(
    ...validateLabels(spec.nodeSelector, `${path}.nodeSelector`),
    ...validatePodSecurityContext(spec, path),
    ...validateAffinity(spec.affinity, `${path}.affinity`),
    ...validateDNSConfig(spec.dnsConfig, dp, `${path}.dnsConfig`),
  );
  list(spec.readinessGates).forEach((g, i) => errs.push(...isQualifiedName(g.conditionType ?? '').map((m) => fe.invalid(`${path}.readinessGates[${i}].conditionType`, g.conditionType ?? '', m))));
  errs.push(...validateTopologySpread(spec.topologySpreadConstraints, `${path}.topologySpreadConstraints`));
  if (spec.serviceAccountName) errs.push(...isDNS1123Subdomain(spec.serviceAccountName).map((m) => fe.invalid(`${path}.serviceAccountName`, spec.serviceAccountName, m)));
  if (spec.nodeName) errs.push(...isDNS1123Subdomain(spec.nodeName).map((m) => fe.invalid(`${path}.nodeName`, spec.nodeName, m)));
  if (spec.activeDeadlineSeconds !== undefined && (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > MAX_INT32)) {
    errs.push(fe.invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, inclusiveRangeError(1, MAX_INT32)));
  }
  if (spec.hostname) errs.push(...isDNS1123Label(spec.hostname).map((m) => fe.invalid(`${path}.hostname`, spec.hostname, m)));
  if (spec.subdomain) errs.push(...isDNS1123Label(spec.subdomain).map((m) => fe.invalid(`${path}.subdomain`, spec.subdomain, m)));
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  for (const ha of list(spec.hostAliases)) {
    if (!ipFamily(ha.ip ?? '')) errs.push(fe.invalid(`${path}.hostAliases.ip`, ha.ip ?? '', 'must be valid IP address'));
    for (const h of list<string>(ha.hostnames)) errs.push(...isDNS1123Subdomain(h).map((m) => fe.invalid(`${path}.hostAliases.hostnames`, h, m)));
  }
  if (spec.priorityClassName) errs.push(...isDNS1123Subdomain(spec.priorityClassName).map((m) => fe.invalid(`${path}.priorityClassName`, spec.priorityClassName, m)));
  if (spec.runtimeClassName !== undefined) errs.push(...isDNS1123Subdomain(spec.runtimeClassName).map((m) => fe.invalid(`${path}.runtimeClassName`, spec.runtimeClassName, m)));
  if (spec.preemptionPolicy !== undefined && !['PreemptLowerPriority', 'Never'].includes(spec.preemptionPolicy)) {
    errs.push(fe.notSupported(`${path}.preemptionPolicy`, spec.preemptionPolicy, ['PreemptLowerPriority', 'Never']));
  }
  if (isObj(spec.overhead)) errs.push(...validateResources({ limits: spec.overhead }, `${path}.overhead`).map((e) => ({ ...e, field: e.field.replace(`${path}.overhead.limits`, `${path}.overhead`) })));
  if (isObj(spec.os)) {
    if (!spec.os.name) errs.push(fe.required(`${path}.os.name`, 'cannot be empty'));
    else if (!['linux', 'windows'].includes(spec.os.name)) errs.push(fe.notSupported(`${path}.os`, spec.os.name, ['linux', 'windows']));
  }
  const gates = new Set<string>();
  list(spec.schedulingGates).forEach((g, i) => {
    errs.push(...isQualifiedName(g.name ?? '').map((m) => fe.invalid(`${path}.schedulingGates[${i}]`, g.name ?? '', m)));
    if (gates.has(g.name)) errs.push(fe.duplicate(`${path}.schedulingGates[${i}]`, g.name));
    gates.add(g.name);
  });
  return errs;
}

/** ValidatePodTemplateSpec: a template's labels, annotations and spec. */
export function validatePodTemplateSpec(t: Obj | undefined, path: string): FieldError[] {
  const tpl = isObj(t) ? t : {};
  const m = isObj(tpl.metadata) ? tpl.metadata : {};
  const spec = isObj(tpl.spec) ? tpl.spec : {};
  const errs = [...validateLabels(m.labels, `${path}.labels`), ...validateAnnotations(m.annotations, `${path}.annotations`), ...validatePodSpec(spec, `${path}.spec`)];
  if (list(spec.ephemeralContainers).length) errs.push(fe.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  return errs;
}

/** Containers' images must stay set; the count may not change (ValidateContainerUpdates). */
function containerUpdates(now: Obj[], before: Obj[], path: string): { errs: FieldError[]; stop: boolean } {
  if (now.length !== before.length) return { errs: [fe.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  now.forEach((c, i) => {
    if (!c.image) errs.push(fe.required(`${path}[${i}].image`));
    if (typeof c.image === 'string' && c.image.trim() !== c.image) errs.push(fe.invalid(`${path}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** A short stand-in for Go's cmp.Diff of the two specs: the top-level fields that differ. */
function specDiff(before: Obj, after: Obj): string {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const lines = ['  core.PodSpec{'];
  for (const k of keys) {
    if (semanticEqual(before[k], after[k])) continue;
    if (before[k] !== undefined) lines.push(`- \t${goFieldName(k)}: ${JSON.stringify(before[k])},`);
    if (after[k] !== undefined) lines.push(`+ \t${goFieldName(k)}: ${JSON.stringify(after[k])},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

/** The spec-related part of ValidatePodUpdate: which fields a Pod update may change. */
export function validatePodSpecUpdate(spec: Obj, old: Obj): FieldError[] {
  const errs: FieldError[] = [];
  for (const kind of ['containers', 'initContainers']) {
    const r = containerUpdates(list(spec[kind]), list(old[kind]), `spec.${kind}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined) {
    if (ads < 0 || ads > MAX_INT32) return [...errs, fe.invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, MAX_INT32))];
    if (old.activeDeadlineSeconds !== undefined && old.activeDeadlineSeconds < ads) {
      return [...errs, fe.invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value')];
    }
  } else if (old.activeDeadlineSeconds !== undefined) {
    errs.push(fe.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  // Tolerations may only be added (or have their tolerationSeconds changed).
  const sameButSeconds = (a: Obj, b: Obj) => semanticEqual({ ...a, tolerationSeconds: undefined }, { ...b, tolerationSeconds: undefined });
  if (!list(old.tolerations).every((o) => list(spec.tolerations).some((n) => sameButSeconds(o, n)))) {
    errs.push(fe.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  } else errs.push(...validateTolerations(spec.tolerations, 'spec.tolerations'));
  // Scheduling gates may only be removed.
  const oldGates = new Set(list(old.schedulingGates).map((g) => g.name));
  for (const g of list(spec.schedulingGates)) {
    if (!oldGates.has(g.name)) errs.push(fe.forbidden('spec.schedulingGates', `only deletion is allowed, but found new scheduling gate '${g.name}'`));
  }
  if (semanticEqual(spec, old)) return errs;
  const munged: Obj = structuredClone(spec);
  list(munged.containers).forEach((c, i) => (c.image = old.containers[i].image));
  list(munged.initContainers).forEach((c, i) => (c.image = old.initContainers[i].image));
  munged.activeDeadlineSeconds = old.activeDeadlineSeconds;
  munged.tolerations = old.tolerations;
  munged.schedulingGates = old.schedulingGates;
  if (old.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  if (!semanticEqual(munged, old)) errs.push(fe.forbidden('spec', `${POD_UPDATE_FORBIDDEN}\n${specDiff(old, munged)}`));
  return errs;
}
