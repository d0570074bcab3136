// kubectl taint's parsing and merge rules (cmd/taint/utils.go).
import { describe, expect, it } from 'vitest';
import { parseTaint, parseTaints, reorganizeTaints } from './node-admin.js';

describe('taint specs', () => {
  it('parses key=value:effect, key:effect, and removals', () => {
    expect(parseTaint('dedicated=gpu:NoSchedule')).toEqual({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' });
    expect(parseTaint('example.com/x:NoExecute')).toEqual({ key: 'example.com/x', effect: 'NoExecute' });
    expect(parseTaints(['a=b:NoSchedule', 'c:NoSchedule-', 'd-'])).toEqual({ add: [{ key: 'a', value: 'b', effect: 'NoSchedule' }], remove: [{ key: 'c', effect: 'NoSchedule' }, { key: 'd' }] });
  });

  it('refuses what kubectl refuses', () => {
    expect(() => parseTaint('a=b:Sometimes')).toThrow('error: invalid taint effect: Sometimes, unsupported taint effect');
    expect(() => parseTaint('a:b:c')).toThrow('error: invalid taint spec: a:b:c');
    expect(() => parseTaints(['a'])).toThrow('error: unknown taint spec: a');
    expect(() => parseTaints(['a=b'])).toThrow('error: invalid taint spec: a=b, name part must consist');
    expect(() => parseTaints(['a=b:NoSchedule', 'a=c:NoSchedule'])).toThrow('error: duplicated taints with the same key and effect');
  });
});

describe('reorganizeTaints', () => {
  const old = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }];
  it('tainted, untainted, modified, and not found', () => {
    expect(reorganizeTaints(old, [{ key: 'a', value: 'b', effect: 'NoSchedule' }], [], false)).toEqual({ op: 'tainted', taints: [{ key: 'a', value: 'b', effect: 'NoSchedule' }, ...old], errors: [] });
    expect(reorganizeTaints(old, [], [{ key: 'node-role.kubernetes.io/control-plane' }], false)).toEqual({ op: 'untainted', taints: [], errors: [] });
    expect(reorganizeTaints([{ key: 'a', value: 'b', effect: 'NoSchedule' }], [{ key: 'a', value: 'c', effect: 'NoSchedule' }], [], true).op).toBe('modified');
    expect(reorganizeTaints(old, [], [{ key: 'nope', effect: 'NoSchedule' }], false).errors).toEqual(['taint "nope:NoSchedule" not found']);
  });
});
