// Pod volumes and volume mounts (ValidateVolumes, validateVolumeSource, ValidateVolumeMounts).
// The common sources are checked field by field; cloud and legacy plugins only for "one
// source per volume", which is what a manifest gets wrong in practice.
import { Quantity } from '@minik/api';
import { fe, type FieldError } from '../validation/field-errors.js';
import { isDNS1123Label } from '../validation/dns.js';
import { isObj, list, type Obj } from './util.js';
import { validateFieldSelector } from './env-validation.js';

const FILE_MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const VOLUME_FIELD_ORDER = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'flocker', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc', 'flexVolume', 'configMap',
  'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'storageos', 'projected', 'scaleIO',
  'csi', 'ephemeral',
];

const abs = (p: string) => p.startsWith('/');

function noBacksteps(p: string, path: string): FieldError[] {
  return p.split(/[\\/]/).includes('..') ? [fe.invalid(path, p, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative, no `..` element. */
export function localDescendingPath(p: string, path: string): FieldError[] {
  return [...(abs(p) ? [fe.invalid(path, p, 'must be a relative path')] : []), ...noBacksteps(p, path)];
}

/** ValidateLocalNonReservedPath: also may not start with `..`. */
function localNonReservedPath(p: string, path: string): FieldError[] {
  const errs = localDescendingPath(p, path);
  if (p.startsWith('..') && !p.startsWith('../')) errs.push(fe.invalid(path, p, "must not start with '..'"));
  return errs;
}

function fileMode(mode: unknown, path: string): FieldError[] {
  return typeof mode === 'number' && (mode > 0o777 || mode < 0) ? [fe.invalid(path, mode, FILE_MODE_MSG)] : [];
}

function keyToPath(kp: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!kp.key) errs.push(fe.required(`${path}.key`));
  if (!kp.path) errs.push(fe.required(`${path}.path`));
  errs.push(...localNonReservedPath(kp.path ?? '', `${path}.path`), ...fileMode(kp.mode, `${path}.mode`));
  return errs;
}

const DOWNWARD_VOLUME_FIELDS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

function downwardAPIFile(f: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!f.path) errs.push(fe.required(`${path}.path`));
  errs.push(...localNonReservedPath(f.path ?? '', `${path}.path`));
  if (isObj(f.fieldRef)) {
    errs.push(...validateFieldSelector(f.fieldRef, DOWNWARD_VOLUME_FIELDS, `${path}.fieldRef`));
    if (isObj(f.resourceFieldRef)) errs.push(fe.invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (isObj(f.resourceFieldRef)) {
    if (!f.resourceFieldRef.containerName) errs.push(fe.required(`${path}.resourceFieldRef.containerName`));
  } else {
    errs.push(fe.required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  return [...errs, ...fileMode(f.mode, `${path}.mode`)];
}

function projectedSources(src: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [...fileMode(src.defaultMode, `${path}.defaultMode`)];
  const paths = new Set<string>();
  const claim = (p: string | undefined, name: string) => {
    if (!p) return;
    if (paths.has(p)) errs.push(fe.invalid(path, name, 'conflicting duplicate paths'));
    paths.add(p);
  };
  list(src.sources).forEach((s, i) => {
    const sp = `${path}.sources[${i}]`;
    let n = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      if (!isObj(s[kind])) continue;
      n++;
      if (!s[kind].name) errs.push(fe.required(`${sp}.${kind}.name`));
      list(s[kind].items).forEach((kp, j) => {
        errs.push(...keyToPath(kp, `${sp}.${kind}.items[${j}]`));
        claim(kp.path, s[kind].name ?? '');
      });
    }
    if (isObj(s.downwardAPI)) {
      n++;
      for (const f of list(s.downwardAPI.items)) {
        errs.push(...downwardAPIFile(f, `${sp}.downwardAPI`));
        claim(f.path, f.path);
      }
    }
    if (isObj(s.serviceAccountToken)) {
      n++;
      const t = s.serviceAccountToken;
      const exp = t.expirationSeconds ?? 0;
      if (exp < 600) errs.push(fe.invalid(`${sp}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(fe.invalid(`${sp}.serviceAccountToken.expirationSeconds`, exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!t.path) errs.push(fe.required(`${path}.path`));
      else errs.push(...localNonReservedPath(t.path, `${path}.path`));
    }
    if (isObj(s.clusterTrustBundle)) {
      n++;
      if (!s.clusterTrustBundle.path) errs.push(fe.required(`${sp}.clusterTrustBundle.path`));
    }
    if (n > 1) errs.push(fe.forbidden(sp, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

function volumeSource(v: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of VOLUME_FIELD_ORDER) {
    const src = v[kind];
    if (!isObj(src)) continue;
    if (n > 0) {
      errs.push(fe.forbidden(`${path}.${kind}`, 'may not specify more than 1 volume type'));
      continue;
    }
    n++;
    const p = `${path}.${kind}`;
    switch (kind) {
      case 'emptyDir':
        if (src.sizeLimit !== undefined && (Quantity.fromJSON(src.sizeLimit)?.sign() ?? 0) < 0) errs.push(fe.forbidden(`${p}.sizeLimit`, 'SizeLimit field must be a valid resource quantity'));
        break;
      case 'hostPath':
        if (!src.path) {
          errs.push(fe.required(`${p}.path`));
          break;
        }
        errs.push(...noBacksteps(src.path, `${p}.path`));
        if (typeof src.type === 'string' && !HOST_PATH_TYPES.includes(src.type)) errs.push(fe.notSupported(`${p}.type`, src.type, HOST_PATH_TYPES));
        break;
      case 'secret':
        if (!src.secretName) errs.push(fe.required(`${p}.secretName`));
        errs.push(...fileMode(src.defaultMode, `${p}.defaultMode`));
        list(src.items).forEach((kp, i) => errs.push(...keyToPath(kp, `${p}.items[${i}]`)));
        break;
      case 'configMap':
        if (!src.name) errs.push(fe.required(`${p}.name`));
        errs.push(...fileMode(src.defaultMode, `${p}.defaultMode`));
        list(src.items).forEach((kp, i) => errs.push(...keyToPath(kp, `${p}.items[${i}]`)));
        break;
      case 'persistentVolumeClaim':
        if (!src.claimName) errs.push(fe.required(`${p}.claimName`));
        break;
      case 'nfs':
        if (!src.server) errs.push(fe.required(`${p}.server`));
        if (!src.path) errs.push(fe.required(`${p}.path`));
        if (!abs(src.path ?? '')) errs.push(fe.invalid(`${p}.path`, src.path ?? '', 'must be an absolute path'));
        break;
      case 'downwardAPI':
        errs.push(...fileMode(src.defaultMode, `${p}.defaultMode`));
        // Kubernetes reports item errors under the volume source itself.
        for (const f of list(src.items)) errs.push(...downwardAPIFile(f, p));
        break;
      case 'projected':
        errs.push(...projectedSources(src, p));
        break;
      case 'gitRepo':
        if (!src.repository) errs.push(fe.required(`${p}.repository`));
        errs.push(...localDescendingPath(src.directory ?? '', `${p}.directory`));
        break;
      case 'ephemeral':
        if (!isObj(src.volumeClaimTemplate)) errs.push(fe.required(`${p}.volumeClaimTemplate`));
        break;
      case 'csi':
        if (!src.driver) errs.push(fe.required(`${p}.driver`));
        break;
    }
  }
  if (n === 0) errs.push(fe.required(path, 'must specify a volume type'));
  return errs;
}

/** ValidateVolumes: returns the names of the valid volumes, for the mounts to refer to. */
export function validateVolumes(volumes: unknown, path: string): { names: Set<string>; sources: Map<string, Obj>; errs: FieldError[] } {
  const names = new Set<string>();
  const sources = new Map<string, Obj>();
  const errs: FieldError[] = [];
  list(volumes).forEach((v, i) => {
    const p = `${path}[${i}]`;
    const el = volumeSource(v, p);
    if (!v.name) el.push(fe.required(`${p}.name`));
    else el.push(...isDNS1123Label(v.name).map((m) => fe.invalid(`${p}.name`, v.name, m)));
    if (names.has(v.name)) el.push(fe.duplicate(`${p}.name`, v.name));
    if (el.length) errs.push(...el);
    else {
      names.add(v.name);
      sources.set(v.name, v);
    }
  });
  return { names, sources, errs };
}

const PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];

export function validateVolumeMounts(c: Obj, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  const devices = new Map<string, string>(list(c.volumeDevices).map((d) => [d.name, d.devicePath]));
  list(c.volumeMounts).forEach((m, i) => {
    const p = `${path}[${i}]`;
    if (!m.name) errs.push(fe.required(`${p}.name`));
    if (!volumes.has(m.name)) errs.push(fe.notFound(`${p}.name`, m.name ?? ''));
    if (!m.mountPath) errs.push(fe.required(`${p}.mountPath`));
    if (mountPoints.has(m.mountPath)) errs.push(fe.invalid(`${p}.mountPath`, m.mountPath, 'must be unique'));
    mountPoints.add(m.mountPath);
    if (devices.has(m.name)) errs.push(fe.invalid(`${p}.name`, m.name, 'must not already exist in volumeDevices'));
    if ([...devices.values()].includes(m.mountPath)) errs.push(fe.invalid(`${p}.mountPath`, m.mountPath, 'must not already exist as a path in volumeDevices'));
    if (m.subPath) errs.push(...localDescendingPath(m.subPath, `${p}.subPath`));
    if (m.subPathExpr) {
      if (m.subPath) errs.push(fe.invalid(`${p}.subPathExpr`, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...localDescendingPath(m.subPathExpr, `${p}.subPathExpr`));
    }
    if (m.mountPropagation !== undefined) {
      if (!PROPAGATIONS.includes(m.mountPropagation)) errs.push(fe.notSupported(`${p}.mountPropagation`, m.mountPropagation, PROPAGATIONS));
      else if (m.mountPropagation === 'Bidirectional' && !c.securityContext?.privileged) {
        errs.push(fe.forbidden(`${p}.mountPropagation`, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
  });
  return errs;
}

export function validateVolumeDevices(c: Obj, sources: Map<string, Obj>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const paths = new Set<string>();
  const mounts = new Map<string, string>(list(c.volumeMounts).map((m) => [m.name, m.mountPath]));
  list(c.volumeDevices).forEach((d, i) => {
    const p = `${path}[${i}]`;
    const src = sources.get(d.name);
    if (!d.name) errs.push(fe.required(`${p}.name`));
    if (names.has(d.name)) errs.push(fe.invalid(`${p}.name`, d.name, 'must be unique'));
    if (src && !src.persistentVolumeClaim && !src.ephemeral) {
      errs.push(fe.invalid(`${p}.name`, d.name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (!src) errs.push(fe.notFound(`${p}.name`, d.name ?? ''));
    if (!d.devicePath) errs.push(fe.required(`${p}.devicePath`));
    if (paths.has(d.devicePath)) errs.push(fe.invalid(`${p}.devicePath`, d.devicePath, 'must be unique'));
    if (d.devicePath && noBacksteps(d.devicePath, '').length) errs.push(fe.invalid(`${p}.devicePath`, d.devicePath, "can not contain backsteps ('..')"));
    else paths.add(d.devicePath);
    if (mounts.has(d.name)) errs.push(fe.invalid(`${p}.name`, d.name, 'must not already exist in volumeMounts'));
    if ([...mounts.values()].includes(d.devicePath)) errs.push(fe.invalid(`${p}.devicePath`, d.devicePath, 'must not already exist as a path in volumeMounts'));
    if (d.name) names.add(d.name);
  });
  return errs;
}
