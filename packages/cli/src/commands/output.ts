// Object output (-o yaml|json|name|jsonpath|custom-columns) for verbs that return objects.
import type { KubeObject } from '@minik/api';

export function wantsObjectOutput(opts: Record<string, unknown>): boolean {
  const o = opts.output as string | undefined;
  return !!o && o !== 'name' && o !== 'wide';
}

export async function printResultObjects(objs: KubeObject[], opts: Record<string, unknown>): Promise<void> {
  const { printObjects } = await import('../printers/index.js');
  // apply/create/run print one document per object, as kubectl does.
  process.stdout.write(printObjects(objs, String(opts.output), { separate: true }));
}
