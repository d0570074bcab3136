// Reading `-f` sources the way kubectl's resource builder does: files, directories (`-R`),
// stdin, multi-document YAML and JSON, `kind: List` expanded.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import { parseAllDocuments, LineCounter } from 'yaml';
import type { KubeObject } from '@minik/api';
import { CliError } from './errors.js';

export interface ManifestObject {
  obj: KubeObject;
  /** The source as kubectl names it in messages: the path given, or "STDIN". */
  source: string;
}

const EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

function listFiles(path: string, recursive: boolean, top: boolean): string[] {
  const st = statSync(path);
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  for (const e of readdirSync(path).sort()) {
    const p = join(path, e);
    const s = statSync(p);
    if (s.isDirectory()) {
      if (recursive) out.push(...listFiles(p, recursive, false));
    } else if (EXTENSIONS.has(extname(e))) out.push(p);
  }
  void top;
  return out;
}

let stdinCache: string | undefined;
function readStdin(): string {
  if (stdinCache === undefined) stdinCache = readFileSync(0, 'utf8');
  return stdinCache;
}

/** Parses YAML/JSON text into objects; errors name the source and line as kubectl does. */
export function parseManifests(text: string, source: string): ManifestObject[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const out: ManifestObject[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length) {
      const err = doc.errors[0];
      const line = err.linePos?.[0]?.line ?? lc.linePos(err.pos[0]).line;
      const msg = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new CliError(`error: error parsing ${source}: error converting YAML to JSON: yaml: line ${line}: ${msg}`);
    }
    const v = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (v === null || v === undefined) continue;
    if (typeof v !== 'object' || Array.isArray(v)) {
      throw new CliError(`error: error validating "${source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`);
    }
    out.push(...expandList(v as KubeObject, source));
  }
  return out;
}

function expandList(obj: KubeObject, source: string): ManifestObject[] {
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
    return (obj.items as KubeObject[]).flatMap((i) => expandList(i, source));
  }
  return [{ obj, source }];
}

/** Objects from every `-f` argument, in order. */
export function readManifests(filenames: string[], recursive = false): ManifestObject[] {
  const out: ManifestObject[] = [];
  for (const f of filenames) {
    if (f === '-') {
      out.push(...parseManifests(readStdin(), 'STDIN'));
      continue;
    }
    if (/^https?:\/\//.test(f)) throw new CliError(`error: reading manifests from URLs is not supported by minik: "${f}"`);
    if (!existsSync(f)) throw new CliError(`error: the path "${f}" does not exist`);
    const files = listFiles(f, recursive, true);
    if (!files.length && statSync(f).isDirectory()) throw new CliError(`error: error reading [${f}]: recognized file extensions are [.json .yaml .yml]`);
    for (const file of files) out.push(...parseManifests(readFileSync(file, 'utf8'), file));
  }
  if (!out.length) throw new CliError('error: no objects passed to apply');
  return out;
}

/** kubectl's client-side check before anything is sent. */
export function checkTypeMeta(m: ManifestObject): void {
  const missing: string[] = [];
  if (!m.obj.apiVersion) missing.push('apiVersion not set');
  if (!m.obj.kind) missing.push('kind not set');
  if (missing.length) {
    const what = missing.length === 1 ? missing[0] : `[${missing.join(', ')}]`;
    throw new CliError(`error: error validating "${m.source}": error validating data: ${what}; if you choose to ignore these errors, turn validation off with --validate=false`);
  }
}
