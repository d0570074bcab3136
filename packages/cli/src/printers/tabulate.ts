// Plain rows through kubectl's tabwriter, for commands that print their own tables
// (api-resources, config get-contexts) rather than server-side Tables.
import { TabWriter } from './tabwriter.js';

/** Rows of cells (the header row included if wanted), aligned as kubectl aligns them. */
export function tabulate(rows: string[][]): string {
  const w = new TabWriter();
  for (const row of rows) w.write(row.join('\t') + '\n');
  return w.flush();
}
