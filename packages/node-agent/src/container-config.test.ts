// How a pod's settings become Docker's: sysctls go to whoever holds the pod's network namespace.
import { describe, expect, it } from 'vitest';
import { containerBody, sandboxBody, type NodeContext } from './container-config.js';
import type { Pod } from 'kubernetes-types/core/v1.js';

const ctx: NodeContext = { cluster: 'c', node: 'worker1', network: 'minik-net', pauseImage: 'minik/pause:3.10' };
const pod = (containers: number): Pod =>
  ({
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: {
      securityContext: { sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }] },
      containers: Array.from({ length: containers }, (_, i) => ({ name: `c${i}`, image: 'img', securityContext: { capabilities: { add: ['NET_ADMIN'] } } })),
    },
  }) as unknown as Pod;

describe('pod sysctls and capabilities', () => {
  it('a single-container pod: the container holds the network, so it gets the sysctls', () => {
    const p = pod(1);
    const body = containerBody(ctx, p, p.spec!.containers[0]!, 'app', 0, { ip: '10.112.1.5' }, {}, []);
    const host = body.HostConfig as Record<string, unknown>;
    expect(host.Sysctls).toEqual({ 'net.ipv4.ip_forward': '1' });
    expect(host.CapAdd).toEqual(['NET_ADMIN']);
  });

  it('a pod with a sandbox: the sandbox gets them, the containers joining it do not', () => {
    const p = pod(2);
    expect((sandboxBody(ctx, p, 0, '10.112.1.6').HostConfig as Record<string, unknown>).Sysctls).toEqual({ 'net.ipv4.ip_forward': '1' });
    const joined = containerBody(ctx, p, p.spec!.containers[1]!, 'app', 0, { sandboxId: 'sb' }, {}, []).HostConfig as Record<string, unknown>;
    expect(joined.Sysctls).toBeUndefined();
    expect(joined.NetworkMode).toBe('container:sb');
  });

  it('no sysctls asked: none set', () => {
    const p = pod(1);
    delete (p.spec as { securityContext?: unknown }).securityContext;
    expect((containerBody(ctx, p, p.spec!.containers[0]!, 'app', 0, { ip: '10.112.1.5' }, {}, []).HostConfig as Record<string, unknown>).Sysctls).toBeUndefined();
  });
});
