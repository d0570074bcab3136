// Server-side printing: the meta.k8s.io/v1 Table kube-apiserver returns when a client's Accept
// header asks for `as=Table` (what `kubectl get` renders). One printer per kind, ported from
// kubernetes/pkg/printers/internalversion/printers.go; the default table for anything else.
import { groupVersion } from '@minik/api';
import type { KubeObject, ListMeta, Table, TableRow } from '@minik/api';
import type { Printer, TableRowCondition } from './helpers.js';
import { podPrinter } from './pod.js';
import { nodePrinter } from './node.js';
import { endpointsPrinter, ingressPrinter, servicePrinter } from './network.js';
import { endpointSlicePrinter } from './endpointslice.js';
import { configMapPrinter, leasePrinter, namespacePrinter, secretPrinter, serviceAccountPrinter } from './config.js';
import { daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from './workloads.js';
import { cronJobPrinter, jobPrinter } from './batch.js';
import { eventPrinter, eventsV1Printer } from './event.js';
import { persistentVolumeClaimPrinter, persistentVolumePrinter } from './storage.js';
import { defaultPrinter } from './default.js';

export type { Column, Printer, TableRowCondition } from './helpers.js';
export { podSummary } from './pod.js';
export { nodeRoles, nodeStatus } from './node.js';
export { formatEndpoints, serviceExternalIP, servicePorts } from './network.js';

/** Printers keyed by `group/Kind` (core group is ''). */
const PRINTERS: Record<string, Printer> = {
  '/Pod': podPrinter,
  '/Node': nodePrinter,
  '/Namespace': namespacePrinter,
  '/Service': servicePrinter,
  '/Endpoints': endpointsPrinter,
  '/ConfigMap': configMapPrinter,
  '/Secret': secretPrinter,
  '/ServiceAccount': serviceAccountPrinter,
  '/Event': eventPrinter,
  '/PersistentVolume': persistentVolumePrinter,
  '/PersistentVolumeClaim': persistentVolumeClaimPrinter,
  'apps/Deployment': deploymentPrinter,
  'apps/ReplicaSet': replicaSetPrinter,
  'apps/StatefulSet': statefulSetPrinter,
  'apps/DaemonSet': daemonSetPrinter,
  'batch/Job': jobPrinter,
  'batch/CronJob': cronJobPrinter,
  'coordination.k8s.io/Lease': leasePrinter,
  'discovery.k8s.io/EndpointSlice': endpointSlicePrinter,
  'events.k8s.io/Event': eventsV1Printer,
  'networking.k8s.io/Ingress': ingressPrinter,
};

/** The printer kube-apiserver would use for a kind (the default table when it has none). */
export function printerFor(group: string, kind: string): Printer {
  return PRINTERS[`${group}/${kind}`] ?? defaultPrinter;
}

export function hasPrinter(group: string, kind: string): boolean {
  return `${group}/${kind}` in PRINTERS;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface ToTableOptions {
  /** metav1.TableOptions.includeObject; kube-apiserver's default is Metadata. */
  includeObject?: IncludeObject;
  /** The list's resourceVersion, copied to the Table's metadata. */
  listResourceVersion?: string;
  continue?: string;
  /** Clock for AGE cells (ms since epoch); Date.now() by default. */
  now?: number;
  /** metav1.TableOptions.noHeaders (`?noHeaders=true`): rows without column definitions. */
  noHeaders?: boolean;
}

/** A row as kube-apiserver serialises it: cells, optional conditions, then the object. */
export interface PrintedRow extends TableRow {
  conditions?: TableRowCondition[];
}

export function toTable(
  def: { group: string; version: string; kind: string; resource: string },
  objects: KubeObject[],
  opts: ToTableOptions = {},
): Table {
  const p = printerFor(def.group, def.kind);
  const now = opts.now ?? Date.now();
  const include = opts.includeObject ?? 'Metadata';
  const rows = objects.map((obj): PrintedRow => {
    const printed = p.print(obj, now);
    const row: PrintedRow = { cells: printed.cells };
    if (printed.conditions) row.conditions = printed.conditions;
    const rowObject = embed(def, obj, include);
    if (rowObject) row.object = rowObject;
    return row;
  });
  const metadata: ListMeta = {};
  if (opts.listResourceVersion !== undefined) metadata.resourceVersion = opts.listResourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.noHeaders ? [] : p.columns.map((c) => ({ ...c })),
    rows,
  };
}

/**
 * rows[].object as kube-apiserver fills it: PartialObjectMetadata by default (kubectl needs it
 * for -A, --show-labels and -L), the whole object for Object, nothing for None.
 */
function embed(def: { group: string; version: string; kind: string }, obj: KubeObject, include: IncludeObject): KubeObject | undefined {
  switch (include) {
    case 'None':
      return undefined;
    case 'Object': {
      const { apiVersion, kind, ...rest } = obj;
      return { apiVersion: apiVersion ?? groupVersion(def), kind: kind ?? def.kind, ...rest };
    }
    default:
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { ...(obj.metadata ?? {}) } };
  }
}
