// `minik create configmap NAME` and `minik create secret generic NAME`, from
// --from-literal / --from-file / --from-env-file, with --append-hash.
import { createHash } from 'node:crypto';
import type { KubeObject } from '@minik/api';
import { CliError } from '../../errors.js';
import { fieldValidation } from '../apply.js';
import { parseDryRun } from '../common.js';
import type { GenAction } from './cli.js';
import { configMapKeyErrors, splitCSV, stringArray } from './parse.js';
import { printerFor } from './print.js';
import { parseLiteralSource, readEnvFiles, readFileSources, validUTF8 } from './sources.js';
import { RESOURCES, submit, withApplyAnnotation, type Submission } from './submit.js';
import { goJSON, goKeyCompare } from './typed.js';

export interface DataSources {
  literals: string[];
  files: string[];
  envFiles: string[];
}

function sortedMap<T>(m: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(m).sort(goKeyCompare).map((k) => [k, m[k]]));
}

/**
 * kubectl's hash for --append-hash: sha256 of the Go JSON of a sorted map of the fields that
 * matter, its first 10 hex digits with 0,1,3,a,e mapped to consonants (no words in names).
 */
export function contentHash(fields: Record<string, unknown>): string {
  const hex = createHash('sha256').update(goJSON(sortedMap(fields))).digest('hex');
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

export function buildConfigMap(name: string, src: DataSources, namespace?: string, appendHash = false): KubeObject {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  const add = (key: string, value: string | Buffer) => {
    const errs = configMapKeyErrors(key);
    if (errs.length) throw new Error(`${JSON.stringify(key)} is not a valid key name for a ConfigMap: ${errs.join(',')}`);
    if (key in data) throw new Error(`cannot add key ${JSON.stringify(key)}, another key by that name already exists in Data for ConfigMap ${JSON.stringify(name)}`);
    if (key in binaryData) throw new Error(`cannot add key ${JSON.stringify(key)}, another key by that name already exists in BinaryData for ConfigMap ${JSON.stringify(name)}`);
    if (typeof value === 'string') data[key] = value;
    else {
      const text = validUTF8(value);
      if (text !== undefined) data[key] = text;
      else binaryData[key] = value.toString('base64');
    }
  };
  readFileSources(src.files, add);
  for (const l of src.literals) add(...parseLiteralSource(l));
  readEnvFiles(src.envFiles, 'env config file cannot be a directory', add);
  let finalName = name;
  if (appendHash) {
    const fields: Record<string, unknown> = { kind: 'ConfigMap', name, data: sortedMap(data) };
    if (Object.keys(binaryData).length) fields.binaryData = sortedMap(binaryData);
    finalName = `${name}-${contentHash(fields)}`;
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: finalName, ...(namespace ? { namespace } : {}) },
    data,
    binaryData,
  };
}

export function buildSecret(name: string, type: string, src: DataSources, namespace?: string, appendHash = false): KubeObject {
  const data: Record<string, string> = {};
  const add = (key: string, value: string | Buffer) => {
    const errs = configMapKeyErrors(key);
    if (errs.length) throw new Error(`${JSON.stringify(key)} is not valid key name for a Secret ${errs.join(';')}`);
    if (key in data) throw new Error(`cannot add key ${key}, another key by that name already exists`);
    data[key] = Buffer.from(value).toString('base64');
  };
  for (const l of src.literals) add(...parseLiteralSource(l));
  readFileSources(src.files, add);
  readEnvFiles(src.envFiles, 'env secret file cannot be a directory', add);
  const finalName = appendHash ? `${name}-${contentHash({ kind: 'Secret', type, name, data: sortedMap(data) })}` : name;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: finalName, ...(namespace ? { namespace } : {}) },
    type,
    data,
  };
}

function sourcesFrom(opts: Record<string, unknown>): DataSources {
  return { literals: stringArray(opts.fromLiteral), files: splitCSV(opts.fromFile), envFiles: splitCSV(opts.fromEnvFile) };
}

function dataAction(kind: 'configmap' | 'secret'): GenAction {
  return async (ctx, args, opts) => {
    const name = ctx.nameFromArgs(args);
    const dryRun = parseDryRun(opts.dryRun);
    const printer = await printerFor(opts, 'created', dryRun);
    const validation = fieldValidation(opts.validate);
    const src = sourcesFrom(opts);
    if (src.envFiles.length && (src.files.length || src.literals.length)) {
      throw new CliError('error: from-env-file cannot be combined with from-file or from-literal');
    }
    const namespace = ctx.explicitNamespace ? ctx.namespace : undefined;
    let obj: KubeObject;
    try {
      obj =
        kind === 'configmap'
          ? buildConfigMap(name, src, namespace, !!opts.appendHash)
          : buildSecret(name, String(opts.type ?? ''), src, namespace, !!opts.appendHash);
    } catch (e) {
      throw new CliError(`error: ${(e as Error).message}`);
    }
    if (opts.saveConfig) obj = withApplyAnnotation(obj);
    const sub: Submission = {
      obj,
      gvr: kind === 'configmap' ? RESOURCES.configmaps : RESOURCES.secrets,
      namespace: ctx.namespace,
      dryRun,
      fieldManager: String(opts.fieldManager ?? 'kubectl-create'),
      fieldValidation: validation,
      // kubectl's own wording, missing colon included.
      errorPrefix: kind === 'configmap' ? 'failed to create configmap: ' : 'failed to create secret ',
    };
    await printer.write(await submit(ctx, sub));
  };
}

export const createConfigMap = dataAction('configmap');
export const createSecret = dataAction('secret');
