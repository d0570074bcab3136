// --overrides / --override-type (run, expose): a JSON, merge or strategic patch applied to the
// generated object's JSON, which is then read back into its Go struct.
import { applyJsonPatch, jsonMergePatch, strategicMergePatch, type KubeObject } from '@minik/api';
import { CliError } from '../../errors.js';
import { toTyped } from './typed.js';

export function applyOverrides(obj: KubeObject, opts: Record<string, unknown>): KubeObject {
  const overrides = opts.overrides as string | undefined;
  if (!overrides) return obj;
  const type = (opts.overrideType as string | undefined) || 'merge';
  if (!['json', 'merge', 'strategic'].includes(type)) throw new CliError(`error: invalid override type: ${type}`);
  let patch: unknown;
  try {
    patch = JSON.parse(overrides);
  } catch (e) {
    throw new CliError(`error: ${(e as Error).message}`);
  }
  const target = toTyped(obj);
  let patched: unknown;
  try {
    if (type === 'json') patched = applyJsonPatch(target, patch);
    else if (type === 'merge') patched = jsonMergePatch(target, patch);
    else patched = strategicMergePatch(target, patch, obj.kind ?? '');
  } catch (e) {
    throw new CliError(`error: ${(e as Error).message}`);
  }
  return toTyped(patched as KubeObject);
}
