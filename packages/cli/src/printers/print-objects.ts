// Machine-readable output of objects (kubectl get's printGeneric and the printers behind it):
// a list as fetched from the server (a KubeList) or several objects are wrapped in a
// client-side `kind: List` with an empty resourceVersion; one object (alone or in a
// one-element array) prints as itself. managedFields are dropped from json/yaml unless asked
// for, as kubectl does by default.
import type { KubeList, KubeObject } from '@minik/api';
import { printCustomColumns } from './custom-columns.js';
import { PrinterError } from './errors.js';
import { goQuote, goSyntax } from './go-format.js';
import { marshalIndentJSON } from './go-json.js';
import { JSONPathExecError } from './jsonpath/index.js';
import type { JSONPath } from './jsonpath/index.js';
import { withoutManagedFields } from './managed-fields.js';
import { printNames } from './name.js';
import { parseOutputFormat, type OutputFormatOptions, type OutputSpec } from './output-format.js';
import { marshalYAML } from './yaml/index.js';

export interface PrintObjectsOptions extends OutputFormatOptions {
  /** --show-managed-fields. */
  showManagedFields?: boolean;
  /**
   * Print each object on its own instead of one List (apply/create/run -o): YAML documents
   * separated by `---`, JSON objects one after another, jsonpath run per object.
   */
  separate?: boolean;
}

type Input = KubeObject | KubeObject[] | KubeList;

const isList = (v: Input): v is KubeList => !Array.isArray(v) && Array.isArray((v as KubeList).items);

/** Items of a server list may omit kind/apiVersion; client-go fills them from the list. */
function listItems(list: KubeList): KubeObject[] {
  const itemKind = list.kind?.endsWith('List') ? list.kind.slice(0, -4) : undefined;
  return list.items.map((item) =>
    !item.kind && !item.apiVersion && itemKind ? { apiVersion: list.apiVersion, kind: itemKind, ...item } : item,
  );
}

/** The List kubectl builds around several objects. */
export function wrapList(items: KubeObject[]): KubeObject {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

function requireKind(obj: KubeObject): void {
  if (!obj.kind && !obj.apiVersion) {
    throw new PrinterError('missing apiVersion or kind; try GetObjectKind().SetGroupVersionKind() if you know the type');
  }
}

function executeJSONPath(jp: JSONPath, obj: KubeObject): string {
  try {
    return jp.execute(obj);
  } catch (e) {
    if (!(e instanceof JSONPathExecError)) throw e;
    const debug =
      `Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
      `\ttemplate was:\n\t\t${jp.template}\n` +
      `\tobject given to jsonpath engine was:\n\t\t${goSyntax(obj)}\n\n`;
    throw new PrinterError(`error executing jsonpath ${goQuote(jp.template)}: ${debug}\n`);
  }
}

/** Prints one object, or one List, with the chosen printer. */
function printOne(obj: KubeObject, spec: Exclude<OutputSpec, { type: 'table' }>, items: KubeObject[]): string {
  switch (spec.type) {
    case 'json':
      requireKind(obj);
      return marshalIndentJSON(obj) + '\n';
    case 'yaml':
      requireKind(obj);
      return marshalYAML(obj);
    case 'name':
      return printNames(items);
    case 'jsonpath':
      return executeJSONPath(spec.jsonpath, obj);
    case 'custom-columns':
      return printCustomColumns(items, spec.columns, spec.noHeaders);
  }
}

/**
 * The text `kubectl get -o <output>` prints for objects. Pass the KubeList for `get <type>`
 * (a List even with one item), an object or array for named objects. `output` is the -o value
 * (or a parsed OutputSpec); human-readable output comes from renderTables instead.
 */
export function printObjects(input: Input, output: string | OutputSpec, opts: PrintObjectsOptions = {}): string {
  const spec = typeof output === 'string' ? parseOutputFormat(output, opts) : output;
  if (spec.type === 'table') throw new Error('printObjects: human-readable output is printed with renderTables');
  const strip = (spec.type === 'json' || spec.type === 'yaml') && !opts.showManagedFields;
  const clean = (o: KubeObject) => (strip ? withoutManagedFields(o) : o);

  const items = (Array.isArray(input) ? input : isList(input) ? listItems(input) : [input]).map(clean);
  const single = Array.isArray(input) ? input.length === 1 : !isList(input);

  if (opts.separate) {
    const docs = items.map((o) => printOne(o, spec, [o]));
    return spec.type === 'yaml' ? docs.join('---\n') : docs.join('');
  }
  const obj = single ? items[0] : wrapList(items);
  return printOne(obj, spec, items);
}
