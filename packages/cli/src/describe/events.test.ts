import { describe, expect, it } from 'vitest';
import { describeEvents, eventFieldSelector, eventInterval, sortEvents } from './events.js';
import { tabbedString } from './writer.js';

const NOW = Date.parse('2026-11-23T18:40:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

describe('events', () => {
  it('selects events by involved object as client-go does', () => {
    expect(eventFieldSelector({ name: 'web', namespace: 'default', kind: 'Deployment', uid: 'u-1' })).toBe(
      'involvedObject.name=web,involvedObject.namespace=default,involvedObject.kind=Deployment,involvedObject.uid=u-1',
    );
    // Pods are looked up without their kind; odd characters are escaped.
    expect(eventFieldSelector({ name: 'a,b=c', namespace: 'ns' })).toBe('involvedObject.name=a\\,b\\=c,involvedObject.namespace=ns');
  });

  it('prints ages, repeats and series', () => {
    expect(eventInterval({ firstTimestamp: ago(12), lastTimestamp: ago(12), count: 1 }, NOW)).toBe('12s');
    expect(eventInterval({ firstTimestamp: ago(300), lastTimestamp: ago(123), count: 4 }, NOW)).toBe('2m3s (x4 over 5m)');
    expect(eventInterval({ eventTime: ago(3600), series: { count: 7, lastObservedTime: ago(30) } }, NOW)).toBe('30s (x7 over 60m)');
    expect(eventInterval({}, NOW)).toBe('<unknown>');
  });

  it('sorts by last timestamp, missing ones first', () => {
    const evs = [{ reason: 'b', lastTimestamp: ago(5) }, { reason: 'a', lastTimestamp: ago(50) }, { reason: 'none' }];
    expect(sortEvents(evs).map((e) => e.reason)).toEqual(['none', 'a', 'b']);
  });

  it('prints the table after a flush, or <none> aligned with the lines above', () => {
    const none = tabbedString((w) => {
      w.write(0, 'Tolerations:\t<none>\n');
      describeEvents([], w, NOW);
    });
    expect(none).toBe('Tolerations:  <none>\nEvents:       <none>\n');

    const table = tabbedString((w) => {
      w.write(0, 'Node-Selectors:\t<none>\n');
      describeEvents(
        [
          { type: 'Warning', reason: 'BackOff', firstTimestamp: ago(300), lastTimestamp: ago(10), count: 5, source: { component: 'kubelet' }, message: 'Back-off restarting failed container  ' },
          { type: 'Normal', reason: 'Scheduled', firstTimestamp: ago(400), lastTimestamp: ago(400), count: 1, reportingComponent: 'default-scheduler', message: 'Successfully assigned default/x to worker1' },
        ],
        w,
        NOW,
      );
    });
    expect(table).toBe(
      [
        'Node-Selectors:  <none>',
        'Events:',
        '  Type     Reason     Age               From               Message',
        '  ----     ------     ----              ----               -------',
        '  Normal   Scheduled  6m40s             default-scheduler  Successfully assigned default/x to worker1',
        '  Warning  BackOff    10s (x5 over 5m)  kubelet            Back-off restarting failed container',
        '',
      ].join('\n'),
    );
  });
});
