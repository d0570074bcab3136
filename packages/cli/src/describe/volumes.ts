// The Volumes section (describeVolumes and the print*VolumeSource helpers of describe.go) for
// the volume types minik pods use; others print `<unknown>` as kubectl does for unknown types.
import { Quantity } from '@minik/api';
import { type Obj } from './format.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, LEVEL_4, type PrefixWriter } from './writer.js';

/** %v of a *bool: `<nil>` when unset (Go would print an address otherwise; the value is kinder). */
const boolPtr = (v: unknown) => (v === undefined || v === null ? '<nil>' : String(v));

type VolumePrinter = (src: Obj, w: PrefixWriter) => void;

const printers: [string, VolumePrinter][] = [
  [
    'hostPath',
    (s, w) =>
      w.write(LEVEL_2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${s.path ?? ''}\n    HostPathType:\t${s.type === undefined || s.type === null ? '<none>' : s.type}\n`),
  ],
  [
    'emptyDir',
    (s, w) => {
      const q = Quantity.fromJSON(s.sizeLimit);
      const limit = q && q.cmp(Quantity.zero()) > 0 ? q.toString() : '<unset>';
      w.write(LEVEL_2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${s.medium ?? ''}\n    SizeLimit:\t${limit}\n`);
    },
  ],
  ['gitRepo', (s, w) => w.write(LEVEL_2, `Type:\tGitRepo (a volume that is pulled from git when the pod is created)\n    Repository:\t${s.repository ?? ''}\n    Revision:\t${s.revision ?? ''}\n`)],
  ['secret', (s, w) => w.write(LEVEL_2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${s.secretName ?? ''}\n    Optional:\t${s.optional === true}\n`)],
  ['configMap', (s, w) => w.write(LEVEL_2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${s.name ?? ''}\n    Optional:\t${s.optional === true}\n`)],
  ['nfs', (s, w) => w.write(LEVEL_2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${s.server ?? ''}\n    Path:\t${s.path ?? ''}\n    ReadOnly:\t${s.readOnly === true}\n`)],
  [
    'persistentVolumeClaim',
    (s, w) => w.write(LEVEL_2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${s.claimName ?? ''}\n    ReadOnly:\t${s.readOnly === true}\n`),
  ],
  ['ephemeral', (_s, w) => w.write(LEVEL_2, 'Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n')],
  [
    'downwardAPI',
    (s, w) => {
      w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
      for (const m of s.items ?? []) {
        if (m?.fieldRef) w.write(LEVEL_3, `${m.fieldRef.fieldPath ?? ''} -> ${m.path ?? ''}\n`);
        if (m?.resourceFieldRef) w.write(LEVEL_3, `${m.resourceFieldRef.resource ?? ''} -> ${m.path ?? ''}\n`);
      }
    },
  ],
  [
    'projected',
    (s, w) => {
      w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const src of s.sources ?? []) {
        if (src?.secret) w.write(LEVEL_2, `SecretName:\t${src.secret.name ?? ''}\n    SecretOptionalName:\t${boolPtr(src.secret.optional)}\n`);
        else if (src?.downwardAPI) w.write(LEVEL_2, 'DownwardAPI:\ttrue\n');
        else if (src?.configMap) w.write(LEVEL_2, `ConfigMapName:\t${src.configMap.name ?? ''}\n    ConfigMapOptional:\t${boolPtr(src.configMap.optional)}\n`);
        else if (src?.serviceAccountToken) w.write(LEVEL_2, `TokenExpirationSeconds:\t${src.serviceAccountToken.expirationSeconds ?? 0}\n`);
      }
    },
  ],
  [
    'csi',
    (s, w) => {
      w.write(LEVEL_2, `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${s.driver ?? ''}\n    FSType:\t${s.fsType ?? ''}\n    ReadOnly:\t${s.readOnly === true}\n`);
      printAttributes(w, s.volumeAttributes);
    },
  ],
  ['image', (s, w) => w.write(LEVEL_2, `Type:\tImage (a container image or OCI artifact)\n    Reference:\t${s.reference ?? ''}\n    PullPolicy:\t${s.pullPolicy ?? ''}\n`)],
];

/** printCSIPersistentVolumeAttributesMultiline for an inline CSI volume. */
function printAttributes(w: PrefixWriter, attrs: Record<string, string> | undefined): void {
  w.write(LEVEL_2, 'VolumeAttributes:\t');
  const keys = Object.keys(attrs ?? {}).sort();
  if (!keys.length) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((k, i) => {
    // Go writes the LEVEL_2 prefix twice here: once for the empty indent, once for the tab.
    if (i !== 0) w.write(LEVEL_4, '\t');
    const line = `${k}=${attrs![k]}`;
    w.write(LEVEL_2, line.length > 140 ? `${line.slice(0, 140)}...\n` : `${line}\n`);
  });
}

export function describeVolumes(volumes: Obj[] | undefined, w: PrefixWriter, space: string): void {
  if (!volumes?.length) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(LEVEL_1, `${space ? ' ' : ''}${v?.name ?? ''}:\n`);
    const found = printers.find(([field]) => v?.[field] !== undefined && v?.[field] !== null);
    if (found) found[1](v[found[0]], w);
    else w.write(LEVEL_1, '<unknown>\n');
  }
}
