// A port of Go's text/tabwriter (flags 0, padchar ' '), which kubectl describe aligns with.
// The quirks matter for byte-for-byte output: a line without tabs flushes the block, every
// tab-terminated cell (even an empty one) is padded, and the text after the last tab of a
// line is never part of a column.

interface Cell {
  text: string;
  width: number;
}

export class TabWriter {
  private out = '';
  private lines: Cell[][] = [[]];
  private cell = '';
  private widths: number[] = [];

  constructor(
    private readonly minwidth = 0,
    private readonly padding = 2,
  ) {}

  write(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') continue;
      this.cell += text.slice(start, i);
      start = i + 1;
      const ncells = this.terminateCell();
      if (ch === '\n' || ch === '\f') {
        this.lines.push([]);
        // A one-cell line cannot affect the columns of the lines after it: Go flushes here.
        if (ch === '\f' || ncells === 1) this.flushLines();
      }
    }
    this.cell += text.slice(start);
  }

  /** Formats everything buffered (kubectl's PrefixWriter.Flush before the Events table). */
  flush(): void {
    if (this.cell.length > 0) this.terminateCell();
    this.flushLines();
  }

  /** Flushes and returns all output written so far. */
  toString(): string {
    this.flush();
    return this.out;
  }

  private terminateCell(): number {
    const line = this.lines[this.lines.length - 1];
    line.push({ text: this.cell, width: [...this.cell].length });
    this.cell = '';
    return line.length;
  }

  private flushLines(): void {
    this.format(0, this.lines.length);
    this.lines = [[]];
    this.widths = [];
  }

  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let i = line0; i < line1; i++) {
      if (column >= this.lines[i].length - 1) continue;
      // A cell in this column starts a block: print the lines before it, then size the block.
      this.writeLines(line0, i);
      line0 = i;
      let width = this.minwidth;
      for (; i < line1; i++) {
        const line = this.lines[i];
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column].width + this.padding);
      }
      this.widths.push(width);
      this.format(line0, i);
      this.widths.pop();
      line0 = i;
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
      if (i + 1 === this.lines.length) this.out += this.cell;
      else this.out += '\n';
    }
  }
}
