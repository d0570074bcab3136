import { describe, expect, it } from 'vitest';
import { describeGeneric, goValue, smartLabelFor } from './generic.js';

describe('generic describer', () => {
  it('turns field names into labels as kubectl does', () => {
    expect(smartLabelFor('apiVersion')).toBe('API Version');
    expect(smartLabelFor('holderIdentity')).toBe('Holder Identity');
    expect(smartLabelFor('uid')).toBe('UID');
    expect(smartLabelFor('podCIDRs')).toBe('Pod CID Rs');
    expect(smartLabelFor('kubernetes.io/name')).toBe('kubernetes.io/name');
    expect(smartLabelFor('x_y')).toBe('x_y');
  });

  it('prints values with fmt %v', () => {
    expect(goValue(null)).toBe('<nil>');
    expect(goValue(40)).toBe('40');
    expect(goValue(0.5)).toBe('0.5');
    expect(goValue(0.00001)).toBe('1e-05');
    expect(goValue(['a', 'b'])).toBe('[a b]');
    expect(goValue({ b: 1, a: 'x' })).toBe('map[a:x b:1]');
    expect(goValue(true)).toBe('true');
  });

  it('prints nested maps and lists of maps one level deeper', () => {
    const obj = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'default', uid: 'u', labels: { a: 'b' }, managedFields: [{}] },
      spec: { sizes: [1, 2], parts: [{ name: 'x', count: 2 }, { name: 'y' }], empty: null },
    };
    expect(describeGeneric(obj, [], 0)).toBe(
      [
        'Name:         w',
        'Namespace:    default',
        'Labels:       a=b',
        'Annotations:  <none>',
        'API Version:  example.com/v1',
        'Kind:         Widget',
        'Metadata:',
        '  UID:  u',
        'Spec:',
        '  Empty:  <nil>',
        '  Parts:',
        '    Count:  2',
        '    Name:   x',
        '    Name:   y',
        '  Sizes:',
        '    1',
        '    2',
        'Events:  <none>',
        '',
      ].join('\n'),
    );
  });
});
