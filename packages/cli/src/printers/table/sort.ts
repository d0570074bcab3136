// --sort-by on server-side Tables (kubectl get/sorter.go TableSorter): the field is read from
// each row's full object with a missing-keys-allowed jsonpath; rows without it sort first;
// strings that both parse as quantities compare as quantities. Go's unstable sort decides ties.
import { Quantity, type Table, type TableRow } from '@minik/api';
import { PrinterError } from '../errors.js';
import { goQuote, isGoInt, isPlainObject } from '../go-format.js';
import { goSortInterface } from '../go-sort.js';
import { JSONPath, relaxedJSONPathExpression } from '../jsonpath/index.js';

/**
 * A --sort-by path that does not parse or matches nothing. kubectl's get loop ignores the
 * printer's error, so such a table prints nothing ("No resources found" follows).
 */
export class SortFieldError extends PrinterError {}

type SortKind = 'nil' | 'int' | 'float' | 'string' | 'other';

function kindOf(v: unknown): SortKind {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'number') return isGoInt(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'string';
  return 'other';
}

/** isLess on two interface{} values decoded from JSON. */
function isLess(field: string, a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'nil' && kb === 'nil') return false;
  if (ka === 'nil') return true;
  if (kb === 'nil') return false;
  const unsortable = (detail: string) =>
    new PrinterError(`Field ${field} in [][][]reflect.Value is an unsortable type: interface, err: ${detail}`);
  if (ka === 'other') {
    const t = typeof a === 'boolean' ? 'bool' : Array.isArray(a) ? '[]interface {}' : 'map[string]interface {}';
    throw unsortable(`unsortable type: ${t}`);
  }
  if (ka !== kb) throw unsortable('unsortable interface: interface');
  if (ka === 'string') {
    const qa = Quantity.parse(a as string);
    const qb = Quantity.parse(b as string);
    if (qa && qb) return qa.cmp(qb) < 0;
    return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string)) < 0;
  }
  return (a as number) < (b as number);
}

/** Returns a copy of the table with rows sorted by field; throws PrinterError like kubectl. */
export function sortTableRows(table: Table, sortBy: string): Table {
  if (table.rows.length <= 1) return table;
  let field: string;
  try {
    field = relaxedJSONPathExpression(sortBy);
  } catch {
    field = sortBy;
  }
  let parser: JSONPath;
  try {
    parser = new JSONPath(field, { allowMissingKeys: true });
  } catch (e) {
    throw new SortFieldError(`sorting error: ${(e as Error).message}`);
  }
  const rows: TableRow[] = [...table.rows];
  const values = rows.map((row) => {
    const obj = row.object;
    if (!isPlainObject(obj)) return [];
    return parser.findResults(obj);
  });
  if (!values.some((v) => v.length > 0 && v[0].length > 0)) {
    throw new SortFieldError(`couldn't find any field with path ${goQuote(field)} in the list of objects`);
  }
  goSortInterface(
    rows.length,
    (i, j) => {
      const vi = values[i];
      const vj = values[j];
      if (vi.length === 0 || vi[0].length === 0) return true;
      if (vj.length === 0 || vj[0].length === 0) return false;
      return isLess(field, vi[0][0], vj[0][0]);
    },
    (i, j) => {
      [rows[i], rows[j]] = [rows[j], rows[i]];
      [values[i], values[j]] = [values[j], values[i]];
    },
  );
  return { ...table, rows };
}
