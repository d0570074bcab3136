import { describe, expect, it } from 'vitest';
import { resource, simulateCreate, simulateUpdate } from './harness.js';

const serviceaccounts = resource('serviceaccounts');

describe('serviceaccount', () => {
  it('only metadata is validated; names are DNS subdomains', () => {
    expect(simulateCreate(serviceaccounts, { metadata: { name: 'builder.bot' }, automountServiceAccountToken: false }).messages).toEqual([]);
    expect(simulateCreate(serviceaccounts, { metadata: { name: 'Builder' } }).messages[0]).toMatch(/^metadata.name: Invalid value: "Builder": a lowercase RFC 1123 subdomain/);
    const old = { metadata: { name: 'b', namespace: 'default', uid: '1' } };
    expect(simulateUpdate(serviceaccounts, { metadata: { name: 'b', uid: '2' } }, old).messages).toEqual(['metadata.uid: Invalid value: "2": field is immutable']);
    expect(serviceaccounts.strategy.allowCreateOnUpdate).toBeFalsy();
  });
});
