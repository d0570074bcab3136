// Container env and envFrom (ValidateEnv, validateEnvVarValueFrom, ValidateEnvFrom) and the
// downward-API field selectors they share with downwardAPI volumes.
import { fe, type FieldError } from '../validation/field-errors.js';
import { validateName } from '../validation/dns.js';
import { isConfigMapKey, isEnvVarName, isQualifiedName } from '../validation/formats.js';
import { isObj, list, type Obj } from './util.js';

/** Field paths the v1 downward API converts (ConvertDownwardAPIFieldLabel). */
const CONVERTIBLE = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid',
  'spec.nodeName', 'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName',
  'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
]);
const ENV_FIELDS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const RESOURCE_FIELDS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

/** validateObjectFieldSelector: `allowed` are the paths usable without a subscript. */
export function validateFieldSelector(fs: Obj, allowed: string[], path: string): FieldError[] {
  if (!fs.apiVersion) return [fe.required(`${path}.apiVersion`)];
  if (!fs.fieldPath) return [fe.required(`${path}.fieldPath`)];
  const fp: string = fs.fieldPath;
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fp) ?? /^([^[]+)\[(.*)\]$/.exec(fp);
  const base = sub ? sub[1] : fp;
  if (!CONVERTIBLE.has(base)) return [fe.invalid(`${path}.fieldPath`, fp, `error converting fieldPath: field label not supported: ${fp}`)];
  if (sub) {
    if (base === 'metadata.annotations') return isQualifiedName(sub[2].toLowerCase()).map((m) => fe.invalid(path, sub[2].toLowerCase(), m));
    if (base === 'metadata.labels') return isQualifiedName(sub[2]).map((m) => fe.invalid(path, sub[2], m));
    return [fe.invalid(path, base, 'does not support subscript')];
  }
  return allowed.includes(base) ? [] : [fe.notSupported(`${path}.fieldPath`, base, allowed)];
}

function keySelector(s: Obj, path: string): FieldError[] {
  // Kubernetes checks the referenced name with the Secret/ConfigMap name rule (DNS subdomain).
  const errs = validateName('subdomain', s.name ?? '', false).map((m) => fe.invalid(`${path}.name`, s.name ?? '', m));
  if (!s.key) errs.push(fe.required(`${path}.key`));
  else errs.push(...isConfigMapKey(s.key).map((m) => fe.invalid(`${path}.key`, s.key, m)));
  return errs;
}

function valueFrom(ev: Obj, path: string): FieldError[] {
  const vf = ev.valueFrom;
  if (!isObj(vf)) return [];
  const errs: FieldError[] = [];
  let n = 0;
  if (isObj(vf.fieldRef)) {
    n++;
    errs.push(...validateFieldSelector(vf.fieldRef, ENV_FIELDS, `${path}.fieldRef`));
  }
  if (isObj(vf.resourceFieldRef)) {
    n++;
    const r = vf.resourceFieldRef;
    if (!r.resource) errs.push(fe.required(`${path}.resourceFieldRef.resource`));
    else if (!RESOURCE_FIELDS.includes(r.resource) && !/^(requests|limits)\.hugepages-/.test(r.resource)) {
      errs.push(fe.notSupported(`${path}.resourceFieldRef.resource`, r.resource, RESOURCE_FIELDS));
    }
  }
  if (isObj(vf.configMapKeyRef)) {
    n++;
    errs.push(...keySelector(vf.configMapKeyRef, `${path}.configMapKeyRef`));
  }
  if (isObj(vf.secretKeyRef)) {
    n++;
    errs.push(...keySelector(vf.secretKeyRef, `${path}.secretKeyRef`));
  }
  if (n === 0) errs.push(fe.invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (ev.value) errs.push(fe.invalid(path, '', 'may not be specified when `value` is not empty'));
  else if (n > 1) errs.push(fe.invalid(path, '', 'may not have more than one field specified at a time'));
  return errs;
}

export function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(env).forEach((ev, i) => {
    const p = `${path}[${i}]`;
    if (!ev.name) errs.push(fe.required(`${p}.name`));
    else errs.push(...isEnvVarName(ev.name).map((m) => fe.invalid(`${p}.name`, ev.name, m)));
    errs.push(...valueFrom(ev, `${p}.valueFrom`));
  });
  return errs;
}

export function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(envFrom).forEach((ev, i) => {
    const p = `${path}[${i}]`;
    if (ev.prefix) errs.push(...isEnvVarName(ev.prefix).map((m) => fe.invalid(`${p}.prefix`, ev.prefix, m)));
    let n = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      const ref = ev[kind];
      if (!isObj(ref)) continue;
      n++;
      if (!ref.name) errs.push(fe.required(`${p}.${kind}.name`));
      else errs.push(...validateName('subdomain', ref.name, true).map((m) => fe.invalid(`${p}.${kind}.name`, ref.name, m)));
    }
    if (n === 0) errs.push(fe.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(fe.invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}
