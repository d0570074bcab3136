import { describe, expect, it } from 'vitest';
import { canonicalJSON, computeHash, equalIgnoreHash, fnv32a, safeEncodeString } from './pod-template-hash.js';

const enc = (s: string) => new TextEncoder().encode(s);

const template = () => ({
  metadata: { labels: { app: 'web', tier: 'front' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] }], restartPolicy: 'Always' },
});

describe('pod-template-hash', () => {
  it('FNV-32a matches the reference vectors', () => {
    expect(fnv32a(enc(''))).toBe(0x811c9dc5);
    expect(fnv32a(enc('a'))).toBe(0xe40c292c);
    expect(fnv32a(enc('foobar'))).toBe(0xbf9cf968);
  });

  it("SafeEncodeString maps decimal digits the way Kubernetes' hashes look", () => {
    // '0'..'9' are bytes 48..57; modulo 27 into bcdfghjklmnpqrstvwxz2456789.
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    // e.g. the book's simple-deployment-794f78c89 only uses these characters
    expect('794f78c89').toMatch(/^[456789bcdf]+$/);
  });

  it('is stable, uses only the safe alphabet, and ignores key order', () => {
    const a = template();
    const b = { spec: { restartPolicy: 'Always', containers: [{ ports: [{ protocol: 'TCP', containerPort: 80 }], image: 'nginx:1.25', name: 'web' }] }, metadata: { labels: { tier: 'front', app: 'web' } } };
    expect(computeHash(a)).toBe(computeHash(b));
    expect(computeHash(a)).toBe(computeHash(template()));
    expect(computeHash(a)).toMatch(/^[456789bcdf]{1,10}$/);
  });

  it('ignores the pod-template-hash label, nulls and empty maps (rollout undo sends creationTimestamp: null)', () => {
    const h = computeHash(template());
    const labelled = template();
    (labelled.metadata.labels as Record<string, string>)['pod-template-hash'] = 'abc';
    expect(computeHash(labelled)).toBe(h);
    const undo = { ...template(), metadata: { creationTimestamp: null, labels: { app: 'web', tier: 'front' }, annotations: {} } };
    expect(computeHash(undo as never)).toBe(h);
    expect(equalIgnoreHash(labelled, undo as never)).toBe(true);
  });

  it('changes with the template and with the collision count', () => {
    const h = computeHash(template());
    const changed = template();
    changed.spec.containers[0].image = 'nginx:1.26';
    expect(computeHash(changed)).not.toBe(h);
    expect(computeHash(template(), 0)).not.toBe(h);
    expect(computeHash(template(), 1)).not.toBe(computeHash(template(), 0));
    expect(equalIgnoreHash(changed, template())).toBe(false);
  });

  it('canonical JSON keeps list order (containers are ordered)', () => {
    expect(canonicalJSON({ b: [2, 1], a: { d: null, c: 1 } })).toBe('{"a":{"c":1},"b":[2,1]}');
  });
});
