export { startServiceProxy, type ServiceProxyOptions, type ServiceProxy } from './proxy/index.js';
