// The registry: one generic store per resource, wired to cluster-wide hooks.
import { errors, type KubeObject } from '@minik/api';
import type { Storage } from '../storage/interface.js';
import { RESOURCES, findResource, type ResourceDef } from './resources.js';
import { RegistryStore, type StoreHooks } from './store.js';
import { ServiceAllocator, type ServiceRanges, DEFAULT_RANGES } from './service-allocator.js';

export { RegistryStore } from './store.js';
export * from './resources.js';

export class Registry {
  private readonly stores = new Map<ResourceDef, RegistryStore>();
  readonly services: ServiceAllocator;

  constructor(
    readonly storage: Storage,
    ranges: ServiceRanges = DEFAULT_RANGES,
  ) {
    this.services = new ServiceAllocator(ranges);
    const hooks: StoreHooks = {
      checkNamespace: (ns, ref, name) => this.checkNamespace(ns, ref, name),
      beforeCreate: (def, obj) => {
        if (isServices(def)) this.services.allocate(obj);
      },
      abortCreate: (def, obj) => {
        if (isServices(def)) this.services.release(obj);
      },
      beforeUpdate: (def, obj, old) => {
        if (isServices(def)) this.services.allocate(obj, old);
      },
      abortUpdate: (def, obj, old) => {
        if (isServices(def)) this.services.release(obj, old);
      },
      afterUpdate: (def, obj, old) => {
        if (isServices(def)) this.services.release(old, obj);
      },
      afterDelete: (def, obj) => {
        if (isServices(def)) this.services.release(obj);
      },
    };
    for (const def of RESOURCES) this.stores.set(def, new RegistryStore(storage, def, hooks));
    this.services.load(this.store('', 'services').list('').items);
  }

  store(group: string, resource: string): RegistryStore {
    const def = RESOURCES.find((r) => r.group === group && r.resource === resource);
    if (!def) throw new Error(`unknown resource ${resource}.${group}`);
    return this.stores.get(def)!;
  }

  lookup(group: string, version: string, resource: string): RegistryStore | undefined {
    const def = findResource(group, version, resource);
    return def ? this.stores.get(def) : undefined;
  }

  /** Namespace lifecycle admission: content only goes into namespaces that exist and are not terminating. */
  private checkNamespace(ns: string, ref: { group: string; resource: string }, name: string): void {
    const n = this.store('', 'namespaces').tryGet('', ns);
    if (!n) throw errors.notFound({ group: '', resource: 'namespaces' }, ns);
    if (n.metadata?.deletionTimestamp || (n.status as { phase?: string } | undefined)?.phase === 'Terminating') {
      throw errors.forbidden(ref, name, `unable to create new content in namespace ${ns} because it is being terminated`);
    }
  }
}

function isServices(def: ResourceDef): boolean {
  return def.group === '' && def.resource === 'services';
}

export type { KubeObject };
