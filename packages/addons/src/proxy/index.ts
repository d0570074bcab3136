export { startServiceProxy, type ServiceProxyOptions, type ServiceProxy } from './proxy.js';
export { inClusterConfig } from './config.js';
