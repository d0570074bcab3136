import { describe, expect, it } from 'vitest';
import { createThreeWayJsonMergePatch, createTwoWayMergePatch, jsonMergePatch } from './json-merge-patch.js';
import { PatchError } from './errors.js';

describe('jsonMergePatch (RFC 7386)', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('merges %j with %j', (target, patch, expected) => {
    expect(jsonMergePatch(target, patch)).toEqual(expected);
  });

  it('keeps nulls inside a replacing list, as the RFC says', () => {
    expect(jsonMergePatch({}, { a: [{ b: null }] })).toEqual({ a: [{ b: null }] });
  });

  it('does not mutate its inputs', () => {
    const target = { metadata: { labels: { a: '1', b: '2' } } };
    const patch = { metadata: { labels: { a: null, c: '3' } } };
    const before = structuredClone([target, patch]);
    const out = jsonMergePatch(target, patch);
    expect([target, patch]).toEqual(before);
    expect(out).toEqual({ metadata: { labels: { b: '2', c: '3' } } });
  });

  it('applies the kubectl scale and label bodies', () => {
    const d = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 2, template: { spec: {} } } };
    expect(jsonMergePatch(d, { spec: { replicas: 4 } })).toMatchObject({ spec: { replicas: 4, template: { spec: {} } } });
    expect(jsonMergePatch(d, { metadata: { labels: { a: 'b' } } })).toMatchObject({ metadata: { name: 'web', labels: { app: 'web', a: 'b' } } });
  });
});

describe('createTwoWayMergePatch', () => {
  it('sets changes, replaces lists and nulls removed members', () => {
    const original = { a: 1, b: { c: 1, d: 2 }, l: [1, 2], gone: 'x' };
    const modified = { a: 2, b: { c: 1 }, l: [1, 2, 3], added: { x: 1 } };
    expect(createTwoWayMergePatch(original, modified)).toEqual({ a: 2, b: { d: null }, l: [1, 2, 3], added: { x: 1 }, gone: null });
  });

  it('is empty for equal documents, and applying it yields modified', () => {
    const o = { a: { b: [1, { c: 2 }] }, s: 'x' };
    expect(createTwoWayMergePatch(o, structuredClone(o))).toEqual({});
    const m = { a: { b: [1] }, t: true };
    expect(jsonMergePatch(o, createTwoWayMergePatch(o, m))).toEqual(m);
  });

  it('replaces a member whose type changed', () => {
    expect(createTwoWayMergePatch({ a: { b: 1 } }, { a: 'x' })).toEqual({ a: 'x' });
    expect(createTwoWayMergePatch({ a: '1' }, { a: 1 })).toEqual({ a: 1 });
  });

  it('rejects non-objects', () => {
    expect(() => createTwoWayMergePatch([1], { a: 1 })).toThrow(PatchError);
  });
});

describe('createThreeWayJsonMergePatch', () => {
  const original = { kind: 'Widget', metadata: { name: 'w', labels: { app: 'w', tier: 'web' } }, spec: { size: 1, list: [1] } };

  it('deletes what the file dropped and keeps what only the server has', () => {
    const modified = { kind: 'Widget', metadata: { name: 'w', labels: { app: 'w' } }, spec: { size: 2, list: [1] } };
    const current = {
      kind: 'Widget',
      metadata: { name: 'w', uid: 'u', labels: { app: 'w', tier: 'web', team: 'x' } },
      spec: { size: 1, list: [1], defaulted: true },
      status: { ok: true },
    };
    const patch = createThreeWayJsonMergePatch(original, modified, current);
    expect(patch).toEqual({ metadata: { labels: { tier: null } }, spec: { size: 2 } });
    const result = jsonMergePatch(current, patch);
    expect(result).toMatchObject({ metadata: { uid: 'u', labels: { app: 'w', team: 'x' } }, spec: { size: 2, defaulted: true }, status: { ok: true } });
  });

  it('replaces lists whole and returns {} when nothing changes', () => {
    const current = { ...structuredClone(original), status: { ok: true } };
    expect(createThreeWayJsonMergePatch(original, original, current)).toEqual({});
    expect(createThreeWayJsonMergePatch(original, { ...original, spec: { size: 1, list: [1, 2] } }, current)).toEqual({ spec: { list: [1, 2] } });
  });

  it('treats an undefined original as "nothing applied before"', () => {
    const current = { metadata: { name: 'w', labels: { a: '1' } } };
    expect(createThreeWayJsonMergePatch(undefined, { metadata: { name: 'w' }, data: { k: 'v' } }, current)).toEqual({ data: { k: 'v' } });
  });

  it('keeps an explicitly empty object as a value', () => {
    expect(createThreeWayJsonMergePatch({}, { spec: {} }, { spec: { x: 1 } })).toEqual({});
    expect(createThreeWayJsonMergePatch({}, { spec: {} }, {})).toEqual({ spec: {} });
  });
});
