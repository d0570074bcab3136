// kubectl describe's PrefixWriter over a tabwriter (describe.go: prefixWriter, tabbedString).
import { escapeTerminal } from '../printers/escape-terminal.js';
import { TabWriter } from '../printers/tabwriter.js';

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;
export const LEVEL_4 = 4;

/** Go's text/tabwriter as describe.go sets it up: minwidth 0, padding 2, flags 0. */
export const describeTabWriter = () => new TabWriter({ minWidth: 0, padding: 2, rememberWidths: false, vtabFormfeed: true });

export class PrefixWriter {
  private out = '';

  constructor(private readonly tw: TabWriter) {}

  /** Writes `text` indented by two spaces per level (the text carries its own tabs/newlines). */
  write(level: number, text: string): void {
    this.tw.write(escapeTerminal('  '.repeat(level) + text));
  }

  /** fmt.Sprintln of one value. */
  writeLine(text: string): void {
    this.tw.write(escapeTerminal(text + '\n'));
  }

  flush(): void {
    this.out += this.tw.flush();
  }

  /** Flushes and returns all output written so far. */
  toString(): string {
    this.flush();
    return this.out;
  }
}

/** Runs a describer body against a fresh tabwriter and returns the text. */
export function tabbedString(fn: (w: PrefixWriter) => void): string {
  const w = new PrefixWriter(describeTabWriter());
  fn(w);
  return w.toString();
}
