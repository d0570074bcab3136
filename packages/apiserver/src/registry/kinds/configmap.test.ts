import { describe, expect, it } from 'vitest';
import { resource, simulateCreate, simulateUpdate } from './harness.js';

const configmaps = resource('configmaps');

describe('configmap', () => {
  it('keys must be config keys, not repeated in binaryData', () => {
    expect(simulateCreate(configmaps, { metadata: { name: 'c' }, data: { 'app.properties': 'x', 'bad key': 'y', dup: 'z' }, binaryData: { dup: 'AA==' } }).messages).toEqual([
      "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      'data[dup]: Invalid value: "dup": duplicate of key present in binaryData',
    ]);
    expect(simulateCreate(configmaps, { metadata: { name: 'c' }, data: { '..': 'x' } }).messages).toEqual(["data[..]: Invalid value: \"..\": must not be '..'"]);
  });

  it('at most 1 MiB', () => {
    expect(simulateCreate(configmaps, { metadata: { name: 'c' }, data: { a: 'x'.repeat(1024 * 1024 + 1) } }).messages).toEqual(['Too long: must have at most 1048576 bytes']);
  });

  it('immutable configmaps keep their data', () => {
    const old = { metadata: { name: 'c', namespace: 'default' }, immutable: true, data: { a: '1' } };
    expect(simulateUpdate(configmaps, { metadata: { name: 'c' }, data: { a: '2' } }, old).messages).toEqual([
      'immutable: Forbidden: field is immutable when `immutable` is set',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
    expect(simulateUpdate(configmaps, { metadata: { name: 'c', labels: { x: 'y' } }, immutable: true, data: { a: '1' } }, old).messages).toEqual([]);
  });
});
