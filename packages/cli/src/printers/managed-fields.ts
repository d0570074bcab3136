// kubectl hides metadata.managedFields unless --show-managed-fields (printers.OmitManagedFieldsPrinter).
import type { KubeObject } from '@minik/api';

/** The object without metadata.managedFields (the same object when it has none). */
export function withoutManagedFields(obj: KubeObject): KubeObject {
  if (!obj.metadata || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
