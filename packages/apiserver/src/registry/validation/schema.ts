// Decoding a request body against schemas/ (generated from the Kubernetes types), as
// kube-apiserver's JSON decoding does: wrong JSON types fail the request with Go's message, and
// unknown fields are rejected, reported or dropped according to `?fieldValidation=`.
import { findUpward } from '@minik/api';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction, type AnySchemaObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { decodeQuantity, errors, type KubeObject } from '@minik/api';
import { fe, toCause, type FieldError } from './field-errors.js';
import { goBase64Error, goTimeError, goValueKind, unmarshalTypeError } from './go-decode.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** What decodeBody needs to know about the resource (a ResourceDef has all of it). */
export interface KindRef {
  group: string;
  version: string;
  kind: string;
}

export interface BodyCheck {
  /** Paths as kube-apiserver prints them: `spec.template.spec.containers[0].imagee`. */
  unknownFields: string[];
  /** Go's decode error for the first badly typed value in document order, if any. */
  typeError?: string;
}

export interface Decoded<T> {
  obj: T;
  /** `unknown field "spec.foo"` per dropped field (fieldValidation=Warn), for Warning headers. */
  warnings: string[];
}

const DEFAULT_DIR = findUpward(import.meta.url, 'schemas/index.json')?.replace(/index\.json$/, '') ?? fileURLToPath(new URL('../../../../../schemas/', import.meta.url));

interface Loaded {
  ajv: Ajv;
  base: string;
  /** $id → schema, to walk refs when wording errors. */
  byId: Map<string, AnySchemaObject>;
  validators: Map<string, ValidateFunction>;
}

let loaded: Loaded | undefined;

/**
 * Reads schemas/ and registers it with ajv; validators compile per kind on first use.
 * Called lazily; call it at startup to fail fast on a broken install.
 */
export function loadSchemas(dir = process.env.MINIK_SCHEMAS_DIR || DEFAULT_DIR): void {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { base: string; kinds: string[] };
  // allErrors: every unknown field is reported. verbose: errors carry the offending value.
  // Shared (not inlined) refs and no code optimisation halve compile time (Pod: ~240 → ~140 ms cold);
  // validating stays in microseconds. messages: ajv's texts are replaced by Go's anyway.
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    messages: false,
    allowUnionTypes: true,
    inlineRefs: false,
    validateSchema: false,
    code: { optimize: false },
  });
  // ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
  const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule.default }).default;
  addFormats(ajv, ['int32', 'int64']);
  ajv.addFormat('quantity', { type: 'string', validate: (s: string) => !decodeQuantity(s).error });
  ajv.addFormat('k8s-time', { type: 'string', validate: (s: string) => !goTimeError(s) });
  ajv.addFormat('byte', { type: 'string', validate: (s: string) => !goBase64Error(s) });
  const byId = new Map<string, AnySchemaObject>();
  for (const rel of ['definitions.json', ...index.kinds]) {
    const s = JSON.parse(readFileSync(join(dir, rel), 'utf8')) as AnySchemaObject;
    ajv.addSchema(s);
    byId.set(s.$id as string, s);
  }
  loaded = { ajv, base: index.base, byId, validators: new Map() };
}

function schemaId(l: Loaded, k: KindRef): string {
  return `${l.base}${k.group || 'core'}/${k.version}/${k.kind}.json`;
}

function validatorFor(k: KindRef): { l: Loaded; validate?: ValidateFunction } {
  if (!loaded) loadSchemas();
  const l = loaded!;
  const id = schemaId(l, k);
  let v = l.validators.get(id);
  if (!v && l.byId.has(id)) {
    v = l.ajv.getSchema(id)!;
    l.validators.set(id, v);
  }
  return { l, validate: v };
}

const kindIds = (l: Loaded) => [...l.byId.keys()].filter((id) => !id.endsWith('/definitions.json'));

/** Compiles every kind's validator now (what the tests measure). */
export function compileAllSchemas(): void {
  if (!loaded) loadSchemas();
  for (const id of kindIds(loaded!)) loaded!.ajv.getSchema(id);
}

/**
 * Compiles the validators in the background, one kind per event-loop turn, so that the first
 * write of each kind does not pay for it (Pod is the big one: ~100 ms). Call after listen().
 */
export async function warmSchemas(): Promise<void> {
  if (!loaded) loadSchemas();
  for (const id of kindIds(loaded!)) {
    await new Promise((r) => setImmediate(r));
    loaded!.ajv.getSchema(id);
  }
}

// --- walking a schema along an instance path, to word errors as Go does ---

