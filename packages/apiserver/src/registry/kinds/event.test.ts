import { describe, expect, it } from 'vitest';
import { resource, simulateCreate } from './harness.js';

const events = resource('events');
const event = (extra: Record<string, unknown>) => ({
  metadata: { name: 'web-7d4b9-x2k.17a3c4f5e6d7b8a9', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-7d4b9-x2k' },
  reason: 'Scheduled',
  message: 'Successfully assigned default/web to worker1',
  type: 'Normal',
  ...extra,
});

describe('event (core/v1)', () => {
  it('old-style events: the namespace must match the involved object', () => {
    expect(simulateCreate(events, event({})).messages).toEqual([]);
    expect(simulateCreate(events, event({ involvedObject: { kind: 'Pod', namespace: 'other', name: 'x' } })).messages).toEqual([
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
    // Cluster-scoped objects' events live in default.
    expect(simulateCreate(events, event({ involvedObject: { kind: 'Node', name: 'worker1' } })).messages).toEqual([]);
  });

  it('new-style events (eventTime set) need reporting fields', () => {
    expect(simulateCreate(events, event({ eventTime: '2024-01-01T00:00:00.000000Z', reason: '' })).messages).toEqual([
      'reportingController: Required value',
      'reportingController: Invalid value: "": name part must be non-empty',
      "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      'reportingInstance: Required value',
      'action: Required value',
      'reason: Required value',
    ]);
  });

  it('names are path segments; PUT may create; field selectors', () => {
    expect(simulateCreate(events, { ...event({}), metadata: { name: 'Web.Event_1', namespace: 'default' } }).messages).toEqual([]);
    expect(simulateCreate(events, { ...event({}), metadata: { name: 'a/b', namespace: 'default' } }).messages).toEqual(["metadata.name: Invalid value: \"a/b\": may not contain '/'"]);
    expect(events.strategy.allowCreateOnUpdate).toBe(true);
    expect(events.strategy.selectableFields!(event({ source: { component: 'kubelet' }, involvedObject: { kind: 'Pod', name: 'p', uid: 'u' } }))).toEqual({
      'involvedObject.kind': 'Pod',
      'involvedObject.namespace': '',
      'involvedObject.name': 'p',
      'involvedObject.uid': 'u',
      'involvedObject.apiVersion': '',
      'involvedObject.resourceVersion': '',
      'involvedObject.fieldPath': '',
      reason: 'Scheduled',
      reportingComponent: '',
      source: 'kubelet',
      type: 'Normal',
    });
  });
});
