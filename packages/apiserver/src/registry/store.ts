// The generic registry store (Kubernetes' genericregistry.Store): every REST verb for every kind,
// on top of the storage interface, with the per-kind differences in a Strategy.
import { ApiError, errors, metaTime, successStatus, parseLabelSelector, parseFieldSelector, fieldValue, SelectorParseError } from '@minik/api';
import type { KubeObject, Status, LabelSelectorExpr, FieldSelectorExpr, WatchEvent } from '@minik/api';
import type { Storage, StorageEvent, KV } from '../storage/interface.js';
import { CompactedError } from '../storage/interface.js';
import type { ResourceDef } from './resources.js';
import { apiVersionOf } from './resources.js';
import { clone, jsonEqual, meta, newUid, randomSuffix } from './object-meta.js';
import { admitCreate, admitUpdate, decode } from './admission.js';
import { applyPatch, type PatchKind } from './patch.js';
import { toCause } from './validation/field-errors.js';

export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: string;
  /** Warnings for the client (Warning headers). */
  warnings?: string[];
}

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  sendInitialEvents?: boolean;
}

/** Cluster-wide checks the store asks before writes (namespace lifecycle, allocation). */
export interface StoreHooks {
  /** Throws when `namespace` does not exist or is terminating (for creates of namespaced kinds). */
  checkNamespace?(namespace: string, ref: { group: string; resource: string }, name: string): void;
  /** Called before a new object is validated (Service IP/NodePort allocation). */
  beforeCreate?(def: ResourceDef, obj: KubeObject, dryRun: boolean): void;
  /** A create that passed beforeCreate did not happen (dry run, conflict): release what it took. */
  abortCreate?(def: ResourceDef, obj: KubeObject): void;
  beforeUpdate?(def: ResourceDef, obj: KubeObject, old: KubeObject): void;
  /** The update that passed beforeUpdate was not written. */
  abortUpdate?(def: ResourceDef, obj: KubeObject, old: KubeObject): void;
  /** The update was written. */
  afterUpdate?(def: ResourceDef, obj: KubeObject, old: KubeObject): void;
  afterDelete?(def: ResourceDef, obj: KubeObject): void;
}

type Filter = (o: KubeObject) => boolean;

const MAX_RETRIES = 16;

function conflictWhy(): string {
  return 'the object has been modified; please apply your changes to the latest version and try again';
}

function sameRefs(a: unknown, b: unknown): boolean {
  return jsonEqual(a ?? [], b ?? []);
}