function deref(l: Loaded, s: AnySchemaObject, baseId: string): { s: AnySchemaObject; baseId: string } {
  while (s.$ref) {
    const [file, pointer] = (s.$ref as string).split('#');
    const id = file ? new URL(file, baseId).href : baseId;
    let t: AnySchemaObject = l.byId.get(id)!;
    for (const seg of (pointer ?? '').split('/').filter(Boolean)) t = t[seg];
    s = t;
    baseId = id;
  }
  return { s, baseId };
}

const isStruct = (s: AnySchemaObject) => !!s.properties;
const isMap = (s: AnySchemaObject) => s.type === 'object' && typeof s.additionalProperties === 'object';

/** Go's name for the type a schema describes: `int32`, `[]v1.Container`, `map[string]string`. */
function goType(l: Loaded, raw: AnySchemaObject, baseId: string): string {
  const { s, baseId: b } = deref(l, raw, baseId);
  if (s.title) return s.title as string;
  if (s.type === 'array') return `[]${goType(l, s.items, b)}`;
  if (isMap(s)) return `map[string]${goType(l, s.additionalProperties, b)}`;
  if (s.type === 'integer') return (s.format as string) ?? 'int';
  if (s.type === 'boolean') return 'bool';
  if (s.type === 'string') return s.format === 'byte' ? '[]uint8' : 'string';
  return 'interface {}';
}

interface Located {
  schema: AnySchemaObject;
  baseId: string;
  /** Innermost Go struct holding the field, and the JSON field names from the root. */
  struct: string;
  fieldStack: string[];
  parentKind: 'struct' | 'map' | 'array' | 'root';
}

function locate(l: Loaded, rootId: string, segs: string[]): Located | undefined {
  let cur = deref(l, l.byId.get(rootId)!, rootId);
  const at: Located = { schema: cur.s, baseId: cur.baseId, struct: '', fieldStack: [], parentKind: 'root' };
  for (const seg of segs) {
    const s = cur.s;
    if (isStruct(s)) {
      const next = s.properties[seg];
      if (!next) return undefined;
      at.struct = (s.title as string).replace(/^.*\./, '');
      at.fieldStack.push(seg);
      at.parentKind = 'struct';
      cur = deref(l, next, cur.baseId);
    } else if (s.type === 'array') {
      at.parentKind = 'array';
      cur = deref(l, s.items, cur.baseId);
    } else if (isMap(s)) {
      at.parentKind = 'map';
      cur = deref(l, s.additionalProperties, cur.baseId);
    } else return undefined;
  }
  at.schema = cur.s;
  at.baseId = cur.baseId;
  return at;
}

/** The zero value Go leaves where JSON had null inside an array or map. */
function zeroValue(s: AnySchemaObject): unknown {
  if (s.type === 'string') return '';
  if (s.type === 'integer') return 0;
  if (s.type === 'boolean') return false;
  if (s.type === 'array') return [];
  return s.type === 'object' ? {} : null;
}

function typeErrorMessage(l: Loaded, rootId: string, e: ErrorObject, segs: string[]): string {
  const at = locate(l, rootId, segs);
  const data = e.data;
  if (!at) return unmarshalTypeError(goValueKind(data), '', '', 'interface {}');
  const s = at.schema;
  const field = at.fieldStack.join('.');
  switch (s.title) {
    case 'resource.Quantity':
      return decodeQuantity(data).error ?? 'invalid quantity';
    case 'v1.Time':
    case 'v1.MicroTime':
      return typeof data === 'string' ? (goTimeError(data) ?? 'invalid time') : unmarshalTypeError(goValueKind(data), at.struct, field, 'string');
    case 'intstr.IntOrString':
      // IntOrString.UnmarshalJSON hands anything but a string to json.Unmarshal into an int32.
      return unmarshalTypeError(goValueKind(data, typeof data === 'number'), at.struct, field, 'int32');
  }
  if (s.format === 'byte' && typeof data === 'string') return goBase64Error(data) ?? 'illegal base64 data';
  return unmarshalTypeError(goValueKind(data, s.type === 'integer' && typeof data === 'number'), at.struct, field, goType(l, s, at.baseId));
}

// --- paths and document order ---

const segments = (instancePath: string) =>
  instancePath === '' ? [] : instancePath.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));

function parentOf(body: unknown, segs: string[]): unknown {
  let cur = body;
  for (const seg of segs.slice(0, -1)) cur = (cur as Record<string, unknown>)[seg];
  return cur;
}

/** `spec.containers[0].image`: indices in brackets, as sigs.k8s.io/json reports strict errors. */
function renderPath(body: unknown, segs: string[]): string {
  let out = '';
  let cur = body;
  for (const seg of segs) {
    out += Array.isArray(cur) ? `[${seg}]` : out ? `.${seg}` : seg;
    cur = (cur as Record<string, unknown> | undefined)?.[seg];
  }
  return out;
}

