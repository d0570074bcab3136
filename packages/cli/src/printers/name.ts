// -o name and kubectl's mutation messages: `kind[.group]/name`, the kind lower-cased and the
// group taken from apiVersion (`deployment.apps/web`, `pod/x`), optionally followed by the
// operation (`pod/x created`).
import type { KubeObject } from '@minik/api';
import { PrinterError } from './errors.js';

/** `pod/x`, `deployment.apps/web`. */
export function resourceName(obj: KubeObject): string {
  const apiVersion = obj.apiVersion ?? '';
  const kind = obj.kind ?? '';
  if (!apiVersion && !kind) {
    throw new PrinterError('missing apiVersion or kind; try GetObjectKind().SetGroupVersionKind() if you know the type');
  }
  const name = obj.metadata?.name || '<unknown>';
  if (!kind) throw new PrinterError(`missing kind for resource with name ${name}`);
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  return `${kind.toLowerCase()}${group ? `.${group}` : ''}/${name}`;
}

/** `deployment.apps/web created`, as apply, create, delete, scale... print. */
export function operationMessage(obj: KubeObject, operation: string): string {
  return operation ? `${resourceName(obj)} ${operation}` : resourceName(obj);
}

/** -o name output for objects already flattened out of their list. */
export function printNames(objs: KubeObject[]): string {
  return objs.map((o) => resourceName(o) + '\n').join('');
}
