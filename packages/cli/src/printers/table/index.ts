export { decorateTable, labelHeader } from './decorate.js';
export { kindPrefix, type GroupKind, type TablePrintOptions } from './options.js';
export { TablePrinter, type PrinterOptions } from './printer.js';
export { printTable, cellText } from './print-table.js';
export { renderTables, type TableSection } from './render.js';
export { sortTableRows, SortFieldError } from './sort.js';
export { TableWatchPrinter, type WatchPrintOptions } from './watch.js';