/** Position of a path in the body's key order, to report what Go's decoder meets first. */
function docOrder(body: unknown, segs: string[]): number[] {
  const order: number[] = [];
  let cur = body;
  for (const seg of segs) {
    order.push(Array.isArray(cur) ? Number(seg) : Object.keys(cur as object).indexOf(seg));
    cur = (cur as Record<string, unknown>)[seg];
  }
  return order;
}

function cmpOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * Checks `body` against the kind's schema. Mutates it the way Go's decoding would leave it:
 * nulls become absent (struct fields) or zero values (in arrays and maps), and, unless
 * `keepUnknown`, unknown fields are removed.
 */
export function checkBody(k: KindRef, body: unknown, keepUnknown = false): BodyCheck {
  const { l, validate } = validatorFor(k);
  if (!validate || validate(body)) return { unknownFields: [] };
  const rootId = schemaId(l, k);
  const unknown: { segs: string[]; order: number[] }[] = [];
  const typeErrs: { e: ErrorObject; segs: string[]; order: number[] }[] = [];
  const nulls: { segs: string[]; order: number[] }[] = [];
  for (const e of validate.errors ?? []) {
    const segs = segments(e.instancePath);
    if (e.keyword === 'additionalProperties') {
      const full = [...segs, (e.params as { additionalProperty: string }).additionalProperty];
      unknown.push({ segs: full, order: docOrder(body, full) });
    } else if (e.keyword === 'type' && e.data === null) {
      nulls.push({ segs, order: docOrder(body, segs) });
    } else if (e.keyword === 'type' || e.keyword === 'format') {
      typeErrs.push({ e, segs, order: docOrder(body, segs) });
    }
  }
  let typeError: string | undefined;
  if (typeErrs.length) {
    typeErrs.sort((a, b) => cmpOrder(a.order, b.order));
    typeError = typeErrorMessage(l, rootId, typeErrs[0].e, typeErrs[0].segs);
  }
  unknown.sort((a, b) => cmpOrder(a.order, b.order));
  const unknownFields = unknown.map((u) => renderPath(body, u.segs));
  // Mutations last (deepest first), so paths above stay valid while rendering.
  for (const n of nulls.sort((a, b) => cmpOrder(b.order, a.order))) {
    if (!n.segs.length) continue;
    const parent = parentOf(body, n.segs) as Record<string, unknown>;
    const key = n.segs[n.segs.length - 1];
    const at = locate(l, rootId, n.segs);
    if (at?.parentKind === 'struct' || !at) delete parent[key];
    else parent[key] = zeroValue(at.schema);
  }
  if (!keepUnknown) {
    for (const u of [...unknown].reverse()) delete (parentOf(body, u.segs) as Record<string, unknown>)[u.segs[u.segs.length - 1]];
  }
  return { unknownFields, typeError };
}

const VALIDATION_VALUES = ['Ignore', 'Strict', 'Warn'];

/**
 * The `fieldValidation` query parameter; absent means Warn. An unsupported value is a 422 on
 * the request's options object, as kube-apiserver answers.
 */
export function parseFieldValidation(value: string | undefined, optionsKind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' = 'CreateOptions'): FieldValidation {
  if (value === undefined || value === '') return 'Warn';
  if (VALIDATION_VALUES.includes(value)) return value as FieldValidation;
  const err: FieldError = fe.notSupported('fieldValidation', value, VALIDATION_VALUES);
  throw errors.invalid(optionsKind, 'meta.k8s.io', '', [toCause(err)]);
}

/**
 * Decodes a request body for resource `k` as kube-apiserver does: throws 400 BadRequest on a
 * wrong JSON type, and handles unknown fields per `fieldValidation` (Strict: 400; Warn, the
 * default: dropped with a warning each; Ignore: dropped). Mutates and returns `body`.
 */
export function decodeBody<T extends KubeObject = KubeObject>(k: KindRef, body: unknown, fieldValidation?: string): Decoded<T> {
  const mode = parseFieldValidation(fieldValidation);
  const prefix = `${k.kind} in version "${k.version}" cannot be handled as a ${k.kind}`;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.badRequest(`${prefix}: ${unmarshalTypeError(goValueKind(body), '', '', `v1.${k.kind}`)}`);
  }
  const { unknownFields, typeError } = checkBody(k, body);
  if (typeError) throw errors.badRequest(`${prefix}: ${typeError}`);
  const messages = unknownFields.map((f) => `unknown field ${JSON.stringify(f)}`);
  if (mode === 'Strict' && messages.length) throw errors.badRequest(`${prefix}: strict decoding error: ${messages.join(', ')}`);
  return { obj: body as T, warnings: mode === 'Warn' ? messages : [] };
}
