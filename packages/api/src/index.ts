export * from './types.js';
export * from './errors.js';
export * from './selectors.js';
export * from './client.js';
export * from './informer.js';
export * from './kubeconfig.js';
export * from './duration.js';
export * from './pki.js';
