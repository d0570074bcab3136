// -o custom-columns=HEADER:path,... and -o custom-columns-file (kubectl get/customcolumn.go).
// Paths are relaxed jsonpath (`.a.b`, `a.b`, `{.a.b}`), missing values print `<none>`, several
// values join with commas, maps print the Go way (`map[k:v]`). Headers are kept as given.
import type { KubeObject } from '@minik/api';
import { PrinterError } from './errors.js';
import { escapeTerminal } from './escape-terminal.js';
import { goSprint } from './go-format.js';
import { JSONPath, relaxedJSONPathExpression } from './jsonpath/index.js';
import { TabWriter } from './tabwriter.js';

export interface Column {
  header: string;
  /** The template derived from the user's path, e.g. `{.metadata.name}`. */
  fieldSpec: string;
}

function relaxed(path: string): string {
  try {
    return relaxedJSONPathExpression(path);
  } catch (e) {
    throw new PrinterError((e as Error).message);
  }
}

/** Parses `NAME:.metadata.name,IMAGE:.spec.containers[*].image`. */
export function parseCustomColumnsSpec(spec: string): Column[] {
  if (spec.length === 0) throw new PrinterError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const i = part.indexOf(':');
    if (i < 0) throw new PrinterError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, i), fieldSpec: relaxed(part.slice(i + 1)) };
  });
}

/** A custom-columns file: a line of headers, then a line of paths, both split on whitespace. */
export function parseCustomColumnsTemplate(text: string): Column[] {
  // bufio.Scanner lines: split on \n, drop a trailing \r, no empty token after a final \n.
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (text.endsWith('\n') || text === '') lines.pop();
  const words = (l: string) => l.split(/[ \t\n\v\f\r\u0085\u00a0]+/).filter(Boolean);
  const expected = 'Expected format is one line of space separated headers, one line of space separated column specs.';
  if (lines.length < 1) throw new PrinterError(`invalid template, missing header line. ${expected}`);
  if (lines.length < 2) throw new PrinterError(`invalid template, missing spec line. ${expected}`);
  const headers = words(lines[0]);
  const specs = words(lines[1]);
  if (headers.length !== specs.length) {
    throw new PrinterError(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  }
  return headers.map((header, i) => ({ header, fieldSpec: relaxed(specs[i]) }));
}

function cellFor(parser: JSONPath, obj: KubeObject): string {
  const values = parser.findResults(obj);
  const parts: string[] = [];
  if (values.length === 0 || values[0].length === 0) parts.push('<none>');
  for (const group of values) {
    for (const v of group) parts.push(escapeTerminal(goSprint(v)));
  }
  return parts.join(',');
}

/** Renders objects (already flattened out of their list) as kubectl's custom columns. */
export function printCustomColumns(objs: KubeObject[], columns: Column[], noHeaders = false): string {
  const w = new TabWriter();
  if (!noHeaders) w.write(columns.map((c) => c.header).join('\t') + '\n');
  // kubectl flushes what it has (the header, earlier rows) before reporting an error.
  const fail = (e: unknown) => {
    const err = new PrinterError((e as Error).message);
    err.partialOutput = w.flush();
    return err;
  };
  let parsers: JSONPath[];
  try {
    parsers = columns.map((c) => new JSONPath(c.fieldSpec, { allowMissingKeys: true }));
  } catch (e) {
    throw fail(e);
  }
  for (const obj of objs) {
    let line: string;
    try {
      line = parsers.map((p) => cellFor(p, obj)).join('\t');
    } catch (e) {
      throw fail(e);
    }
    w.write(line + '\n');
  }
  return w.flush();
}
