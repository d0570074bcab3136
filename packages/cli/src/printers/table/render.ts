// The loop of `kubectl get` (get.go Run) over server-side Tables: one tabwriter for the whole
// output, flushed with widths forgotten whenever the resource changes, and a blank line
// before the next block once something has been printed (not with --no-headers).
import type { Table } from '@minik/api';
import { TabWriter } from '../tabwriter.js';
import { kindPrefix, type GroupKind, type TablePrintOptions } from './options.js';
import { TablePrinter } from './printer.js';
import { SortFieldError } from './sort.js';

/** One server response: `get all` gives one per resource type, `get pod a b` one per name. */
export interface TableSection {
  table: Table;
  /** The kind the rows belong to; needed for `kind/` prefixes. */
  kind?: GroupKind | string;
  /** Cluster-scoped resources (nodes, namespaces) never get the -A NAMESPACE column. */
  clusterScoped?: boolean;
  /**
   * Consecutive sections of the same resource share one header and column widths; defaults
   * to the kind. Give e.g. `pods` / `deployments.apps` if kinds are not set.
   */
  resource?: string;
}

const sectionKey = (s: TableSection) => s.resource ?? (s.kind !== undefined ? kindPrefix(s.kind) : '');

/** The text `kubectl get` prints for these Tables (empty when there is nothing to show). */
export function renderTables(input: Table | TableSection | (Table | TableSection)[], opts: TablePrintOptions = {}): string {
  const list = Array.isArray(input) ? input : [input];
  const sections: TableSection[] = list.map((s) => ('table' in s ? s : { table: s }));
  // kubectl prefixes names as soon as more than one kind was requested.
  const kinds = new Set(sections.map((s) => (s.kind !== undefined ? kindPrefix(s.kind) : '')));
  const withKind = opts.withKind ?? kinds.size > 1;

  const w = new TabWriter();
  let out = '';
  let written = 0;
  let separatorPending = false;
  const emit = (text: string) => {
    if (!text) return;
    if (separatorPending) {
      out += '\n';
      separatorPending = false;
    }
    out += text;
    written += text.length;
  };

  let printer: TablePrinter | undefined;
  let lastKey: string | undefined;
  for (const section of sections) {
    const key = sectionKey(section);
    if (!printer || key !== lastKey) {
      emit(w.flush());
      w.resetRememberedWidths();
      if (lastKey !== undefined && !opts.noHeaders && written > 0) separatorPending = true;
      printer = new TablePrinter({
        ...opts,
        withKind,
        kind: section.kind,
        withNamespace: !!opts.withNamespace && !section.clusterScoped,
      });
      lastKey = key;
    }
    try {
      printer.print(section.table, w);
    } catch (e) {
      if (!(e instanceof SortFieldError)) throw e;
    }
    emit(w.take());
  }
  emit(w.flush());
  return out;
}
