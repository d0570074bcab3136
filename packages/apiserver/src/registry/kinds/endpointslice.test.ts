import { describe, expect, it } from 'vitest';
import { resource, simulateCreate, simulateUpdate } from './harness.js';

const slices = resource('endpointslices', 'discovery.k8s.io');

const slice = (body: Record<string, unknown> = {}) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abcde' }, addressType: 'IPv4', endpoints: [], ...body });

describe('endpointslices.discovery.k8s.io', () => {
  it('is namespaced discovery.k8s.io/v1 EndpointSlice, without short names', () => {
    expect(slices).toMatchObject({ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', listKind: 'EndpointSliceList', namespaced: true, shortNames: [] });
  });

  it('defaults port names to "" and protocols to TCP; empty lists read back as null; conditions always present', () => {
    const { obj, messages } = simulateCreate(slices, slice({ endpoints: [{ addresses: ['10.244.1.5'] }], ports: [{ port: 8080 }] }));
    expect(messages).toEqual([]);
    expect(obj).toMatchObject({ endpoints: [{ addresses: ['10.244.1.5'], conditions: {} }], ports: [{ name: '', protocol: 'TCP', port: 8080 }] });
    expect(simulateCreate(slices, slice()).obj).toMatchObject({ endpoints: null, ports: null });
  });

  it('drops deprecatedTopology written through v1', () => {
    const { obj } = simulateCreate(slices, slice({ endpoints: [{ addresses: ['10.244.1.5'], deprecatedTopology: { 'kubernetes.io/hostname': 'w1' } }] }));
    expect((obj as any).endpoints[0].deprecatedTopology).toBeUndefined();
  });

  it('validates addressType, addresses per type, node names, hostnames, ports', () => {
    expect(simulateCreate(slices, slice({ addressType: undefined })).messages).toEqual(['addressType: Required value']);
    expect(simulateCreate(slices, slice({ addressType: 'IP' })).messages).toEqual(['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"']);
    expect(
      simulateCreate(
        slices,
        slice({
          endpoints: [{ addresses: [] }, { addresses: ['fd00::1', '127.0.0.1', 'x'], nodeName: 'Worker_1', hostname: 'A' }],
          ports: [{ name: 'http', port: 80, protocol: 'HTTP' }, { name: 'http', port: 81 }, { name: 'Bad', port: 82, appProtocol: 'a/b/c' }],
        }),
      ).messages,
    ).toEqual([
      'endpoints[0].addresses: Required value: must contain at least 1 address',
      'endpoints[1].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
      'endpoints[1].addresses[1]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'endpoints[1].addresses[2]: Invalid value: "x": must be a valid IPv4 address',
      'endpoints[1].addresses[2]: Invalid value: "x": must be a valid IP address',
      "endpoints[1].nodeName: Invalid value: \"Worker_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      "endpoints[1].hostname: Invalid value: \"A\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'ports[1].name: Duplicate value: "http"',
      "ports[2].name: Invalid value: \"Bad\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      "ports[2].appProtocol: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
    expect(simulateCreate(slices, slice({ addressType: 'FQDN', endpoints: [{ addresses: ['example.com', 'single'] }] })).messages).toEqual([
      'endpoints[0].addresses[1]: Invalid value: "single": should be a domain with at least two segments separated by dots',
    ]);
  });

  it('addressType is immutable; generation counts endpoint, port and label changes', () => {
    const old = { ...simulateCreate(slices, slice({ endpoints: [{ addresses: ['10.244.1.5'] }] })).obj };
    old.metadata = { ...old.metadata, namespace: 'default', uid: 'u', resourceVersion: '5', generation: 3, creationTimestamp: '2024-07-04T04:00:00Z' };
    expect(simulateUpdate(slices, { ...structuredClone(old), addressType: 'IPv6', endpoints: [{ addresses: ['fd00::5'] }] }, old).messages).toEqual(['addressType: Invalid value: "IPv6": field is immutable']);
    const relabelled = structuredClone(old);
    relabelled.metadata!.labels = { a: 'b' };
    expect(simulateUpdate(slices, relabelled, old).obj.metadata?.generation).toBe(4);
    const annotated = structuredClone(old);
    annotated.metadata!.annotations = { a: 'b' };
    expect(simulateUpdate(slices, annotated, old).obj.metadata?.generation).toBe(3);
    expect(simulateUpdate(slices, { ...structuredClone(old), endpoints: [{ addresses: ['10.244.1.6'] }] }, old).obj.metadata?.generation).toBe(4);
  });
});
