// printTable (cli-runtime tableprinter.go): one tab-separated line per row into the tabwriter,
// header upper-cased, priority > 0 columns only with -o wide. A table with no rows prints
// nothing, not even its header. Cells print as Go's fmt.Sprint; null cells are empty.
import type { Table } from '@minik/api';
import { escapeTerminal } from '../escape-terminal.js';
import { goSprint } from '../go-format.js';
import type { TabWriter } from '../tabwriter.js';

/** Terminal-unsafe text is escaped and multi-line cells are cut at the first line break. */
export function cellText(cell: unknown): string {
  const s = typeof cell === 'string' ? cell : goSprint(cell);
  const brk = s.search(/[\f\n\r]/);
  const shown = brk >= 0 ? s.slice(0, brk) : s;
  const escaped = escapeTerminal(shown);
  return brk >= 0 ? escaped + '...' : escaped;
}

export function printTable(table: Table, w: TabWriter, opts: { wide?: boolean; noHeaders?: boolean }): void {
  const cols = table.columnDefinitions;
  const visible = (i: number) => opts.wide || !cols[i].priority;
  if (!opts.noHeaders) {
    if (table.rows.length === 0) return;
    const names = cols.filter((_, i) => visible(i)).map((c) => c.name.toUpperCase());
    w.write(names.join('\t') + '\n');
  }
  for (const row of table.rows) {
    const cells: string[] = [];
    // Cells beyond the column definitions are ignored, as kubectl does for bad server output.
    row.cells.slice(0, cols.length).forEach((cell, i) => {
      if (visible(i)) cells.push(cell === null || cell === undefined ? '' : cellText(cell));
    });
    w.write(cells.join('\t') + '\n');
  }
}