/** Spec-ish content: everything but metadata and status; a change bumps metadata.generation. */
function specOf(o: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

export class RegistryStore {
  readonly ref: { group: string; resource: string };

  constructor(
    private readonly storage: Storage,
    readonly def: ResourceDef,
    private readonly hooks: StoreHooks = {},
  ) {
    this.ref = { group: def.group, resource: def.resource };
  }

  // ---- keys ----------------------------------------------------------------------------------

  key(namespace: string, name: string): string {
    return this.def.namespaced ? `/registry/${this.def.storagePrefix}/${namespace}/${name}` : `/registry/${this.def.storagePrefix}/${name}`;
  }

  prefix(namespace?: string): string {
    return this.def.namespaced && namespace ? `/registry/${this.def.storagePrefix}/${namespace}/` : `/registry/${this.def.storagePrefix}/`;
  }

  /** The stored value as clients see it: with apiVersion/kind and resourceVersion. */
  private present(kv: { value: unknown; modRevision: number }, rv = kv.modRevision): KubeObject {
    const v = kv.value as KubeObject;
    return { apiVersion: apiVersionOf(this.def), kind: this.def.kind, ...v, metadata: { ...v.metadata, resourceVersion: String(rv) } };
  }

  // ---- reads ---------------------------------------------------------------------------------

  get(namespace: string, name: string): KubeObject {
    const kv = this.storage.get(this.key(namespace, name));
    if (!kv) throw errors.notFound(this.ref, name);
    return this.present(kv);
  }

  tryGet(namespace: string, name: string): KubeObject | undefined {
    const kv = this.storage.get(this.key(namespace, name));
    return kv ? this.present(kv) : undefined;
  }

  makeFilter(labelSelector?: string, fieldSelector?: string): Filter | undefined {
    let ls: LabelSelectorExpr | undefined;
    let fs: FieldSelectorExpr | undefined;
    try {
      ls = labelSelector ? parseLabelSelector(labelSelector) : undefined;
      fs = fieldSelector ? parseFieldSelector(fieldSelector) : undefined;
    } catch (e) {
      if (e instanceof SelectorParseError) throw errors.badRequest(e.message);
      throw e;
    }
    if (fs) {
      for (const r of fs.requirements) {
        if (!this.fieldSupported(r.field)) {
          throw errors.badRequest(`field label not supported: ${r.field}`);
        }
      }
    }
    if ((!ls || ls.empty) && (!fs || fs.empty)) return undefined;
    return (o) => (!ls || ls.matches(o.metadata?.labels)) && (!fs || fs.matches((f) => this.fieldOf(o, f)));
  }

  private fieldSupported(field: string): boolean {
    if (field === 'metadata.name' || field === 'metadata.namespace') return true;
    const sf = this.def.strategy.selectableFields;
    if (!sf) return false;
    // Ask the strategy with an empty object which fields it knows.
    return Object.prototype.hasOwnProperty.call(sf({} as KubeObject), field);
  }

  private fieldOf(o: KubeObject, field: string): string | undefined {
    if (field === 'metadata.name') return o.metadata?.name;
    if (field === 'metadata.namespace') return o.metadata?.namespace ?? '';
    const sf = this.def.strategy.selectableFields?.(o);
    if (sf && field in sf) return sf[field] ?? '';
    return fieldValue(o, field);
  }

  list(namespace: string, opts: ListOptions = {}): { items: KubeObject[]; resourceVersion: string; continue?: string } {
    const filter = this.makeFilter(opts.labelSelector, opts.fieldSelector);
    const { kvs, revision } = this.storage.range(this.prefix(namespace));
    let start = 0;
    if (opts.continue) {
      const after = decodeContinue(opts.continue);
      start = kvs.findIndex((kv) => kv.key > after);
      if (start < 0) start = kvs.length;
    }
    const items: KubeObject[] = [];
    let cont: string | undefined;
    for (let i = start; i < kvs.length; i++) {
      const o = this.present(kvs[i]);
      if (filter && !filter(o)) continue;
      if (opts.limit && items.length >= opts.limit) {
        cont = encodeContinue(kvs[i - 1].key);
        break;
      }
      items.push(o);
    }
    return { items, resourceVersion: String(revision), continue: cont };
  }

  // ---- writes --------------------------------------------------------------------------------

  private checkTypeMeta(body: KubeObject): void {
    const want = apiVersionOf(this.def);
    if (body.apiVersion && body.apiVersion !== want) {
      throw errors.badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${want})`);
    }
    if (body.kind && body.kind !== this.def.kind) {
      throw errors.badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${this.def.kind})`);
    }
  }

  private checkNamespaceMatch(body: KubeObject, namespace: string): void {
    const m = meta(body);
    if (this.def.namespaced) {
      if (m.namespace && m.namespace !== namespace) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      m.namespace = namespace;
    } else {
      delete m.namespace;
    }
  }

  async create(namespace: string, body: unknown, opts: WriteOptions = {}): Promise<KubeObject> {
    const obj = decode(this.def, body, opts.fieldValidation, opts.warnings);
    this.checkTypeMeta(obj);
    this.checkNamespaceMatch(obj, namespace);
    const m = meta(obj);
    if (!m.name && m.generateName) m.name = m.generateName + randomSuffix();
    obj.apiVersion = apiVersionOf(this.def);
    obj.kind = this.def.kind;
    delete m.resourceVersion;
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    delete m.selfLink;
    m.uid = newUid();
    m.creationTimestamp = metaTime();
    // Defaulting happens at decode time in Kubernetes, before the strategy's PrepareForCreate.
    this.def.strategy.defaults?.(obj);
    this.def.strategy.prepareForCreate?.(obj);
    if (this.tracksGeneration(obj)) m.generation = 1;
    else delete m.generation;
    if (this.def.namespaced) this.hooks.checkNamespace?.(namespace, this.ref, m.name ?? '');
    admitCreate(this.def, obj, namespace);
    this.hooks.beforeCreate?.(this.def, obj, !!opts.dryRun);
    if (opts.dryRun) {
      this.hooks.abortCreate?.(this.def, obj);
      if (this.storage.get(this.key(namespace, m.name!))) throw errors.alreadyExists(this.ref, m.name!);
      return obj;
    }
    const res = await this.storage.put(this.key(namespace, m.name!), obj, { kind: 'absent' }).catch((e) => {
      this.hooks.abortCreate?.(this.def, obj);
      throw e;
    });
    if (!res.ok) {
      this.hooks.abortCreate?.(this.def, obj);
      throw errors.alreadyExists(this.ref, m.name!);
    }
    return this.present(res.kv);
  }

  private tracksGeneration(obj: KubeObject): boolean {
    return this.def.strategy.tracksGeneration ?? 'spec' in obj;
  }

  /** PUT. Returns the object and whether it was created (PUT-creates for some kinds). */
  async update(namespace: string, name: string, body: unknown, opts: WriteOptions & { subresource?: string } = {}): Promise<{ obj: KubeObject; created: boolean }> {
    const obj = decode(this.def, body, opts.fieldValidation, opts.warnings);
    this.checkTypeMeta(obj);
    this.checkNamespaceMatch(obj, namespace);
    const m = meta(obj);
    if (m.name && m.name !== name) throw errors.badRequest('the name of the object (' + m.name + ') does not match the name on the URL (' + name + ')');
    m.name = name;
    const current = this.storage.get<KubeObject>(this.key(namespace, name));
    if (!current) {
      if (this.def.strategy.allowCreateOnUpdate && !opts.subresource) {
        return { obj: await this.create(namespace, obj, { ...opts, fieldValidation: 'Ignore' }), created: true };
      }
      throw errors.notFound(this.ref, name);
    }
    const wantRV = m.resourceVersion;
    return { obj: await this.guaranteedUpdate(namespace, name, opts, wantRV, () => clone(obj)), created: false };
  }

  async patch(namespace: string, name: string, patch: unknown, kind: PatchKind, opts: WriteOptions & { subresource?: string } = {}): Promise<KubeObject> {
    let wantRV: string | undefined;
    return this.guaranteedUpdate(namespace, name, opts, undefined, (current) => {
      let patched: KubeObject;
      try {
        patched = applyPatch(kind, current, patch, this.def.kind);
      } catch (e) {
        if (e instanceof ApiError) throw e;
        throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: kind === 'json' ? 'Invalid' : 'BadRequest', message: (e as Error).message, code: kind === 'json' ? 422 : 400 });
      }
      const rv = patched.metadata?.resourceVersion;
      // A resourceVersion written by the patch is a precondition (as in kube-apiserver).
      if (rv && rv !== current.metadata?.resourceVersion) wantRV = rv;
      if (wantRV) throw errors.conflict(this.ref, name, conflictWhy());
      return decode(this.def, patched, opts.fieldValidation, opts.warnings);
    });
  }

  /** Read-modify-write through the full update path (used by subresources such as /scale). */
  modify(namespace: string, name: string, mutate: (current: KubeObject) => KubeObject, opts: WriteOptions & { subresource?: string } = {}, wantRV?: string): Promise<KubeObject> {
    return this.guaranteedUpdate(namespace, name, opts, wantRV, mutate);
  }

  /**
   * Read-modify-write with compare-and-swap, retried on conflicts unless the client pinned
   * a resourceVersion (then a mismatch is the client's 409).
   */
  private async guaranteedUpdate(
    namespace: string,
    name: string,
    opts: WriteOptions & { subresource?: string },
    wantRV: string | undefined,
    mutate: (current: KubeObject) => KubeObject,
  ): Promise<KubeObject> {
    const key = this.key(namespace, name);
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const kv = this.storage.get<KubeObject>(key);
      if (!kv) throw errors.notFound(this.ref, name);
      if (wantRV !== undefined && wantRV !== '' && wantRV !== String(kv.modRevision)) {
        throw errors.conflict(this.ref, name, conflictWhy());
      }
      const old = this.present(kv);
      const next = mutate(clone(old));
      this.checkTypeMeta(next);
      this.checkNamespaceMatch(next, namespace);
      meta(next).name = name;
      let written = false;
      let obj: KubeObject | undefined;
      try {
        obj = this.prepareUpdate(next, old, opts.subresource);
        if (opts.dryRun) return obj;
        // Nothing changed: no write, same resourceVersion (kube-apiserver does the same).
        const stored = kv.value as KubeObject;
        const candidate = { ...obj, metadata: { ...obj.metadata } };
        delete candidate.metadata.resourceVersion;
        if (jsonEqual(candidate, stored)) return old;
        // The last finalizer removed from an object being deleted: the delete completes now.
        if (candidate.metadata.deletionTimestamp && !(candidate.metadata.finalizers ?? []).length && !(this.def.strategy.pendingFinalizers?.(candidate) ?? []).length && !this.def.strategy.gracePeriodSeconds?.(candidate, undefined)) {
          const res = await this.storage.delete<KubeObject>(key, { kind: 'revision', modRevision: kv.modRevision });
          if (!res.ok) continue;
          written = true;
          this.hooks.afterDelete?.(this.def, candidate);
          return this.present({ value: candidate, modRevision: res.revision });
        }
        const res = await this.storage.put(key, candidate, { kind: 'revision', modRevision: kv.modRevision });
        if (res.ok) {
          written = true;
          this.hooks.afterUpdate?.(this.def, candidate, old);
          return this.present(res.kv);
        }
        if (wantRV) throw errors.conflict(this.ref, name, conflictWhy());
      } finally {
        if (!written && obj && !opts.subresource) this.hooks.abortUpdate?.(this.def, obj, old);
      }
    }
    throw errors.conflict(this.ref, name, 'too many concurrent updates, please retry');
  }

  private prepareUpdate(obj: KubeObject, old: KubeObject, subresource?: string): KubeObject {
    const m = meta(obj);
    const om = old.metadata!;
    if (m.uid && m.uid !== om.uid) {
      throw errors.conflict(this.ref, om.name!, `Precondition failed: UID in precondition: ${m.uid}, UID in object meta: ${om.uid}`);
    }
    obj.apiVersion = apiVersionOf(this.def);
    obj.kind = this.def.kind;
    if (subresource === 'binding') {
      // Server-internal writes (pods/binding) that the kind's update rules would forbid.
      obj.metadata = { ...om, ...obj.metadata, resourceVersion: undefined };
      delete obj.metadata.resourceVersion;
      return obj;
    }
    if (subresource === 'finalize') {
      const fin = this.def.strategy.finalize;
      if (!fin) throw errors.methodNotSupported(this.ref, 'finalize');
      const next = clone(old);
      next.spec = { ...(old.spec as object), finalizers: (obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [] };
      fin.prepare(next, old);
      const errs = fin.validate(next, old);
      if (errs.length) throw errors.invalid(this.def.kind, this.def.group, om.name!, errs.map(toCause));
      delete next.metadata!.resourceVersion;
      return next;
    }
    if (subresource === 'status') {
      // The status subresource: the kind's status strategy decides what else may change (a
      // Deployment keeps request annotations, as kube-apiserver allows); without one, only
      // status changes (ResetObjectMetaForStatus).
      let next: KubeObject;
      if (this.def.strategy.prepareForStatusUpdate) {
        next = obj;
        next.metadata = { ...m, uid: om.uid, creationTimestamp: om.creationTimestamp, generation: om.generation, deletionTimestamp: om.deletionTimestamp, deletionGracePeriodSeconds: om.deletionGracePeriodSeconds };
        for (const k of ['generation', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) if (next.metadata[k] === undefined) delete next.metadata[k];
        this.def.strategy.prepareForStatusUpdate(next, old);
      } else {
        next = clone(old);
        if ('status' in obj) next.status = obj.status;
        else delete next.status;
      }
      admitUpdate(this.def, next, old, om.namespace ?? '', true);
      delete next.metadata!.resourceVersion;
      return next;
    }
    // Fields only the server sets survive any update.
    m.uid = om.uid;
    m.creationTimestamp = om.creationTimestamp;
    m.deletionTimestamp = om.deletionTimestamp;
    m.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
    if (!m.deletionTimestamp) delete m.deletionTimestamp;
    if (m.deletionGracePeriodSeconds === undefined) delete m.deletionGracePeriodSeconds;
    delete m.selfLink;
    const gen = om.generation ?? 1;
    m.generation = om.generation;
    this.def.strategy.defaults?.(obj);
    if (this.def.strategy.prepareForUpdate) this.def.strategy.prepareForUpdate(obj, old);
    else if ('status' in old && this.def.subresources.includes('status')) obj.status = old.status;
    if (this.tracksGeneration(obj)) {
      // A strategy may bump generation itself (Deployments count annotation changes too).
      if ((m.generation ?? gen) === gen) m.generation = jsonEqual(specOf(obj), specOf(old)) ? gen : gen + 1;
    } else delete m.generation;
    // Once deletion started, finalizers may only be removed.
    if (om.deletionTimestamp) {
      const added = (m.finalizers ?? []).filter((f) => !(om.finalizers ?? []).includes(f));
      if (added.length) {
        throw errors.invalid(this.def.kind, this.def.group, om.name!, [
          { reason: 'FieldValueForbidden', field: 'metadata.finalizers', message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}` },
        ]);
      }
    }
    this.hooks.beforeUpdate?.(this.def, obj, old);
    try {
      admitUpdate(this.def, obj, old, om.namespace ?? '', false);
    } catch (e) {
      this.hooks.abortUpdate?.(this.def, obj, old);
      throw e;
    }
    delete m.resourceVersion;
    if (!sameRefs(m.ownerReferences, om.ownerReferences) && !m.ownerReferences?.length) delete m.ownerReferences;
    return obj;
  }

  async delete(namespace: string, name: string, opts: DeleteOptions = {}): Promise<{ obj: KubeObject | Status; deleted: boolean }> {
    const key = this.key(namespace, name);
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const kv = this.storage.get<KubeObject>(key);
      if (!kv) throw errors.notFound(this.ref, name);
      const cur = kv.value as KubeObject;
      const cm = cur.metadata!;
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== cm.uid) {
        throw errors.conflict(this.ref, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cm.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== String(kv.modRevision)) {
        throw errors.conflict(this.ref, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${kv.modRevision}`);
      }
      const next = clone(cur);
      const nm = meta(next);
      let finalizers = [...(nm.finalizers ?? [])];
      const policy = opts.propagationPolicy;
      if (policy === 'Orphan' && !finalizers.includes('orphan')) finalizers = finalizers.filter((f) => f !== 'foregroundDeletion').concat('orphan');
      if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers = finalizers.filter((f) => f !== 'orphan').concat('foregroundDeletion');
      if (policy === 'Background') finalizers = finalizers.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
      const grace = this.def.strategy.gracePeriodSeconds?.(cur, opts.gracePeriodSeconds);
      const graceful = grace !== undefined && grace > 0;
      const pending = this.def.strategy.pendingFinalizers?.(cur) ?? [];
      if (!finalizers.length && !graceful && !pending.length) {
        if (opts.dryRun) return { obj: this.present(kv), deleted: true };
        const res = await this.storage.delete<KubeObject>(key, { kind: 'revision', modRevision: kv.modRevision });
        if (!res.ok) continue;
        this.hooks.afterDelete?.(this.def, cur);
        return { obj: this.deletedResponse(cur, res.revision), deleted: true };
      }
      // Deletion has to wait (finalizers or a grace period): mark the object.
      if (!nm.deletionTimestamp) {
        nm.deletionTimestamp = metaTime(Date.now() + (graceful ? grace! * 1000 : 0));
        nm.deletionGracePeriodSeconds = graceful ? grace : 0;
      } else if (graceful && (nm.deletionGracePeriodSeconds ?? Infinity) > grace!) {
        // A shorter grace period may replace a longer one.
        nm.deletionTimestamp = metaTime(Date.now() + grace! * 1000);
        nm.deletionGracePeriodSeconds = grace;
      } else if (!graceful && grace === 0) {
        nm.deletionGracePeriodSeconds = 0;
      }
      if (finalizers.length) nm.finalizers = finalizers;
      else delete nm.finalizers;
      this.def.strategy.prepareForDelete?.(next);
      if (opts.dryRun) return { obj: this.present({ value: next, modRevision: kv.modRevision }), deleted: false };
      if (jsonEqual(next, cur)) return { obj: this.present(kv), deleted: false };
      const res = await this.storage.put(key, next, { kind: 'revision', modRevision: kv.modRevision });
      if (res.ok) return { obj: this.present(res.kv), deleted: false };
    }
    throw errors.conflict(this.ref, name, 'too many concurrent updates, please retry');
  }

  /** Pods answer a delete with the object (as kube-apiserver does); other kinds with a Status. */
  private deletedResponse(obj: KubeObject, revision: number): KubeObject | Status {
    if (this.def.resource === 'pods' || this.def.resource === 'namespaces') return this.present({ value: obj, modRevision: revision });
    return successStatus({ name: obj.metadata?.name, group: this.def.group || undefined, kind: this.def.resource, uid: obj.metadata?.uid });
  }

  async deleteCollection(namespace: string, list: ListOptions, opts: DeleteOptions): Promise<KubeObject[]> {
    const { items } = this.list(namespace, list);
    const out: KubeObject[] = [];
    for (const o of items) {
      try {
        const r = await this.delete(o.metadata?.namespace ?? '', o.metadata!.name!, opts);
        if (!('status' in r.obj && (r.obj as Status).kind === 'Status')) out.push(r.obj as KubeObject);
        else out.push(o);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e;
      }
    }
    return out;
  }

  // ---- watch ---------------------------------------------------------------------------------

  /**
   * Streams events after `resourceVersion` (or the current state as ADDED events when it is
   * empty or "0"), filtered by selectors, to `send`. Returns a function that stops the watch.
   */
  watch(namespace: string, opts: WatchOptions, send: (ev: WatchEvent<KubeObject>) => void): { stop: () => void; initialEventsEnd?: string } {
    const filter = this.makeFilter(opts.labelSelector, opts.fieldSelector) ?? (() => true);
    const prefix = this.prefix(namespace);
    const rvParam = opts.resourceVersion ?? '';
    let from: number;
    if (rvParam === '' || rvParam === '0' || opts.sendInitialEvents) {
      const { kvs, revision } = this.storage.range(prefix);
      for (const kv of kvs) {
        const o = this.present(kv);
        if (filter(o)) send({ type: 'ADDED', object: o });
      }
      from = revision;
    } else {
      from = Number(rvParam);
      if (!Number.isInteger(from) || from < 0) throw errors.badRequest(`invalid resource version: ${rvParam}`);
    }
    try {
      const stop = this.storage.watch(prefix, from, (ev) => {
        const out = this.translate(ev, filter);
        if (out) send(out);
      });
      return { stop, initialEventsEnd: opts.sendInitialEvents ? String(from) : undefined };
    } catch (e) {
      if (e instanceof CompactedError) throw errors.gone(e.message);
      throw e;
    }
  }

  /** Storage event → API watch event, turning selector transitions into ADDED/DELETED. */
  private translate(ev: StorageEvent, filter: Filter): WatchEvent<KubeObject> | undefined {
    const cur = this.present({ value: ev.value, modRevision: ev.revision });
    if (ev.type === 'delete') return filter(cur) ? { type: 'DELETED', object: cur } : undefined;
    const now = filter(cur);
    const before = ev.prevValue !== undefined && filter(this.present({ value: ev.prevValue, modRevision: ev.revision }));
    if (now && before) return { type: 'MODIFIED', object: cur };
    if (now) return { type: 'ADDED', object: cur };
    if (before) return { type: 'DELETED', object: this.present({ value: ev.prevValue, modRevision: ev.revision }) };
    return undefined;
  }

  get currentRevision(): number {
    return this.storage.revision;
  }
}

function encodeContinue(key: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', start: key })).toString('base64url');
}

function decodeContinue(token: string): string {
  try {
    const d = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof d.start === 'string') return d.start;
  } catch {
    /* fallthrough */
  }
  throw errors.badRequest('continue key is not valid: illegal base64 data');
}

export type { KV };
