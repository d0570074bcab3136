import { describe, expect, it } from 'vitest';
import { resource, simulateCreate, simulateStatusUpdate, simulateUpdate } from './harness.js';

const services = resource('services');
const svc = (spec: Record<string, unknown>, name = 'backend') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec } });

describe('service defaults', () => {
  it('ClusterIP, None affinity, TCP ports, targetPort = port, traffic policy and IP families', () => {
    const { obj, messages } = simulateCreate(services, svc({ ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 9000, targetPort: 'admin' }] }));
    expect(messages).toEqual([]);
    expect(obj.spec).toEqual({
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 80 },
        { name: 'admin', port: 9000, targetPort: 'admin', protocol: 'TCP' },
      ],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
    expect(obj.status).toEqual({ loadBalancer: {} });
  });

  it('NodePort and LoadBalancer get an external traffic policy; ClientIP a timeout; clusterIPs follow clusterIP', () => {
    expect((simulateCreate(services, svc({ type: 'NodePort' })).obj.spec as any).externalTrafficPolicy).toBe('Cluster');
    const lb = simulateCreate(services, svc({ type: 'LoadBalancer' })).obj.spec as any;
    expect([lb.externalTrafficPolicy, lb.allocateLoadBalancerNodePorts]).toEqual(['Cluster', true]);
    expect((simulateCreate(services, svc({ sessionAffinity: 'ClientIP' })).obj.spec as any).sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    expect((simulateCreate(services, svc({ clusterIP: '10.96.0.20' })).obj.spec as any).clusterIPs).toEqual(['10.96.0.20']);
    const ext = simulateCreate(services, { metadata: { name: 'db' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } });
    expect(ext.messages).toEqual([]);
    expect(ext.obj.spec).toEqual({ type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' });
  });
});

describe('service validation', () => {
  const msgs = (spec: Record<string, unknown>, name?: string) => simulateCreate(services, svc(spec, name)).messages;

  it('names are DNS-1035 labels', () => {
    expect(msgs({}, '8ball')).toEqual([
      "metadata.name: Invalid value: \"8ball\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('ports', () => {
    expect(msgs({ ports: [] })).toEqual(['spec.ports: Required value']);
    expect(msgs({ clusterIP: 'None', ports: [] })).toEqual([]);
    expect(msgs({ ports: [{ port: 0, targetPort: 70000 }, { name: 'HTTP', port: 80, protocol: 'ICMP', targetPort: 'no--way' }] })).toEqual([
      'spec.ports[0].name: Required value',
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      "spec.ports[1].name: Invalid value: \"HTTP\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'spec.ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      'spec.ports[1].targetPort: Invalid value: "no--way": must not contain consecutive hyphens',
    ]);
    expect(msgs({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] })).toEqual([
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ]);
  });

  it('nodePorts: only for NodePort/LoadBalancer, in range, unique', () => {
    expect(msgs({ ports: [{ port: 80, nodePort: 30080 }] })).toEqual(["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
    expect(msgs({ type: 'NodePort', ports: [{ port: 80, nodePort: 35010 }] })).toEqual([
      'spec.ports[0].nodePort: Invalid value: 35010: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ]);
    expect(msgs({ type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 81, nodePort: 30080 }] })).toEqual(['spec.ports[1].nodePort: Duplicate value: 30080']);
    expect(msgs({ type: 'NodePort', clusterIP: 'None' })).toEqual(["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"]);
  });

  it('type, selector, affinity, traffic policies', () => {
    expect(msgs({ type: 'Ingress' })).toEqual(['spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']);
    expect(msgs({ selector: { 'app!': 'web' } })[0]).toMatch(/^spec.selector: Invalid value: "app!": name part must consist of/);
    expect(msgs({ sessionAffinity: 'Sticky' })).toEqual(['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']);
    expect(msgs({ externalTrafficPolicy: 'Local' })).toEqual(['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']);
    expect(msgs({ internalTrafficPolicy: 'Nearby' })).toEqual(['spec.internalTrafficPolicy: Unsupported value: "Nearby": supported values: "Cluster", "Local"']);
  });

  it('cluster IPs, external IPs, ExternalName', () => {
    expect(msgs({ clusterIP: '10.96.0.300' })).toEqual(['spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
    expect(msgs({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.11'] })).toEqual(['spec.clusterIPs: Invalid value: []string{"10.96.0.11"}: first value must match `clusterIP`']);
    expect(msgs({ clusterIP: 'fd00::10', ipFamilies: ['IPv4'] })).toEqual(['spec.clusterIPs[0]: Invalid value: "fd00::10": expected an IPv4 value as indicated by `ipFamilies[0]`']);
    expect(msgs({ externalIPs: ['127.0.0.1'] })).toEqual(['spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']);
    expect(simulateCreate(services, { metadata: { name: 'db' }, spec: { type: 'ExternalName', clusterIP: '10.96.0.5' } }).messages).toEqual([
      'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
      'spec.externalName: Required value',
    ]);
  });
});

describe('service updates', () => {
  const created = simulateCreate(services, svc({ type: 'NodePort', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, nodePort: 30080 }] })).obj;
  const old = { ...created, status: { loadBalancer: { ingress: [{ ip: '192.168.1.10' }] } } } as any;

  it('a PUT without allocated values keeps them; status is kept', () => {
    const put = svc({ type: 'NodePort', ports: [{ name: 'http', port: 80 }] }) as any;
    const r = simulateUpdate(services, put, old);
    expect(r.messages).toEqual([]);
    expect((r.obj.spec as any).clusterIP).toBe('10.96.0.20');
    expect((r.obj.spec as any).clusterIPs).toEqual(['10.96.0.20']);
    expect((r.obj.spec as any).ports[0].nodePort).toBe(30080);
    expect(r.obj.status).toEqual({ loadBalancer: {} });
  });

  it('the clusterIP may not change', () => {
    const next = structuredClone(old);
    next.spec.clusterIP = '10.96.0.21';
    expect(simulateUpdate(services, next, old).messages).toEqual(['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.21"}: may not change once set']);
  });

  it('switching to ClusterIP drops the node ports; to ExternalName drops the IPs', () => {
    const toCluster = structuredClone(old);
    toCluster.spec.type = 'ClusterIP';
    const r = simulateUpdate(services, toCluster, old);
    expect(r.messages).toEqual([]);
    expect((r.obj.spec as any).ports[0].nodePort).toBeUndefined();
    expect(r.obj.spec).not.toHaveProperty('externalTrafficPolicy');
    expect(r.obj.status).toEqual({ loadBalancer: {} });
    const toExt = structuredClone(old);
    Object.assign(toExt.spec, { type: 'ExternalName', externalName: 'example.com' });
    const e = simulateUpdate(services, toExt, old);
    expect(e.messages).toEqual([]);
    expect(e.obj.spec).not.toHaveProperty('clusterIP');
    expect(e.obj.spec).not.toHaveProperty('ipFamilies');
  });

  it('status subresource checks load balancer ingress', () => {
    expect(simulateStatusUpdate(services, { status: { loadBalancer: { ingress: [{ ip: 'nope' }, { hostname: '10.0.0.1' }] } } }, old).messages).toEqual([
      'status.loadBalancer.ingress[0].ip: Invalid value: "nope": must be a valid IP address',
      'status.loadBalancer.ingress[1].hostname: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    ]);
  });
});
