import { describe, expect, it } from 'vitest';
import { errorBody, type FieldError } from './field-errors.js';
import { validateName } from './dns.js';
import { validateMetaForCreate, validateMetaForUpdate, validateObjectMeta, validateObjectMetaUpdate, prepareObjectMetaForUpdate } from './meta.js';
import { isQualifiedName, isValidLabelValue, isValidPortName } from './formats.js';
import { goBase64Error, goTimeError } from './go-decode.js';

const show = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${errorBody(e)}`);
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe('names', () => {
  it('subdomain by default, with the exact Kubernetes message', () => {
    expect(show(validateObjectMeta({ name: 'Web_1', namespace: 'default' }, true))).toEqual([`metadata.name: Invalid value: "Web_1": ${SUBDOMAIN_MSG}`]);
    expect(validateObjectMeta({ name: 'web.example-1', namespace: 'default' }, true)).toEqual([]);
    expect(show(validateObjectMeta({ name: 'a'.repeat(254), namespace: 'default' }, true))[0]).toMatch(/must be no more than 253 characters$/);
  });

  it('DNS-1123 labels (namespaces) and DNS-1035 labels (services)', () => {
    expect(validateName('label', 'a.b', false)).toEqual(['must not contain dots']);
    expect(validateName('label', '1abc', false)).toEqual([]);
    expect(validateName('dns1035-label', '1abc', false)).toEqual([
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(validateName('path-segment', 'a/b%c', false)).toEqual(["may not contain '/'", "may not contain '%'"]);
  });

  it('name or generateName is required; a generateName may end with a dash', () => {
    expect(show(validateObjectMeta({ namespace: 'default' }, true))).toEqual(['metadata.name: Required value: name or generateName is required']);
    expect(validateObjectMeta({ name: 'web-x7k2p', generateName: 'web-', namespace: 'default' }, true)).toEqual([]);
    expect(show(validateObjectMeta({ name: 'x', generateName: 'Web-', namespace: 'default' }, true))[0]).toMatch(/^metadata.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain/);
  });

  it('namespace required or forbidden by scope', () => {
    expect(show(validateObjectMeta({ name: 'a' }, true))).toEqual(['metadata.namespace: Required value']);
    expect(show(validateObjectMeta({ name: 'a', namespace: 'x' }, false))).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
    expect(show(validateObjectMeta({ name: 'a', namespace: 'Bad' }, true))[0]).toMatch(/^metadata.namespace: Invalid value: "Bad": a lowercase RFC 1123 label/);
  });
});

describe('labels, annotations, owners, finalizers', () => {
  it('label keys and values', () => {
    expect(show(validateObjectMeta({ name: 'a', namespace: 'd', labels: { 'app/x/y': 'v', ok: 'bad value' } }, true))).toEqual([
      "metadata.labels: Invalid value: \"app/x/y\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      "metadata.labels: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
    expect(isQualifiedName('example.com/app')).toEqual([]);
    expect(isQualifiedName('/app')).toEqual(['prefix part must be non-empty']);
    expect(isValidLabelValue('x'.repeat(64))[0]).toBe('must be no more than 63 characters');
  });

  it('annotations: keys case-insensitively, 256 KiB in total', () => {
    expect(validateObjectMeta({ name: 'a', namespace: 'd', annotations: { 'Example.COM/Key': 'v' } }, true)).toEqual([]);
    const big = { a: 'x'.repeat(256 * 1024) };
    expect(show(validateObjectMeta({ name: 'a', namespace: 'd', annotations: big }, true))).toEqual(['metadata.annotations: Too long: must have at most 262144 bytes']);
  });

  it('owner references', () => {
    const refs = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'u1', controller: true },
      { apiVersion: '', kind: 'Deployment', name: '', uid: '', controller: true },
    ];
    expect(show(validateObjectMeta({ name: 'a', namespace: 'd', ownerReferences: refs }, true))).toEqual([
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
      expect.stringMatching(/^metadata.ownerReferences: Invalid value: \[\]v1.OwnerReference\{.*\}: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet\/r and Deployment\/$/),
    ]);
    expect(show(validateObjectMeta({ name: 'a', namespace: 'd', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }] }, true))[0]).toMatch(
      /Event", Name:"e", UID:"u"\}: \/v1, Kind=Event is disallowed from being an owner$/,
    );
  });

  it('finalizers: qualified, standard or domain-prefixed, not orphan and foreground together', () => {
    expect(validateObjectMeta({ name: 'a', namespace: 'd', finalizers: ['kubernetes', 'example.com/x', 'foregroundDeletion'] }, true)).toEqual([]);
    expect(show(validateObjectMeta({ name: 'a', namespace: 'd', finalizers: ['mine', 'orphan', 'foregroundDeletion'] }, true))).toEqual([
      'metadata.finalizers: Invalid value: []string{"mine", "orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
      'metadata.finalizers[0]: Invalid value: "mine": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });
});

describe('updates', () => {
  const old = { name: 'a', namespace: 'd', uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z', generation: 3 };

  it('name, namespace, uid and creationTimestamp are immutable', () => {
    expect(show(validateObjectMetaUpdate({ ...old, name: 'b', uid: 'u2', creationTimestamp: '2025-01-01T00:00:00Z' }, old))).toEqual([
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
      'metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable',
    ]);
    expect(validateObjectMetaUpdate({ ...old, labels: { a: 'b' } }, old)).toEqual([]);
  });

  it('no new finalizers while deleting', () => {
    const deleting = { ...old, deletionTimestamp: '2024-02-01T00:00:00Z', finalizers: ['a.io/x'] };
    expect(show(validateObjectMetaUpdate({ ...deleting, finalizers: ['a.io/x', 'b.io/y'] }, deleting))).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
    ]);
  });

  it('prepareObjectMetaForUpdate keeps what the server owns', () => {
    const obj = { metadata: { name: 'a', generation: 0 } };
    prepareObjectMetaForUpdate(obj, { metadata: old });
    expect(obj.metadata).toEqual({ name: 'a', generation: 3, uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z' });
  });

  it('store entry points use the resource scope and name format', () => {
    const svc = { namespaced: true, strategy: { nameValidation: 'label' as const, nameFormat: 'dns1035-label' as const } };
    expect(show(validateMetaForCreate(svc, { metadata: { name: '9lives', namespace: 'd' } }))[0]).toMatch(/a DNS-1035 label/);
    const node = { namespaced: false, strategy: {} };
    expect(show(validateMetaForUpdate(node, { metadata: { name: 'n', namespace: 'x' } }, { metadata: { name: 'n' } }))).toEqual([
      'metadata.namespace: Forbidden: not allowed on this type',
      'metadata.namespace: Invalid value: "x": field is immutable',
    ]);
  });
});

describe('formats used by decoding', () => {
  it('port names', () => {
    expect(isValidPortName('http')).toEqual([]);
    expect(isValidPortName('8080')).toEqual(['must contain at least one letter (a-z)']);
    expect(isValidPortName('a--b')).toEqual(['must not contain consecutive hyphens']);
  });

  it('times and base64 as Go reports them', () => {
    expect(goTimeError('2024-01-01T10:00:00Z')).toBeUndefined();
    expect(goTimeError('2024-01-01T10:00:00.123+02:00')).toBeUndefined();
    expect(goTimeError('2024-13-01T10:00:00Z')).toBe('parsing time "2024-13-01T10:00:00Z": month out of range');
    expect(goTimeError('2024-01-01 10:00:00Z')).toBe('parsing time "2024-01-01 10:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 10:00:00Z" as "T"');
    expect(goTimeError('2024-01-01T10:00:00')).toBe('parsing time "2024-01-01T10:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"');
    expect(goBase64Error('aGVsbG8=')).toBeUndefined();
    expect(goBase64Error('aGVsbG8')).toBe('illegal base64 data at input byte 4');
    expect(goBase64Error('a=')).toBe('illegal base64 data at input byte 1');
  });
});
