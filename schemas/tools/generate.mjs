#!/usr/bin/env node
// Generates schemas/ from the `kubernetes-types` declarations (which carry every field of the
// Kubernetes API and its JSON type). Run: `node schemas/tools/generate.mjs` from the repo root.
//
// Output, draft-07 for ajv 8:
//   schemas/definitions.json           every struct reachable from the kinds below, keyed
//                                      `<pkg>.<Name>` (core.v1.PodSpec, meta.v1.ObjectMeta, ...)
//   schemas/<group>/<version>/<Kind>.json  the kind's own struct, $ref-ing into definitions.json
//
// Structs get `additionalProperties: false` (unknown-field detection) and a `title` holding the
// Go type name (`v1.PodSpec`), which the apiserver uses to word decode errors as Go does.
// `required` is deliberately not emitted: Go's JSON decoding never rejects a missing field; the
// per-kind validation reports those with Kubernetes' own messages.
import ts from 'typescript';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const typesDir = join(root, 'packages/api/node_modules/kubernetes-types');
const outDir = join(root, 'schemas');
const BASE = 'https://minik.dev/schemas/';

/** d.ts file → definition-key prefix (Go package path in short). */
const FILES = {
  'meta/v1.d.ts': 'meta.v1',
  'core/v1.d.ts': 'core.v1',
  'apps/v1.d.ts': 'apps.v1',
  'coordination/v1.d.ts': 'coordination.v1',
  'discovery/v1.d.ts': 'discovery.v1',
};

/** Kinds served, as [apiVersion dir, Kind, definition key]. */
const KINDS = [
  ['core/v1', 'Namespace', 'core.v1.Namespace'],
  ['core/v1', 'Pod', 'core.v1.Pod'],
  ['core/v1', 'Node', 'core.v1.Node'],
  ['core/v1', 'Service', 'core.v1.Service'],
  ['core/v1', 'Endpoints', 'core.v1.Endpoints'],
  ['core/v1', 'ConfigMap', 'core.v1.ConfigMap'],
  ['core/v1', 'Secret', 'core.v1.Secret'],
  ['core/v1', 'ServiceAccount', 'core.v1.ServiceAccount'],
  ['core/v1', 'Event', 'core.v1.Event'],
  ['apps/v1', 'Deployment', 'apps.v1.Deployment'],
  ['apps/v1', 'ReplicaSet', 'apps.v1.ReplicaSet'],
  ['coordination.k8s.io/v1', 'Lease', 'coordination.v1.Lease'],
  ['discovery.k8s.io/v1', 'EndpointSlice', 'discovery.v1.EndpointSlice'],
];

// What the TypeScript declarations cannot say: Go's integer width (everything else is int32)
// and []byte maps (base64 on the wire). From k8s.io/api and apimachinery types.go.
const INT64 = new Set([
  'meta.v1.ObjectMeta.generation',
  'meta.v1.ObjectMeta.deletionGracePeriodSeconds',
  'meta.v1.Condition.observedGeneration',
  'core.v1.PodSpec.terminationGracePeriodSeconds',
  'core.v1.PodSpec.activeDeadlineSeconds',
  'core.v1.Probe.terminationGracePeriodSeconds',
  'core.v1.Toleration.tolerationSeconds',
  'core.v1.SleepAction.seconds',
  'core.v1.PodSecurityContext.runAsUser',
  'core.v1.PodSecurityContext.runAsGroup',
  'core.v1.PodSecurityContext.fsGroup',
  'core.v1.PodSecurityContext.supplementalGroups',
  'core.v1.SecurityContext.runAsUser',
  'core.v1.SecurityContext.runAsGroup',
  'core.v1.ServiceAccountTokenProjection.expirationSeconds',
  'core.v1.ContainerImage.sizeBytes',
  'apps.v1.DeploymentStatus.observedGeneration',
  'apps.v1.ReplicaSetStatus.observedGeneration',
]);
const BYTES_MAPS = new Set(['core.v1.Secret.data', 'core.v1.ConfigMap.binaryData']);

// Named scalar types: how they appear on the wire.
const SCALARS = {
  Quantity: { key: 'resource.Quantity', schema: { title: 'resource.Quantity', type: ['string', 'number'], format: 'quantity' } },
  Time: { key: 'meta.v1.Time', schema: { title: 'v1.Time', type: 'string', format: 'k8s-time' } },
  MicroTime: { key: 'meta.v1.MicroTime', schema: { title: 'v1.MicroTime', type: 'string', format: 'k8s-time' } },
  // Opaque JSON: any object.
  RawExtension: { key: 'runtime.RawExtension', schema: { title: 'runtime.RawExtension', type: 'object' } },
  FieldsV1: { key: 'meta.v1.FieldsV1', schema: { title: 'v1.FieldsV1', type: 'object' } },
};
const INT_OR_STRING = { key: 'intstr.IntOrString', schema: { title: 'intstr.IntOrString', type: ['integer', 'string'], format: 'int32' } };

const ref = (key) => ({ $ref: `definitions.json#/definitions/${key}` });

