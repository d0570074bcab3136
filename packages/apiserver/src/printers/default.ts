// rest.defaultTableConvertor: what kube-apiserver serves for kinds without a printer
// (`kubectl get crd` shows it): NAME and CREATED AT, the timestamp in RFC 3339, not an age.
import { NAME, col, nameOf, printer } from './helpers.js';
import { DOC } from './descriptions.js';

/** Go's time.RFC3339 for a UTC time: whole seconds, `Z`; the zero time when missing. */
export function rfc3339(timestamp: string | null | undefined): string {
  const t = timestamp ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(t)) return '0001-01-01T00:00:00Z';
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const defaultPrinter = printer(
  [NAME, col('Created At', 'date', DOC['ObjectMeta.creationTimestamp'])],
  (obj) => [nameOf(obj), rfc3339(obj.metadata?.creationTimestamp)],
);
