// decorateTable (cli-runtime tableprinter.go): what kubectl adds to the server's Table on the
// client: NAMESPACE first (-A), label columns last (-L, --show-labels), `kind/` name prefixes.
// Namespace and labels come from rows[].object.metadata; rows without an object get empty cells.
import { formatLabels, type Table, type TableColumnDefinition, type TableRow } from '@minik/api';
import { goSprint } from '../go-format.js';

export interface DecorateOptions {
  withNamespace?: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  /** Lower-case `kind[.group]` to prefix the name column with, or undefined for none. */
  kindPrefix?: string;
}

/** -L app.kubernetes.io/name is headed NAME: the part after the last slash. */
export function labelHeader(key: string): string {
  const parts = key.split('/');
  return parts[parts.length - 1].toUpperCase();
}

interface Meta {
  namespace?: string;
  labels?: Record<string, string> | null;
}

function rowMeta(row: TableRow): Meta | undefined {
  const obj = row.object;
  if (obj === null || obj === undefined || typeof obj !== 'object') return undefined;
  return (obj.metadata ?? {}) as Meta;
}

export function decorateTable(table: Table, opts: DecorateOptions): Table {
  const labelKeys = opts.labelColumns ?? [];
  let width = table.columnDefinitions.length + labelKeys.length;
  if (opts.withNamespace) width++;
  if (opts.showLabels) width++;

  let columns: TableColumnDefinition[] = table.columnDefinitions;
  if (width !== columns.length) {
    columns = [
      ...(opts.withNamespace ? [{ name: 'Namespace', type: 'string' }] : []),
      ...table.columnDefinitions,
      ...labelKeys.map((k) => ({ name: labelHeader(k), type: 'string' })),
      ...(opts.showLabels ? [{ name: 'Labels', type: 'string' }] : []),
    ];
  }

  // Only a column declared {type: string, format: name} gets the kind prefix.
  const nameColumn = opts.kindPrefix
    ? table.columnDefinitions.findIndex((c) => c.format === 'name' && c.type === 'string')
    : -1;
  const includeLabels = labelKeys.length > 0 || !!opts.showLabels;
  if (!includeLabels && !opts.withNamespace && nameColumn === -1) return { ...table, columnDefinitions: columns };

  const rows = table.rows.map((row): TableRow => {
    let cells = [...row.cells];
    if (nameColumn !== -1) cells[nameColumn] = `${opts.kindPrefix}/${goSprint(cells[nameColumn])}`;
    const meta = rowMeta(row);
    if (!meta) {
      if (opts.withNamespace) cells = [null, ...cells];
      // kubectl's fill loop re-reads the growing length, so it adds only about half the cells.
      for (let j = 0; j < width - cells.length; j++) cells.push(null);
      return { ...row, cells };
    }
    if (opts.withNamespace) cells = [meta.namespace ?? '', ...cells];
    if (includeLabels) {
      const labels = meta.labels ?? {};
      for (const key of labelKeys) cells.push(labels[key] ?? '');
      if (opts.showLabels) cells.push(formatLabels(labels));
    }
    return { ...row, cells };
  });
  return { ...table, columnDefinitions: columns, rows };
}
