// The Events section: which events belong to an object (searchEvents) and how they print
// (DescribeEvents), as in k8s.io/kubectl/pkg/describe.
import { goSort } from '../printers/go-sort.js';
import { CORE, listAll, type DescribeContext } from './context.js';
import { since, type Obj } from './format.js';
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './writer.js';

/** An object reference as reference.GetReference builds it; kind is left out for pods. */
export interface EventRef {
  name: string;
  namespace: string;
  kind?: string;
  uid?: string;
}

/** fields.EscapeValue */
function escapeField(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
}

/** The field selector client-go's Events().GetFieldSelector sends, in its order. */
export function eventFieldSelector(ref: EventRef): string {
  const parts = [`involvedObject.name=${escapeField(ref.name)}`, `involvedObject.namespace=${escapeField(ref.namespace)}`];
  if (ref.kind) parts.push(`involvedObject.kind=${escapeField(ref.kind)}`);
  if (ref.uid) parts.push(`involvedObject.uid=${escapeField(ref.uid)}`);
  return parts.join(',');
}

export function refFor(obj: Obj, kind?: string): EventRef {
  return { name: obj?.metadata?.name ?? '', namespace: obj?.metadata?.namespace ?? '', kind, uid: obj?.metadata?.uid };
}

/** searchEvents: the events about `ref` in its namespace (all namespaces for cluster-scoped objects). */
export async function searchEvents(ctx: DescribeContext, ref: EventRef): Promise<Obj[]> {
  return listAll(ctx, CORE('events'), ref.namespace || undefined, { fieldSelector: eventFieldSelector(ref) });
}

/**
 * Events for a describer when --show-events is on; undefined when off. Errors leave an empty
 * list, as most kubectl describers ignore them (`events, _ = searchEvents(...)`).
 */
export async function eventsFor(ctx: DescribeContext, ref: EventRef): Promise<Obj[] | undefined> {
  if (!ctx.settings.showEvents) return undefined;
  try {
    return await searchEvents(ctx, ref);
  } catch {
    return [];
  }
}

const time = (ts: string | undefined | null) => (ts ? Date.parse(ts) : NaN);

/**
 * sort.Sort(event.SortableEvents): by lastTimestamp (a missing one is Go's zero time), with
 * Go's unstable sort so that events of the same second come out in kubectl's order.
 */
export function sortEvents(events: Obj[]): Obj[] {
  const key = (e: Obj) => {
    const t = time(e?.lastTimestamp);
    return Number.isNaN(t) ? -Infinity : t;
  };
  return goSort(events, (a, b) => key(a) < key(b));
}

/** The Age column: `12s`, or `2m3s (x4 over 5m)` for repeated events. */
export function eventInterval(e: Obj, now: number): string {
  const first = e?.eventTime ? since(e.eventTime, now) : since(e?.firstTimestamp, now);
  if (e?.series) return `${since(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
  if ((e?.count ?? 0) > 1) return `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  return first;
}

/** DescribeEvents */
export function describeEvents(events: Obj[], w: PrefixWriter, now: number): void {
  if (!events.length) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sortEvents(events)) {
    // Go's ReportingController field is `reportingComponent` in JSON.
    const source = e?.source?.component || e?.reportingComponent || '';
    w.write(LEVEL_1, `${e?.type ?? ''}\t${e?.reason ?? ''}\t${eventInterval(e, now)}\t${source}\t${String(e?.message ?? '').trim()}\n`);
  }
}
