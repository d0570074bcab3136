// `kubectl get -w`: the first list and then one row per watch event, through one tabwriter
// that is flushed after each print and remembers column widths. Event rows are therefore
// padded to the first screen's widths, and a wider cell widens that column from then on:
//
//   NAME    READY   STATUS    RESTARTS   AGE
//   pod-x   1/1     Running   0          1s
//   web-z55bgtcwf8-hvhwg   0/1     ContainerCreating   0          0s
//   web-z55bgtcwf8-hvhwg   1/1     Running             0          1s
import type { Status, Table } from '@minik/api';
import { TabWriter } from '../tabwriter.js';
import type { GroupKind, TablePrintOptions } from './options.js';
import { TablePrinter } from './printer.js';

export interface WatchPrintOptions extends Omit<TablePrintOptions, 'withKind' | 'sortBy'> {
  /** --output-watch-events: an EVENT column (ADDED, MODIFIED, DELETED). */
  outputWatchEvents?: boolean;
  kind?: GroupKind | string;
}

export class TableWatchPrinter {
  private readonly w = new TabWriter();
  private readonly printer: TablePrinter;
  private statusHeaderPrinted = false;

  constructor(private readonly opts: WatchPrintOptions = {}) {
    // kubectl's watch printer never prefixes kinds and ignores --sort-by.
    this.printer = new TablePrinter({ ...opts, withKind: false });
  }

  /** The initial list (eventType omitted, or ADDED with --output-watch-events). */
  printList(table: Table): string {
    return this.print(table, this.opts.outputWatchEvents ? 'ADDED' : undefined);
  }

  /** One watch event whose object is a Table (usually one row, maybe without columns). */
  printEvent(type: string, table: Table): string {
    return this.print(table, this.opts.outputWatchEvents ? type : undefined);
  }

  /** An ERROR event carries a Status, which kubectl prints with its own small table. */
  printStatus(status: Status, type = 'ERROR'): string {
    const event = this.opts.outputWatchEvents ? type : undefined;
    const ns = this.opts.withNamespace;
    if (!this.statusHeaderPrinted && !this.opts.noHeaders) {
      const header = [...(event ? ['EVENT'] : []), ...(ns ? ['NAMESPACE'] : []), 'STATUS', 'REASON', 'MESSAGE'];
      this.w.write(header.join('\t') + '\n');
    }
    this.statusHeaderPrinted = true;
    const cells = [status.status ?? '', status.reason ?? '', status.message ?? ''];
    this.w.write([...(event ? [event.padEnd(8)] : []), ...(ns ? [''] : []), ...cells].join('\t') + '\n');
    return this.w.flush();
  }

  private print(table: Table, eventType?: string): string {
    this.printer.print(table, this.w, eventType);
    return this.w.flush();
  }
}
