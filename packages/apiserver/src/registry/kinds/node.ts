// Node: ValidateNode / ValidateNodeUpdate and pkg/registry/core/node/strategy.go. Nodes are
// created by their kubelet (here, the node-agent) with status included, so create keeps it.
import { Quantity } from '@minik/api';
import type { Strategy } from '../strategy.js';
import { fe, type FieldError } from '../validation/field-errors.js';
import { ipFamily, isValidLabelValue } from '../validation/formats.js';
import { validateLabelName } from '../validation/label-selector.js';
import { validateTaintEffect } from './pod-validation.js';
import { child, isObj, list, type Obj } from './util.js';

const CIDR = /^(.+)\/(\d{1,3})$/;
const validCIDR = (c: string) => {
  const m = CIDR.exec(c);
  if (!m) return false;
  const fam = ipFamily(m[1]);
  return fam !== 0 && Number(m[2]) <= (fam === 4 ? 32 : 128);
};

function validateTaints(taints: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  list(taints).forEach((t, i) => {
    // Kubernetes builds this path from metadata (a quirk kept for identical messages).
    const p = `metadata.taints[${i}]`;
    errs.push(...validateLabelName(t.key ?? '', `${p}.key`));
    const msgs = isValidLabelValue(t.value ?? '');
    if (msgs.length) errs.push(fe.invalid(`${p}.value`, t.value ?? '', msgs.join(';')));
    errs.push(...validateTaintEffect(t.effect, false, `${p}.effect`));
    const key = `${t.effect}\u0000${t.key}`;
    if (seen.has(key)) {
      errs.push({ ...fe.duplicate(p, t), detail: 'taints must be unique by key and effect pair', valueText: `core.Taint{Key:${JSON.stringify(t.key ?? '')}, Value:${JSON.stringify(t.value ?? '')}, Effect:${JSON.stringify(t.effect ?? '')}, TimeAdded:<nil>}` });
    } else seen.add(key);
  });
  return errs;
}

function validateResources(node: Obj): FieldError[] {
  const errs: FieldError[] = [];
  for (const kind of ['capacity', 'allocatable']) {
    for (const [k, v] of Object.entries((node.status as Obj)?.[kind] ?? {})) {
      if ((Quantity.fromJSON(v)?.sign() ?? 0) < 0) errs.push(fe.invalid(`status.${kind}.${k}`, String(v), 'must be greater than or equal to 0'));
    }
  }
  return errs;
}

function validatePodCIDRs(spec: Obj): FieldError[] {
  const cidrs = list<string>(spec.podCIDRs);
  const errs: FieldError[] = [];
  cidrs.forEach((c, i) => !validCIDR(c) && errs.push(fe.invalid(`spec.podCIDRs[${i}]`, cidrs, 'must be valid CIDR')));
  if (cidrs.length > 1) {
    const fams = cidrs.map((c) => ipFamily(c.split('/')[0]));
    if (cidrs.length > 2 || fams[0] === fams[1]) errs.push(fe.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
    const seen = new Set<string>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push(fe.duplicate(`spec.podCIDRs[${i}]`, c));
      seen.add(c);
    });
  }
  return errs;
}

const specOf = (o: Obj): Obj => (isObj(o.spec) ? o.spec : {});

export const nodeStrategy: Strategy = {
  defaults(node) {
    const status = node.status as Obj | undefined;
    if (isObj(status) && status.allocatable === undefined && isObj(status.capacity)) status.allocatable = { ...status.capacity };
    // v1 conversion keeps podCIDR as the first of podCIDRs.
    const spec = child(node, 'spec');
    if (spec.podCIDR && !list(spec.podCIDRs).length) spec.podCIDRs = [spec.podCIDR];
    else if (list(spec.podCIDRs).length) spec.podCIDR = spec.podCIDRs[0];
  },
  prepareForCreate(node) {
    // Dynamic kubelet config is gone; its fields are always dropped.
    delete specOf(node).configSource;
    if (isObj(node.status)) delete node.status.config;
  },
  prepareForUpdate(node, old) {
    node.status = old.status;
    if (!specOf(old).configSource) delete specOf(node).configSource;
  },
  validate(node) {
    return [...validateTaints(specOf(node).taints), ...validateResources(node), ...validatePodCIDRs(specOf(node))];
  },
  validateUpdate(node, old) {
    const spec = specOf(node);
    const os = specOf(old);
    const errs = validateResources(node);
    const addrs = new Set<string>();
    list((node.status as Obj)?.addresses).forEach((a, i) => {
      const k = `${a.type}\u0000${a.address}`;
      if (addrs.has(k)) errs.push(fe.duplicate(`status.addresses[${i}]`, a));
      addrs.add(k);
    });
    const oldCIDRs = list<string>(os.podCIDRs);
    const newCIDRs = list<string>(spec.podCIDRs);
    if (oldCIDRs.length && (oldCIDRs.length !== newCIDRs.length || oldCIDRs.some((c, i) => c !== newCIDRs[i]))) {
      errs.push(fe.forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    }
    if (os.providerID && os.providerID !== spec.providerID) errs.push(fe.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
    errs.push(...validateTaints(spec.taints));
    if ((spec.externalID ?? '') !== (os.externalID ?? '')) errs.push(fe.forbidden('spec.externalID', 'may not be updated'));
    return [...errs, ...validatePodCIDRs(spec)];
  },
  prepareForStatusUpdate(node, old) {
    node.spec = old.spec;
  },
  validateStatusUpdate(node) {
    return validateResources(node);
  },
  selectableFields(node) {
    return { 'spec.unschedulable': String(!!specOf(node).unschedulable) };
  },
  nameValidation: 'subdomain',
  tracksGeneration: false,
};
