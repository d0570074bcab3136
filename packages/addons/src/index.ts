export { startServiceProxy, type ServiceProxyOptions, type ServiceProxy } from './proxy/index.js';
export { startDnsServer, type DnsServerOptions, type DnsServer } from './dns/index.js';
