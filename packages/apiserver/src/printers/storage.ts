// PersistentVolume and PersistentVolumeClaim.
import { AGE, NAME, ageOf, col, nameOf, printer, wide } from './helpers.js';
import { DOC } from './descriptions.js';
import type { PersistentVolume, PersistentVolumeClaim } from './shapes.js';

const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
const UNSET = '<unset>';

/** helper.GetAccessModesAsString: fixed order, no duplicates. */
export function accessModes(modes: string[] | undefined): string {
  const have = new Set(modes ?? []);
  const out: string[] = [];
  if (have.has('ReadWriteOnce')) out.push('RWO');
  if (have.has('ReadOnlyMany')) out.push('ROX');
  if (have.has('ReadWriteMany')) out.push('RWX');
  if (have.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

export const persistentVolumePrinter = printer<PersistentVolume>(
  [
    NAME,
    col('Capacity', 'string', DOC['PersistentVolumeSpec.capacity']),
    col('Access Modes', 'string', DOC['PersistentVolumeSpec.accessModes']),
    col('Reclaim Policy', 'string', DOC['PersistentVolumeSpec.persistentVolumeReclaimPolicy']),
    col('Status', 'string', DOC['PersistentVolumeStatus.phase']),
    col('Claim', 'string', DOC['PersistentVolumeSpec.claimRef']),
    col('StorageClass', 'string', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    col('Reason', 'string', DOC['PersistentVolumeStatus.reason']),
    AGE,
    col('VolumeMode', 'string', DOC['PersistentVolumeSpec.volumeMode'], wide),
  ],
  (pv, now) => {
    const spec = pv.spec ?? {};
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
    const storageClass = pv.metadata?.annotations?.[BETA_STORAGE_CLASS] ?? spec.storageClassName ?? '';
    return [
      nameOf(pv),
      // Go prints the canonical Quantity; the stored string is shown as written.
      spec.capacity?.storage ?? '0',
      accessModes(spec.accessModes),
      spec.persistentVolumeReclaimPolicy ?? '',
      pv.metadata?.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? ''),
      claim,
      storageClass,
      spec.volumeAttributesClassName ?? UNSET,
      pv.status?.reason ?? '',
      ageOf(pv, now),
      spec.volumeMode ?? UNSET,
    ];
  },
);

export const persistentVolumeClaimPrinter = printer<PersistentVolumeClaim>(
  [
    NAME,
    col('Status', 'string', DOC['PersistentVolumeClaimStatus.phase']),
    col('Volume', 'string', DOC['PersistentVolumeClaimSpec.volumeName']),
    col('Capacity', 'string', DOC['PersistentVolumeClaimStatus.capacity']),
    col('Access Modes', 'string', DOC['PersistentVolumeClaimStatus.accessModes']),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    AGE,
    col('VolumeMode', 'string', DOC['PersistentVolumeClaimSpec.volumeMode'], wide),
  ],
  (pvc, now) => {
    const spec = pvc.spec ?? {};
    // Capacity and access modes are only shown once the claim is bound to a volume.
    const bound = !!spec.volumeName;
    const storageClass = pvc.metadata?.annotations?.[BETA_STORAGE_CLASS] ?? spec.storageClassName ?? '';
    return [
      nameOf(pvc),
      pvc.metadata?.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? ''),
      spec.volumeName ?? '',
      bound ? (pvc.status?.capacity?.storage ?? '0') : '',
      bound ? accessModes(pvc.status?.accessModes) : '',
      storageClass,
      spec.volumeAttributesClassName ?? UNSET,
      ageOf(pvc, now),
      spec.volumeMode ?? UNSET,
    ];
  },
);
