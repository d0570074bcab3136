// Printer failures carry kubectl's message text (Go's err.Error()); the CLI prints them the
// way kubectl's CheckErr does, which cliErrorText reproduces.

import { goQuote } from './go-format.js';

export class PrinterError extends Error {
  /** Output kubectl has already written to stdout when it fails (custom-columns' header). */
  partialOutput = '';
}

/** The formats `kubectl get -o` accepts, in the order its error message lists them. */
export const ALLOWED_FORMATS = [
  'custom-columns',
  'custom-columns-file',
  'go-template',
  'go-template-file',
  'json',
  'jsonpath',
  'jsonpath-as-json',
  'jsonpath-file',
  'name',
  'template',
  'templatefile',
  'wide',
  'yaml',
];

export function noCompatiblePrinter(format: string): PrinterError {
  return new PrinterError(
    `unable to match a printer suitable for the output format ${goQuote(format)}, allowed formats are: ${ALLOWED_FORMATS.join(',')}`,
  );
}

/** What kubectl writes to stderr for an error: `error: ` prefix, one trailing newline at most added. */
export function cliErrorText(err: unknown): string {
  let msg = err instanceof Error ? err.message : String(err);
  if (!msg.startsWith('error: ')) msg = `error: ${msg}`;
  return msg.endsWith('\n') ? msg : msg + '\n';
}
