import { describe, expect, it } from 'vitest';
import { applyJsonPatch, parseJsonPointer } from './json-patch.js';
import { PatchError } from './errors.js';

function expectPatchError(fn: () => unknown, reason: PatchError['reason'], message?: RegExp): PatchError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PatchError);
    const err = e as PatchError;
    expect(err.reason).toBe(reason);
    if (message) expect(err.message).toMatch(message);
    return err;
  }
  throw new Error('expected a PatchError');
}

describe('parseJsonPointer', () => {
  it('unescapes ~1 and ~0 in that order', () => {
    expect(parseJsonPointer('')).toEqual([]);
    expect(parseJsonPointer('/a~1b/m~0n/~01')).toEqual(['a/b', 'm~n', '~1']);
    expect(parseJsonPointer('/')).toEqual(['']);
  });
  it('rejects malformed pointers', () => {
    expect(() => parseJsonPointer('a/b')).toThrow(PatchError);
    expect(() => parseJsonPointer('/a~2')).toThrow(PatchError);
  });
});

describe('applyJsonPatch (RFC 6902)', () => {
  const doc = { metadata: { annotations: { 'a/b': '1' } }, list: ['x', 'y'], n: 1 };

  it('adds members and array elements, including "-" to append', () => {
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/new', value: { v: 1 } }])).toMatchObject({ new: { v: 1 } });
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/list/1', value: 'i' }])).toMatchObject({ list: ['x', 'i', 'y'] });
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/list/-', value: 'z' }])).toMatchObject({ list: ['x', 'y', 'z'] });
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/list/2', value: 'z' }])).toMatchObject({ list: ['x', 'y', 'z'] });
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/n', value: 2 }])).toMatchObject({ n: 2 });
  });

  it('replaces the whole document at the empty path', () => {
    expect(applyJsonPatch(doc, [{ op: 'replace', path: '', value: { x: 1 } }])).toEqual({ x: 1 });
  });

  it('removes, replaces, moves and copies', () => {
    const out = applyJsonPatch(doc, [
      { op: 'remove', path: '/list/0' },
      { op: 'replace', path: '/metadata/annotations/a~1b', value: '2' },
      { op: 'copy', from: '/list', path: '/copied' },
      { op: 'move', from: '/n', path: '/moved' },
    ]);
    expect(out).toEqual({ metadata: { annotations: { 'a/b': '2' } }, list: ['y'], copied: ['y'], moved: 1 });
  });

  it('copies by value, not by reference', () => {
    const out = applyJsonPatch({ a: { b: 1 } }, [
      { op: 'copy', from: '/a', path: '/c' },
      { op: 'replace', path: '/c/b', value: 2 },
    ]);
    expect(out).toEqual({ a: { b: 1 }, c: { b: 2 } });
  });

  it('tests values deeply and fails with TestFailed', () => {
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/list', value: ['x', 'y'] }])).toEqual(doc);
    const err = expectPatchError(() => applyJsonPatch(doc, [{ op: 'test', path: '/n', value: 2 }]), 'TestFailed', /testing value \/n failed/);
    expect(err.operation).toBe(0);
    expect(err.path).toBe('/n');
  });

  it('fails on missing paths', () => {
    expectPatchError(() => applyJsonPatch(doc, [{ op: 'remove', path: '/nope' }]), 'PathNotFound', /nonexistent key/);
    expectPatchError(() => applyJsonPatch(doc, [{ op: 'replace', path: '/nope', value: 1 }]), 'PathNotFound', /missing key/);
    expectPatchError(() => applyJsonPatch(doc, [{ op: 'add', path: '/a/b/c', value: 1 }]), 'PathNotFound', /missing path/);
    expectPatchError(() => applyJsonPatch(doc, [{ op: 'test', path: '/x', value: null }]), 'PathNotFound');
    expectPatchError(() => applyJsonPatch(doc, [{ op: 'move', from: '/x', path: '/y' }]), 'PathNotFound');
    expectPatchError(() => applyJsonPatch(doc, [{ op: 'add', path: '/list/5', value: 1 }]), 'PathNotFound', /invalid index/);
    expectPatchError(() => applyJsonPatch(doc, [{ op: 'remove', path: '/list/2' }]), 'PathNotFound', /invalid index/);
    expectPatchError(() => applyJsonPatch(doc, [{ op: 'replace', path: '/list/01', value: 1 }]), 'PathNotFound', /array index/);
  });

  it('rejects malformed operations', () => {
    expectPatchError(() => applyJsonPatch(doc, { op: 'add' }), 'Invalid', /array/);
    expectPatchError(() => applyJsonPatch(doc, ['x']), 'Invalid', /operation 0/);
    expectPatchError(() => applyJsonPatch(doc, [{ op: 'frobnicate', path: '/n' }]), 'Invalid', /unknown operation/);
    expectPatchError(() => applyJsonPatch(doc, [{ op: 'add', value: 1 }]), 'Invalid', /missing "path"/);
    expectPatchError(() => applyJsonPatch(doc, [{ op: 'add', path: '/x' }]), 'Invalid', /missing "value"/);
    expectPatchError(() => applyJsonPatch(doc, [{ op: 'copy', path: '/x' }]), 'Invalid', /missing "from"/);
    expectPatchError(() => applyJsonPatch(doc, [{ op: 'move', from: '/metadata', path: '/metadata/x' }]), 'Invalid', /own child/);
    expectPatchError(() => applyJsonPatch(doc, [{ op: 'add', path: 'n', value: 1 }]), 'Invalid', /pointer/);
  });

  it('is atomic and pure: a failing patch changes nothing', () => {
    const before = structuredClone(doc);
    expect(() =>
      applyJsonPatch(doc, [
        { op: 'replace', path: '/n', value: 5 },
        { op: 'test', path: '/n', value: 1 },
      ]),
    ).toThrow(PatchError);
    applyJsonPatch(doc, [{ op: 'remove', path: '/list/0' }]);
    expect(doc).toEqual(before);
  });

  it('applies the body of kubectl rollout undo', () => {
    const deployment = {
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '3', x: 'y' } },
      spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } },
    };
    const template = { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } };
    const out = applyJsonPatch(deployment, [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '3' } },
    ]);
    expect(out).toEqual({ metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '3' } }, spec: { replicas: 2, template } });
  });
});
