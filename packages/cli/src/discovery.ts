// Resource type resolution from the server's discovery documents, as kubectl's RESTMapper:
// `po`, `pod`, `pods`, `deploy`, `deployment.apps`, `deployments.v1.apps`, categories (`all`).
import type { ApiClient } from '@minik/api';
import { usageError } from './errors.js';

export interface ApiResource {
  group: string;
  version: string;
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
}

interface ResourceListDoc {
  groupVersion: string;
  resources: { name: string; singularName?: string; namespaced: boolean; kind: string; verbs?: string[]; shortNames?: string[]; categories?: string[] }[];
}

/** `deployment.apps`, `pod`: how kubectl names a resource kind in messages. */
export function kindPrefix(r: ApiResource): string {
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
}

/** `deployments.apps`, `pods`: the qualified resource in "not found" messages. */
export function qualifiedResource(r: ApiResource): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

export class Discovery {
  private all?: Promise<ApiResource[]>;

  constructor(private readonly client: ApiClient) {}

  /** Every resource the server serves, preferred versions first, in discovery order. */
  resources(): Promise<ApiResource[]> {
    return (this.all ??= this.load());
  }

  private async load(): Promise<ApiResource[]> {
    const [core, groups] = await Promise.all([
      this.client.request<{ versions: string[] }>('GET', '/api'),
      this.client.request<{ groups: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: { groupVersion: string; version: string } }[] }>('GET', '/apis'),
    ]);
    const lists: { group: string; version: string; preferred: boolean }[] = [];
    for (const v of core.versions ?? []) lists.push({ group: '', version: v, preferred: v === 'v1' });
    for (const g of groups.groups ?? []) {
      const pref = g.preferredVersion?.version ?? g.versions[0]?.version;
      for (const v of g.versions) lists.push({ group: g.name, version: v.version, preferred: v.version === pref });
    }
    const docs = await Promise.all(
      lists.map(async (l) => {
        const path = l.group ? `/apis/${l.group}/${l.version}` : `/api/${l.version}`;
        try {
          return { l, doc: await this.client.request<ResourceListDoc>('GET', path) };
        } catch {
          return { l, doc: undefined };
        }
      }),
    );
    const out: ApiResource[] = [];
    // Preferred versions first so that `deployments` resolves to apps/v1.
    for (const pass of [true, false]) {
      for (const { l, doc } of docs) {
        if (!doc || l.preferred !== pass) continue;
        for (const r of doc.resources) {
          if (r.name.includes('/')) continue;
          out.push({
            group: l.group,
            version: l.version,
            resource: r.name,
            singular: r.singularName || r.kind.toLowerCase(),
            kind: r.kind,
            namespaced: r.namespaced,
            shortNames: r.shortNames ?? [],
            categories: r.categories ?? [],
            verbs: r.verbs ?? [],
          });
        }
      }
    }
    return out;
  }

  /** Resolves a type as typed on the command line. */
  async resolve(type: string): Promise<ApiResource> {
    const found = await this.tryResolve(type);
    if (!found) throw usageError(`the server doesn't have a resource type "${type}"`);
    return found;
  }

  async tryResolve(type: string): Promise<ApiResource | undefined> {
    const all = await this.resources();
    const t = type.toLowerCase();
    // `deployments.v1.apps` or `deployment.apps`
    const parts = t.split('.');
    const candidates: { name: string; version?: string; group?: string }[] = [{ name: t }];
    if (parts.length >= 2) {
      candidates.push({ name: parts[0], group: parts.slice(1).join('.') });
      if (parts.length >= 3) candidates.push({ name: parts[0], version: parts[1], group: parts.slice(2).join('.') });
    }
    for (const c of candidates) {
      const m = all.find(
        (r) =>
          (c.group === undefined || r.group === c.group) &&
          (c.version === undefined || r.version === c.version) &&
          (r.resource === c.name || r.singular === c.name || r.shortNames.includes(c.name) || r.kind.toLowerCase() === c.name),
      );
      if (m) return m;
    }
    return undefined;
  }

  async category(name: string): Promise<ApiResource[]> {
    const all = await this.resources();
    const seen = new Set<string>();
    return all.filter((r) => {
      if (!r.categories.includes(name)) return false;
      const k = `${r.group}/${r.resource}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }

  /** The resource for a manifest's apiVersion/kind, or undefined. */
  async forKind(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const all = await this.resources();
    const i = apiVersion.indexOf('/');
    const group = i < 0 ? '' : apiVersion.slice(0, i);
    const version = i < 0 ? apiVersion : apiVersion.slice(i + 1);
    return all.find((r) => r.group === group && r.version === version && r.kind === kind);
  }
}
