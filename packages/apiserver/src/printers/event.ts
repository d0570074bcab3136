// Event: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; wide adds SUBOBJECT and SOURCE before
// MESSAGE and FIRST SEEN, COUNT, NAME after it (the column order of printers.go).
import { col, nameOf, printer, since, timeOf, wide } from './helpers.js';
import { DOC } from './descriptions.js';
import type { CoreEvent, EventsV1Event } from './shapes.js';

const columns = [
  col('Last Seen', 'string', DOC['Event.lastTimestamp']),
  col('Type', 'string', DOC['Event.type']),
  col('Reason', 'string', DOC['Event.reason']),
  col('Object', 'string', DOC['Event.involvedObject']),
  col('Subobject', 'string', DOC['ObjectReference.fieldPath'], wide),
  col('Source', 'string', DOC['Event.source'], wide),
  col('Message', 'string', DOC['Event.message']),
  col('First Seen', 'string', DOC['Event.firstTimestamp'], wide),
  col('Count', 'string', DOC['Event.count'], wide),
  col('Name', 'string', DOC['ObjectMeta.name'], { ...wide, format: 'name' }),
];

/** `component, host`, falling back to reportingComponent/reportingInstance (new-style events). */
function formatSource(ev: CoreEvent): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export function eventCells(ev: CoreEvent, now: number): unknown[] {
  const first = timeOf(ev.firstTimestamp) === -Infinity ? since(ev.eventTime, now) : since(ev.firstTimestamp, now);
  let last = timeOf(ev.lastTimestamp) === -Infinity ? first : since(ev.lastTimestamp, now);
  let count = ev.count ?? 0;
  if (ev.series) {
    last = since(ev.series.lastObservedTime, now);
    count = ev.series.count ?? 0;
  } else if (count === 0) {
    count = 1; // singleton events of the new API carry no count
  }
  const kind = (ev.involvedObject?.kind ?? '').toLowerCase();
  const target = ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind;
  return [last, ev.type ?? '', ev.reason ?? '', target, ev.involvedObject?.fieldPath ?? '', formatSource(ev), (ev.message ?? '').trim(), first, count, nameOf(ev)];
}

export const eventPrinter = printer<CoreEvent>(columns, (ev, now) => eventCells(ev, now));

/** events.k8s.io/v1 is the same stored object; kube-apiserver prints it through the core fields. */
export function fromEventsV1(ev: EventsV1Event): CoreEvent {
  return {
    metadata: ev.metadata,
    involvedObject: ev.regarding,
    reason: ev.reason,
    message: ev.note,
    type: ev.type,
    source: ev.deprecatedSource,
    firstTimestamp: ev.deprecatedFirstTimestamp,
    lastTimestamp: ev.deprecatedLastTimestamp,
    eventTime: ev.eventTime,
    count: ev.deprecatedCount,
    series: ev.series,
    reportingComponent: ev.reportingController,
    reportingInstance: ev.reportingInstance,
  };
}

export const eventsV1Printer = printer<EventsV1Event>(columns, (ev, now) => eventCells(fromEventsV1(ev), now));
