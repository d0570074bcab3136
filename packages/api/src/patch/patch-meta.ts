/**
 * Strategic-merge patch metadata: what Kubernetes reads from the `patchStrategy` and
 * `patchMergeKey` struct tags (or `x-kubernetes-patch-*` in OpenAPI). Only the fields that
 * carry a strategy, and the fields leading to them, need to be described; everything else
 * merges maps and replaces lists.
 */

export interface FieldPatchMeta {
  /** `merge`: a list merged element by element (by `mergeKey`, or as a set of primitives). `replace`: an object replaced whole. */
  strategy?: 'merge' | 'replace';
  /** `patchStrategy: retainKeys`: keys missing from the patch's `$retainKeys` are cleared. */
  retainKeys?: boolean;
  mergeKey?: string;
  /** The type of the value (of each element, for a list). */
  type?: string;
}

export type TypePatchMeta = Readonly<Record<string, FieldPatchMeta>>;
export type PatchMetaTypes = Readonly<Record<string, TypePatchMeta>>;

const NONE: FieldPatchMeta = {};

/** A position in a type tree: Go's LookupPatchMeta. Unknown fields have no metadata. */
export class PatchMetaLookup {
  constructor(
    private readonly types: PatchMetaTypes,
    readonly typeName?: string,
  ) {}

  field(key: string): { meta: FieldPatchMeta; sub: PatchMetaLookup } {
    const fields = this.typeName === undefined ? undefined : this.types[this.typeName];
    const meta = (fields && Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined) ?? NONE;
    return { meta, sub: new PatchMetaLookup(this.types, meta.type) };
  }

  get name(): string {
    return this.typeName ?? 'unknown';
  }
}

/** Field builders that keep the tables short. */
export const patchMeta = {
  /** `patchStrategy:"merge" patchMergeKey:"<key>"` on a list of objects. */
  mergeBy: (mergeKey: string, type?: string, opts: { retainKeys?: boolean } = {}): FieldPatchMeta => ({
    strategy: 'merge',
    mergeKey,
    type,
    retainKeys: opts.retainKeys,
  }),
  /** `patchStrategy:"merge"` on a list of strings: a set. */
  mergeSet: (): FieldPatchMeta => ({ strategy: 'merge' }),
  /** A nested object of a described type. */
  of: (type: string, opts: { retainKeys?: boolean } = {}): FieldPatchMeta => ({ type, retainKeys: opts.retainKeys }),
};
