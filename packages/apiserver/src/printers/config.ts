// The simple kinds: Namespace, ConfigMap, Secret, ServiceAccount, Lease.
import { AGE, NAME, ageOf, col, nameOf, printer } from './helpers.js';
import { DOC } from './descriptions.js';
import type { ConfigMap, Lease, Namespace, Secret, ServiceAccount } from './shapes.js';

export const namespacePrinter = printer<Namespace>([NAME, col('Status', 'string', 'The status of the namespace'), AGE], (ns, now) => [
  nameOf(ns),
  ns.status?.phase ?? '',
  ageOf(ns, now),
]);

export const configMapPrinter = printer<ConfigMap>([NAME, col('Data', 'string', DOC['ConfigMap.data']), AGE], (cm, now) => [
  nameOf(cm),
  Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
  ageOf(cm, now),
]);

export const secretPrinter = printer<Secret>([NAME, col('Type', 'string', DOC['Secret.type']), col('Data', 'string', DOC['Secret.data']), AGE], (s, now) => [
  nameOf(s),
  s.type || 'Opaque', // the apiserver defaults it
  // v1 → internal conversion merges stringData into data, so count the union of keys.
  new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})]).size,
  ageOf(s, now),
]);

export const serviceAccountPrinter = printer<ServiceAccount>([NAME, col('Secrets', 'string', DOC['ServiceAccount.secrets']), AGE], (sa, now) => [
  nameOf(sa),
  (sa.secrets ?? []).length,
  ageOf(sa, now),
]);

export const leasePrinter = printer<Lease>([NAME, col('Holder', 'string', DOC['LeaseSpec.holderIdentity']), AGE], (l, now) => [
  nameOf(l),
  l.spec?.holderIdentity ?? '',
  ageOf(l, now),
]);
