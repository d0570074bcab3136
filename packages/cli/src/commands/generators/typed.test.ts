// The Go-struct view of objects: field order, zero values and omitempty as kubectl prints them.
import { describe, expect, it } from 'vitest';
import { goJSON, toTyped } from './typed.js';

describe('toTyped', () => {
  it('orders fields as the structs declare them and adds non-omitempty zero values', () => {
    const typed = toTyped({
      spec: { containers: [{ image: 'nginx', name: 'nginx' }] },
      metadata: { labels: { run: 'nginx' }, name: 'nginx' },
      kind: 'Pod',
      apiVersion: 'v1',
    });
    expect(goJSON(typed)).toBe(
      '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"nginx","creationTimestamp":null,"labels":{"run":"nginx"}},' +
        '"spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]},"status":{}}',
    );
  });

  it('drops empty omitempty values but keeps non-nil pointers to empty structs', () => {
    const typed = toTyped({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', annotations: {}, finalizers: [] },
      spec: { containers: [], securityContext: {}, hostNetwork: false, nodeName: '' },
    }) as Record<string, any>;
    expect(typed.metadata).toEqual({ name: 'p', creationTimestamp: null });
    // `containers` has no omitempty: an empty list stays.
    expect(typed.spec).toEqual({ containers: [], securityContext: {} });
  });

  it('sorts map keys and drops fields Go does not know', () => {
    const typed = toTyped({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { b: '2', a: '1' }, extra: true });
    expect(goJSON(typed)).toBe('{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c","creationTimestamp":null},"data":{"a":"1","b":"2"}}');
  });

  it('gives a Service its status.loadBalancer and a Deployment its strategy', () => {
    expect(toTyped({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } })).toEqual({
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 's', creationTimestamp: null },
      spec: {},
      status: { loadBalancer: {} },
    });
    const d = toTyped({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 0 } }) as Record<string, any>;
    expect(d.spec).toEqual({ replicas: 0, selector: null, template: { metadata: { creationTimestamp: null }, spec: { containers: null } }, strategy: {} });
  });

  it('keeps IntOrString and quantity values as they are', () => {
    const svc = toTyped({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }] } }) as Record<string, any>;
    expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 'http' }]);
  });

  it('leaves kinds it has no struct for alone', () => {
    const obj = { apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' }, z: 1 };
    expect(toTyped(obj)).toBe(obj);
  });
});

describe('goJSON', () => {
  it('escapes like encoding/json and indents like MarshalIndent', () => {
    expect(goJSON({ a: '<b>&', c: [], d: {}, e: [1, { f: null }] }, '  ')).toBe(
      '{\n  "a": "\\u003cb\\u003e\\u0026",\n  "c": [],\n  "d": {},\n  "e": [\n    1,\n    {\n      "f": null\n    }\n  ]\n}',
    );
  });
});
