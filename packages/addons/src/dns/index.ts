export { startDnsServer, type DnsServer, type DnsServerOptions } from './server.js';
export { KubeResolver, type Resolution } from './resolver.js';
export { ClusterIndex, watchCluster } from './cluster.js';
export * as dnsWire from './wire.js';
