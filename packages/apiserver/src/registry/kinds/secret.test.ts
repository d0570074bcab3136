import { describe, expect, it } from 'vitest';
import { resource, simulateCreate, simulateUpdate } from './harness.js';

const secrets = resource('secrets');
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('secret', () => {
  it('Opaque by default; stringData is folded into data', () => {
    const { obj, messages } = simulateCreate(secrets, { metadata: { name: 's' }, data: { a: b64('1') }, stringData: { a: 'one', b: 'two' } });
    expect(messages).toEqual([]);
    expect(obj).toEqual({ metadata: { name: 's', namespace: 'default' }, type: 'Opaque', data: { a: b64('one'), b: b64('two') } });
    expect(secrets.strategy.selectableFields!(obj)).toEqual({ type: 'Opaque' });
  });

  it('typed secrets need their keys', () => {
    expect(simulateCreate(secrets, { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }).messages).toEqual(['data[tls.key]: Required value']);
    expect(simulateCreate(secrets, { metadata: { name: 's' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('[1]') } }).messages[0]).toMatch(
      /^data\[.dockerconfigjson\]: Invalid value: "<secret contents redacted>": /,
    );
    expect(simulateCreate(secrets, { metadata: { name: 's' }, type: 'kubernetes.io/service-account-token' }).messages).toEqual([
      'metadata.annotations[kubernetes.io/service-account.name]: Required value',
    ]);
  });

  it('type is immutable, and so is the data of an immutable secret', () => {
    const old = { metadata: { name: 's', namespace: 'default' }, type: 'Opaque', immutable: true, data: { a: b64('1') } };
    expect(simulateUpdate(secrets, { metadata: { name: 's' }, type: 'kubernetes.io/basic-auth', immutable: true, data: { username: b64('u') } }, old).messages).toEqual([
      'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });
});
