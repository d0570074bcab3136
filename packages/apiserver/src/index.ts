export { startApiserver, type ApiserverOptions, type RunningApiserver } from './apiserver.js';
export { buildHttpServer } from './http/server.js';
export { Registry } from './registry/index.js';
export { RESOURCES, findResource, findByKind, type ResourceDef } from './registry/resources.js';
export { LmdbStorage } from './storage/lmdb.js';
export type { Storage } from './storage/interface.js';
export { versionInfo, KUBE_GIT_VERSION, MINIK_VERSION } from './version.js';
