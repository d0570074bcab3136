// Recording Events about objects, as client-go's EventRecorder does: one Event per
// (object, reason, message, source), repeated occurrences bump `count` and `lastTimestamp`.
import type { ApiClient, ResourceClient } from './client.js';
import { ApiError } from './errors.js';
import { metaTime } from './time.js';
import type { KubeObject } from './types.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  component: string;
  host?: string;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
}

export class EventRecorder {
  private readonly events: ResourceClient;
  private readonly seen = new Map<string, Seen>();
  /** Errors are reported here and never thrown: losing an Event must not break a controller. */
  onError?: (e: unknown) => void;

  constructor(
    client: ApiClient,
    private readonly source: EventSource,
  ) {
    this.events = client.resource({ group: '', version: 'v1', resource: 'events' });
  }

  /** Records an Event about `obj`; resolves when written (callers usually don't await). */
  async event(obj: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): Promise<void> {
    const m = obj.metadata ?? {};
    const namespace = m.namespace || 'default';
    const key = [m.uid ?? `${namespace}/${m.name}`, fieldPath ?? '', type, reason, message].join('\u0000');
    const now = metaTime();
    try {
      const prev = this.seen.get(key);
      if (prev) {
        prev.count++;
        try {
          await this.events.patch(prev.namespace, prev.name, { count: prev.count, lastTimestamp: now }, 'merge');
          return;
        } catch (e) {
          if (!(e instanceof ApiError && e.code === 404)) throw e;
          this.seen.delete(key);
        }
      }
      const name = `${m.name}.${(BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000))).toString(16)}`;
      const involvedObject: Record<string, unknown> = {
        kind: obj.kind,
        namespace: m.namespace,
        name: m.name,
        uid: m.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: m.resourceVersion,
      };
      if (fieldPath) involvedObject.fieldPath = fieldPath;
      await this.events.create(namespace, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject,
        reason,
        message,
        source: this.source.host ? { component: this.source.component, host: this.source.host } : { component: this.source.component },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type,
        eventTime: null,
        reportingComponent: this.source.component,
        reportingInstance: this.source.host ?? '',
      });
      this.seen.set(key, { name, namespace, count: 1 });
      if (this.seen.size > 4096) this.seen.delete(this.seen.keys().next().value!);
    } catch (e) {
      this.onError?.(e);
    }
  }
}