// Parse every interface of every file: pkg.Name → ts.InterfaceDeclaration.
const interfaces = new Map();
for (const [file, pkg] of Object.entries(FILES)) {
  const src = ts.createSourceFile(file, readFileSync(join(typesDir, file), 'utf8'), ts.ScriptTarget.Latest, true);
  src.forEachChild((n) => {
    if (ts.isInterfaceDeclaration(n)) interfaces.set(`${pkg}.${n.name.text}`, n);
  });
}

/** Resolves a bare type name used inside `pkg` to a definition key. */
function resolveName(name, pkg) {
  if (SCALARS[name]) return SCALARS[name].key;
  for (const p of [pkg, ...Object.values(FILES)]) if (interfaces.has(`${p}.${name}`)) return `${p}.${name}`;
  throw new Error(`unknown type ${name} (in ${pkg})`);
}

const definitions = {};
const used = new Set(); // overrides hit, to catch typos in the lists above
const pending = [];

function need(key) {
  if (definitions[key] || pending.includes(key)) return;
  pending.push(key);
}

/** Schema for a property's type node; `fieldKey` is `pkg.Struct.field` for the overrides. */
function typeSchema(node, pkg, fieldKey) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
    case ts.SyntaxKind.LiteralType: // apiVersion?: "v1" and kind?: "Pod": the server checks them, not the decoder
      return { type: 'string' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.NumberKeyword:
      if (INT64.has(fieldKey)) used.add(fieldKey);
      return { type: 'integer', format: INT64.has(fieldKey) ? 'int64' : 'int32' };
    case ts.SyntaxKind.UnionType: {
      const kinds = node.types.map((t) => t.kind).sort();
      if (kinds.length === 2 && kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) {
        need(INT_OR_STRING.key);
        return ref(INT_OR_STRING.key);
      }
      throw new Error(`unsupported union at ${fieldKey}`);
    }
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText();
      if (name === 'Array') return { type: 'array', items: typeSchema(node.typeArguments[0], pkg, fieldKey) };
      const key = resolveName(name, pkg);
      need(key);
      return ref(key);
    }
    case ts.SyntaxKind.TypeLiteral: {
      // `{ [name: string]: T }`: a Go map.
      const sig = node.members.find(ts.isIndexSignatureDeclaration);
      if (!sig || node.members.length !== 1) throw new Error(`unsupported type literal at ${fieldKey}`);
      if (BYTES_MAPS.has(fieldKey)) used.add(fieldKey);
      const value = BYTES_MAPS.has(fieldKey) ? { type: 'string', format: 'byte' } : typeSchema(sig.type, pkg, fieldKey);
      return { type: 'object', additionalProperties: value };
    }
    default:
      throw new Error(`unsupported type ${ts.SyntaxKind[node.kind]} at ${fieldKey}`);
  }
}

function structSchema(key) {
  const decl = interfaces.get(key);
  const pkg = key.slice(0, key.lastIndexOf('.'));
  const properties = {};
  for (const m of decl.members) {
    if (!ts.isPropertySignature(m)) throw new Error(`unexpected member in ${key}`);
    const name = m.name.getText().replace(/^"|"$/g, '');
    properties[name] = typeSchema(m.type, pkg, `${key}.${name}`);
  }
  // Go's package name (`v1`) prefixes the type name in decode errors.
  const title = `${pkg.split('.').at(-1)}.${decl.name.text}`;
  // Empty structs (RawExtension-like) hold arbitrary JSON.
  return Object.keys(properties).length
    ? { title, type: 'object', properties, additionalProperties: false }
    : { title, type: 'object' };
}

function define(key) {
  const scalar = Object.values(SCALARS).find((s) => s.key === key) ?? (key === INT_OR_STRING.key ? INT_OR_STRING : undefined);
  definitions[key] = scalar ? scalar.schema : structSchema(key);
}

function drain() {
  while (pending.length) define(pending.shift());
}

const kindFiles = [];
for (const [dir, kind, key] of KINDS) {
  const schema = structSchema(key); // the kind's own struct lives in its file
  drain();
  const rel = `${dir}/${kind}.json`;
  const up = '../'.repeat(dir.split('/').length);
  // Re-point refs from the kind's file to definitions.json relative to it.
  const json = JSON.stringify(schema).replaceAll('"definitions.json#', `"${up}definitions.json#`);
  kindFiles.push([rel, { $schema: 'http://json-schema.org/draft-07/schema#', $id: `${BASE}${rel}`, ...JSON.parse(json) }]);
}

const sorted = Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]]));
const local = JSON.parse(JSON.stringify(sorted).replaceAll('"definitions.json#', '"#'));
const defs = { $schema: 'http://json-schema.org/draft-07/schema#', $id: `${BASE}definitions.json`, definitions: local };

const write = (rel, obj) => {
  const p = join(outDir, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, JSON.stringify(obj, null, 1) + '\n');
};
write('definitions.json', defs);
for (const [rel, s] of kindFiles) write(rel, s);
write('index.json', { base: BASE, kinds: kindFiles.map(([rel]) => rel) });
const unused = [...INT64, ...BYTES_MAPS].filter((k) => !used.has(k));
if (unused.length) console.warn(`overrides not reached: ${unused.join(', ')}`);
console.log(`${Object.keys(sorted).length} definitions, ${kindFiles.length} kinds`);
