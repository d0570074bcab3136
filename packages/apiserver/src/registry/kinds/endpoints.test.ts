import { describe, expect, it } from 'vitest';
import { resource, simulateCreate } from './harness.js';

const endpoints = resource('endpoints');

describe('endpoints', () => {
  it('defaults port protocols and may be created by PUT', () => {
    const { obj, messages } = simulateCreate(endpoints, { metadata: { name: 'backend' }, subsets: [{ addresses: [{ ip: '10.244.1.5', nodeName: 'worker1' }], ports: [{ port: 8080 }] }] });
    expect(messages).toEqual([]);
    expect((obj as any).subsets[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    expect(endpoints.strategy.allowCreateOnUpdate).toBe(true);
  });

  it('validates subsets, addresses and ports', () => {
    expect(
      simulateCreate(endpoints, {
        metadata: { name: 'backend' },
        subsets: [{ ports: [{ port: 80 }] }, { addresses: [{ ip: '127.0.0.1' }, { ip: 'x' }], notReadyAddresses: [{ ip: '10.0.0.1', hostname: 'A' }], ports: [{ name: 'a', port: 0 }, { port: 81 }] }],
      }).messages,
    ).toEqual([
      'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
      'subsets[1].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'subsets[1].addresses[1].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'subsets[1].addresses[1].ip: Invalid value: "x": must be a valid IP address',
      "subsets[1].notReadyAddresses[0].hostname: Invalid value: \"A\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'subsets[1].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'subsets[1].ports[1].name: Required value',
    ]);
  });
});
