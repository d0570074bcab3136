// Interprets `-o` (and --template) the way `kubectl get` picks its printer, in kubectl's
// order: templates, json/yaml (case-insensitive), human-readable, custom columns, name.
import fs from 'node:fs';
import { parseCustomColumnsSpec, parseCustomColumnsTemplate, type Column } from './custom-columns.js';
import { noCompatiblePrinter, PrinterError } from './errors.js';
import { JSONPath } from './jsonpath/index.js';

export type OutputSpec =
  | { type: 'table'; wide: boolean }
  | { type: 'json' }
  | { type: 'yaml' }
  | { type: 'name' }
  | { type: 'jsonpath'; jsonpath: JSONPath }
  | { type: 'custom-columns'; columns: Column[]; noHeaders: boolean };

export interface OutputFormatOptions {
  /** --template, used when -o names a template format without `=value`. */
  template?: string;
  /** --no-headers, for custom-columns (a custom-columns file always prints its headers). */
  noHeaders?: boolean;
  /** --allow-missing-template-keys (default true): missing jsonpath keys print nothing. */
  allowMissingTemplateKeys?: boolean;
  /** Reads -o jsonpath-file / custom-columns-file paths; defaults to the file system. */
  readFile?: (path: string) => string;
}

const GO_TEMPLATE_FORMATS = ['go-template', 'go-template-file', 'template', 'templatefile'];
const JSONPATH_FORMATS = ['jsonpath', 'jsonpath-file', 'jsonpath-as-json'];
const COLUMNS_FORMATS = ['custom-columns', 'custom-columns-file'];

/** `jsonpath={.a}` → ['jsonpath', '{.a}']; the value only counts for the given formats. */
function splitFormat(output: string, formats: string[]): [string, string] | undefined {
  for (const f of formats) {
    if (output === f) return [f, ''];
    if (output.startsWith(f + '=')) return [f, output.slice(f.length + 1)];
  }
  return undefined;
}

const defaultReadFile = (path: string) => fs.readFileSync(path, 'utf8');

function fileError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return `open ${err.path}: no such file or directory`;
  return err.message;
}

export function parseOutputFormat(output: string | undefined, opts: OutputFormatOptions = {}): OutputSpec {
  let format = output ?? '';
  if (opts.template && format === '') format = 'go-template';
  const readFile = opts.readFile ?? defaultReadFile;

  const goTemplate = splitFormat(format, GO_TEMPLATE_FORMATS);
  if (goTemplate) {
    throw new PrinterError(`output format "${goTemplate[0]}" is not supported by minik; use -o jsonpath=... or -o custom-columns=...`);
  }

  const jp = splitFormat(format, JSONPATH_FORMATS);
  if (jp) {
    const [kind, inline] = jp;
    let template = opts.template || inline;
    if (!template) throw new PrinterError('template format specified but no template given');
    if (kind === 'jsonpath-file') {
      try {
        template = readFile(template);
      } catch (e) {
        throw new PrinterError(`error reading --template ${template}, ${fileError(e)}`);
      }
    }
    try {
      const jsonpath = new JSONPath(template, {
        allowMissingKeys: opts.allowMissingTemplateKeys ?? true,
        outputJSON: kind === 'jsonpath-as-json',
      });
      return { type: 'jsonpath', jsonpath };
    } catch (e) {
      throw new PrinterError(`error parsing jsonpath ${template}, ${(e as Error).message}`);
    }
  }

  const lower = format.toLowerCase();
  if (lower === 'json' || lower === 'yaml') return { type: lower };
  if (format === '' || format === 'wide') return { type: 'table', wide: format === 'wide' };

  const cc = splitFormat(format, COLUMNS_FORMATS);
  if (cc) {
    const [kind, inline] = cc;
    const value = opts.template || inline;
    if (!value) throw new PrinterError('custom-columns format specified but no custom columns given');
    if (kind === 'custom-columns-file') {
      let text: string;
      try {
        text = readFile(value);
      } catch (e) {
        throw new PrinterError(`error reading template ${value}, ${fileError(e)}\n`);
      }
      return { type: 'custom-columns', columns: parseCustomColumnsTemplate(text), noHeaders: false };
    }
    return { type: 'custom-columns', columns: parseCustomColumnsSpec(value), noHeaders: !!opts.noHeaders };
  }

  if (format === 'name') return { type: 'name' };
  throw noCompatiblePrinter(format);
}
