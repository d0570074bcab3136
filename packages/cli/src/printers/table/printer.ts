// kubectl's HumanReadablePrinter for Tables: it remembers the last column definitions so a
// table with the same columns (the next `get pod a b` result, a watch event) adds rows under
// the header already printed, and a table without definitions reuses the last ones.
import type { Table, TableColumnDefinition } from '@minik/api';
import type { TabWriter } from '../tabwriter.js';
import { decorateTable } from './decorate.js';
import { kindPrefix, type GroupKind, type TablePrintOptions } from './options.js';
import { printTable } from './print-table.js';
import { sortTableRows } from './sort.js';

export interface PrinterOptions extends TablePrintOptions {
  /** The kind whose name column gets prefixed when withKind is on. */
  kind?: GroupKind | string;
}

const EVENT_TYPES: Record<string, string> = {
  ADDED: 'ADDED   ',
  MODIFIED: 'MODIFIED',
  DELETED: 'DELETED ',
  ERROR: 'ERROR   ',
};

/** Go compares the decoded structs, so absent fields equal their zero values. */
function sameColumns(a: TableColumnDefinition[], b: TableColumnDefinition[]): boolean {
  const norm = (c: TableColumnDefinition) => [c.name, c.type, c.format ?? '', c.description ?? '', c.priority ?? 0];
  return a.length === b.length && a.every((c, i) => JSON.stringify(norm(c)) === JSON.stringify(norm(b[i])));
}

export class TablePrinter {
  private lastColumns: TableColumnDefinition[] = [];
  private printedHeaders = false;

  constructor(private readonly opts: PrinterOptions = {}) {}

  /** Writes one Table (a list result or a watch event's one-row table) into w. */
  print(input: Table, w: TabWriter, eventType?: string): void {
    let table = this.opts.sortBy ? sortTableRows(input, this.opts.sortBy) : input;
    let noHeaders = !!this.opts.noHeaders;
    const cols = table.columnDefinitions ?? [];
    if (this.printedHeaders && (cols.length === 0 || sameColumns(cols, this.lastColumns))) noHeaders = true;
    if (cols.length === 0) table = { ...table, columnDefinitions: this.lastColumns };
    else if (!sameColumns(cols, this.lastColumns)) {
      this.lastColumns = cols;
      this.printedHeaders = false;
    }
    if (table.rows.length > 0) this.printedHeaders = true;

    const withKind = this.opts.withKind && this.opts.kind !== undefined;
    table = decorateTable(table, {
      withNamespace: this.opts.withNamespace,
      showLabels: this.opts.showLabels,
      labelColumns: this.opts.labelColumns,
      kindPrefix: withKind ? kindPrefix(this.opts.kind!) : undefined,
    });
    if (eventType) {
      table = {
        ...table,
        columnDefinitions: [{ name: 'Event', type: 'string' }, ...table.columnDefinitions],
        rows: table.rows.map((r) => ({ ...r, cells: [EVENT_TYPES[eventType] ?? eventType, ...r.cells] })),
      };
    }
    printTable(table, w, { wide: this.opts.wide, noHeaders });
  }
}
