// Building blocks shared by the per-kind printers (ports of the small helpers in
// kubernetes/pkg/printers/internalversion/printers.go).
import { age, formatLabelSelector, fromLabelSelector, humanDuration } from '@minik/api';
import type { KubeObject, TableColumnDefinition } from '@minik/api';
import { DOC } from './descriptions.js';

/** A column as kube-apiserver serialises it: every field present (Go has no omitempty there). */
export interface Column extends TableColumnDefinition {
  format: string;
  description: string;
  priority: number;
}

/** metav1.TableRowCondition: kube-apiserver marks finished pods with `Completed`. */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface PrintedCells {
  cells: unknown[];
  conditions?: TableRowCondition[];
}

/** One kind's printer: its columns and how one object becomes one row. */
export interface Printer {
  columns: Column[];
  print(obj: KubeObject, now: number): PrintedCells;
}

/** Ties a printer to the object shape it reads; the table code only ever sees KubeObject. */
export function printer<T extends KubeObject>(columns: Column[], print: (obj: T, now: number) => unknown[] | PrintedCells): Printer {
  return {
    columns,
    print: (obj, now) => {
      const out = print(obj as T, now);
      return Array.isArray(out) ? { cells: out } : out;
    },
  };
}

export function col(name: string, type: string, description: string, opts: { priority?: number; format?: string } = {}): Column {
  return { name, type, format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

/** -o wide columns: kubectl hides priority > 0 unless asked. */
export const wide = { priority: 1 };

export const NAME = col('Name', 'string', DOC['ObjectMeta.name'], { format: 'name' });
export const AGE = col('Age', 'string', DOC['ObjectMeta.creationTimestamp']);
export const CONTAINERS = col('Containers', 'string', 'Names of each container in the template.', wide);
export const IMAGES = col('Images', 'string', 'Images referenced by each container in the template.', wide);

export const NONE = '<none>';

export function nameOf(obj: KubeObject): string {
  return obj.metadata?.name ?? '';
}

/** translateTimestampSince: the AGE cell, `<unknown>` for a missing timestamp. */
export function since(timestamp: string | null | undefined, now: number): string {
  return age(timestamp ?? undefined, now);
}

export function ageOf(obj: KubeObject, now: number): string {
  return since(obj.metadata?.creationTimestamp, now);
}

/** A Go time.Time parsed to epoch ms; a missing/zero time is -Infinity so that any real time is after it. */
export function timeOf(timestamp: string | null | undefined): number {
  if (!timestamp) return -Infinity;
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? -Infinity : t;
}

export { humanDuration };

/** layoutContainerCells: names and images joined with commas. */
export function containerCells(containers: { name?: string; image?: string }[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name ?? '').join(','), cs.map((c) => c.image ?? '').join(',')];
}

/** metav1.FormatLabelSelector: `<none>` when empty, `<error>` when it does not parse. */
export function selectorCell(sel: Parameters<typeof formatLabelSelector>[0]): string {
  try {
    return formatLabelSelector(sel);
  } catch {
    return '<error>';
  }
}

/** LabelSelectorAsSelector(...).String(): like selectorCell but empty stays empty (Deployment uses this). */
export function selectorString(sel: Parameters<typeof fromLabelSelector>[0]): string {
  try {
    return fromLabelSelector(sel).toString();
  } catch {
    return '<invalid>';
  }
}

/** sets.NewString(...).List(): unique and sorted (byte order, as Go sorts strings). */
export function sortedSet(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Load-balancer ingress points (IP, else hostname), as Service EXTERNAL-IP and Ingress ADDRESS show them. */
export function loadBalancerCell(ingress: { ip?: string; hostname?: string }[] | undefined): string {
  // Server-side printing always runs with Wide=true, so no 16-character clipping here.
  return sortedSet((ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean)).join(',');
}
