// Go's text/tabwriter as kubectl uses it: github.com/liggitt/tabwriter for `get` (minwidth 6,
// tabwidth 4, padding 3, padchar ' ', RememberWidths; the defaults here) and text/tabwriter for
// `describe` (minwidth 0, padding 2, flags 0). Cells are tab-terminated; the text after the last
// tab of a line is not part of a column and is never padded, while every tab-terminated cell
// (even an empty one) is. A column's width is the widest cell of a block of consecutive lines
// that have that column, plus padding, at least minwidth. With RememberWidths a column never
// gets narrower than it was at an earlier flush, which is what keeps `get -w` rows aligned with
// the first screen. A line without any tab flushes.

export interface TabWriterOptions {
  /** Minimal cell width, padding included. */
  minWidth?: number;
  /** Added to the widest cell of a column. */
  padding?: number;
  /** liggitt/tabwriter's RememberWidths flag. */
  rememberWidths?: boolean;
  /** '\v' ends a cell and '\f' ends a line and flushes, as in Go; the table printers keep them as text. */
  vtabFormfeed?: boolean;
}

interface Cell {
  text: string;
  width: number; // in code points, as tabwriter counts runes
}

const runeCount = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

export class TabWriter {
  private lines: Cell[][] = [[]];
  private cell = '';
  private widths: number[] = [];
  private maxWidths: number[] = [];
  private out = '';
  private readonly minWidth: number;
  private readonly padding: number;
  private readonly remember: boolean;
  private readonly vtabFormfeed: boolean;

  constructor(opts: TabWriterOptions = {}) {
    this.minWidth = opts.minWidth ?? 6;
    this.padding = opts.padding ?? 3;
    this.remember = opts.rememberWidths ?? true;
    this.vtabFormfeed = opts.vtabFormfeed ?? false;
  }

  write(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== '\t' && ch !== '\n' && (!this.vtabFormfeed || (ch !== '\v' && ch !== '\f'))) continue;
      this.cell += text.slice(start, i);
      start = i + 1;
      const line = this.terminateCell();
      if (ch === '\n' || ch === '\f') {
        this.lines.push([]);
        // A line with a single cell ends every column block, so tabwriter flushes here.
        if (ch === '\f' || line.length === 1) this.formatAll();
      }
    }
    this.cell += text.slice(start);
  }

  /** Formats buffered lines into the output; returns and clears everything written so far. */
  flush(): string {
    if (this.cell.length > 0) this.terminateCell();
    this.formatAll();
    return this.take();
  }

  /** Text already formatted by implicit flushes and not yet taken. */
  take(): string {
    const out = this.out;
    this.out = '';
    return out;
  }

  /** get.go resets remembered widths when it starts printing another resource type. */
  resetRememberedWidths(): void {
    this.maxWidths = [];
  }

  private terminateCell(): Cell[] {
    const line = this.lines[this.lines.length - 1];
    line.push({ text: this.cell, width: runeCount(this.cell) });
    this.cell = '';
    return line;
  }

  private formatAll(): void {
    this.format(0, this.lines.length);
    this.lines = [[]];
    this.widths = [];
  }

  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= this.lines[cur].length - 1) continue;
      // cur starts a block of lines that all have a cell in this column.
      this.writeLines(line0, cur);
      line0 = cur;
      let width = this.minWidth;
      for (; cur < line1; cur++) {
        const line = this.lines[cur];
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column].width + this.padding);
      }
      if (this.remember) {
        if (this.maxWidths.length < this.widths.length) this.maxWidths.push(...this.widths.slice(this.maxWidths.length));
        if (this.maxWidths.length === this.widths.length) this.maxWidths.push(width);
        else if (this.maxWidths[column] > width) width = this.maxWidths[column];
        else this.maxWidths[column] = width;
      }
      this.widths.push(width);
      this.format(line0, cur);
      this.widths.pop();
      line0 = cur; // like Go, the loop then skips the line that ended the block (it has no cell here)
    }
    this.writeLines(line0, line1);
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i];
      line.forEach((c, j) => {
        this.out += c.text;
        if (j < this.widths.length) this.out += ' '.repeat(Math.max(0, this.widths[j] - c.width));
      });
      // The buffer always ends with an open (empty) line; only complete lines get a newline.
      if (i + 1 < this.lines.length) this.out += '\n';
    }
  }
}
