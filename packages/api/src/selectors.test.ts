import { describe, it, expect } from 'vitest';
import { parseLabelSelector, fromLabelSelector, parseFieldSelector, formatLabelSelector, formatLabels, SelectorParseError, NOTHING } from './selectors.js';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'frontend', version: '3' };
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=db', false],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['app notin (web,db)', false],
    ['missing notin (x)', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
    ['version>2', true],
    ['version<2', false],
  ])('%s matches: %s', (sel, want) => {
    expect(parseLabelSelector(sel).matches(labels)).toBe(want);
  });

  it('rejects malformed selectors with kubectl-style messages', () => {
    expect(() => parseLabelSelector('app in (a')).toThrow(SelectorParseError);
    expect(() => parseLabelSelector('app==')).not.toThrow();
    expect(() => parseLabelSelector('a b')).toThrow(/unable to parse requirement/);
    expect(() => parseLabelSelector('app=bad value!')).toThrow(SelectorParseError);
    expect(() => parseLabelSelector('-bad=x')).toThrow(/name part must consist of alphanumeric/);
  });

  it('converts metav1.LabelSelector, where null matches nothing and {} everything', () => {
    expect(fromLabelSelector(null)).toBe(NOTHING);
    expect(NOTHING.matches({ a: 'b' })).toBe(false);
    expect(fromLabelSelector({}).matches({})).toBe(true);
    const s = fromLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'DoesNotExist' }] });
    expect(s.matches({ app: 'web', tier: 'b' })).toBe(true);
    expect(s.matches({ app: 'web', tier: 'b', x: '1' })).toBe(false);
    expect(s.toString()).toBe('app=web,tier in (a,b),!x');
  });

  it('formats as kubectl prints SELECTOR and LABELS columns', () => {
    expect(formatLabelSelector({ matchLabels: { 'pod-template-hash': '7db6d8ff4d', 'k8s-app': 'kube-dns' } })).toBe('k8s-app=kube-dns,pod-template-hash=7db6d8ff4d');
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels({})).toBe('<none>');
  });
});

describe('field selectors', () => {
  it('parses =, ==, != and escapes', () => {
    const f = parseFieldSelector('metadata.name=web,status.phase!=Running,spec.nodeName==');
    expect(f.requirements).toEqual([
      { field: 'metadata.name', op: '=', value: 'web' },
      { field: 'status.phase', op: '!=', value: 'Running' },
      { field: 'spec.nodeName', op: '=', value: '' },
    ]);
    expect(f.exact('metadata.name')).toBe('web');
    expect(parseFieldSelector('a=x\\,y').requirements[0].value).toBe('x,y');
    expect(() => parseFieldSelector('nonsense')).toThrow(SelectorParseError);
  });
  it('matches through a getter', () => {
    const f = parseFieldSelector('a=1,b!=2');
    expect(f.matches((k) => ({ a: '1', b: '3' })[k])).toBe(true);
    expect(f.matches((k) => ({ a: '1', b: '2' })[k])).toBe(false);
  });
});
