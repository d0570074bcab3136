import { describe, expect, it } from 'vitest';
import { printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline, printTolerationsMultiline, rfc1123z } from './format.js';
import { tabbedString } from './writer.js';

describe('describe formatting helpers', () => {
  it('formats times as RFC1123Z in the local zone', () => {
    process.env.TZ = 'Europe/Paris';
    expect(rfc1123z('2026-07-04T09:05:03Z')).toBe('Sat, 04 Jul 2026 11:05:03 +0200');
    process.env.TZ = 'UTC';
    expect(rfc1123z('2026-11-23T18:00:00Z')).toBe('Mon, 23 Nov 2026 18:00:00 +0000');
    expect(rfc1123z(undefined)).toBe('Mon, 01 Jan 0001 00:00:00 +0000');
  });

  it('prints labels sorted with continuation lines, <none> when empty', () => {
    const out = tabbedString((w) => {
      printLabelsMultiline(w, 'Labels', { tier: 'web', app: 'x' });
      printLabelsMultiline(w, 'Node-Selectors', {});
    });
    expect(out).toBe('Labels:          app=x\n                 tier=web\nNode-Selectors:  <none>\n');
  });

  it('prints long and multi-line annotations on their own lines, hiding last-applied', () => {
    const long = 'v'.repeat(140);
    const out = tabbedString((w) =>
      printAnnotationsMultiline(w, 'Annotations', {
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
        b: 'short',
        a: long,
        c: 'one\ntwo\n',
      }),
    );
    expect(out).toBe(
      ['Annotations:  a:', `                ${'v'.repeat(138)}...`, '              b: short', '              c:', '                one', '                two', ''].join('\n'),
    );
    expect(tabbedString((w) => printAnnotationsMultiline(w, 'Annotations', { 'kubectl.kubernetes.io/last-applied-configuration': '{}' }))).toBe(
      'Annotations:  <none>\n',
    );
  });

  it('prints taints sorted by effect then key, and tolerations like kubectl', () => {
    const taints = tabbedString((w) =>
      printTaintsMultiline(w, 'Taints', [
        { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
        { key: 'bare' },
      ]),
    );
    expect(taints).toBe('Taints:  bare\n         node.kubernetes.io/unreachable:NoExecute\n         dedicated=gpu:NoSchedule\n');
    const tolerations = tabbedString((w) =>
      printTolerationsMultiline(w, 'Tolerations', [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { operator: 'Exists' },
        { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' },
        { key: 'only', operator: 'Exists' },
      ]),
    );
    expect(tolerations).toBe(
      ['Tolerations:  op=Exists', '              k=v:NoSchedule', '              node.kubernetes.io/not-ready:NoExecute op=Exists for 300s', '              only op=Exists', ''].join('\n'),
    );
  });
});
