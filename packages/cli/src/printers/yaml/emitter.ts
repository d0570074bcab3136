// A port of the parts of libyaml's emitter (go-yaml v2 emitterc.go) that kubectl's -o yaml
// reaches: block mappings and sequences, `{}`/`[]` for empty ones, and the five scalar
// writers with their 80-column folding. Recursion replaces libyaml's event state machine;
// the column/indent/whitespace bookkeeping is kept as is because the output depends on it.
import { analyzeScalar, isBreak, isPrintable, isSpace, type ScalarAnalysis } from './chars.js';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

export interface Scalar {
  text: string;
  style: ScalarStyle; // what the encoder asks for; the emitter may fall back to quoting
}

export type Node = Scalar | { seq: Node[] } | { map: [Scalar, Node][] };

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

interface Context {
  root?: boolean;
  sequence?: boolean;
  mapping?: boolean;
  simpleKey?: boolean;
}

export class Emitter {
  private out = '';
  private column = 0;
  private indent = -1;
  private indents: number[] = [];
  private whitespace = true;
  private indention = true;
  private flowLevel = 0;
  private ctx: Context = {};

  /** One document, as yaml.Marshal writes it (implicit start and end, no `...`). */
  static document(node: Node): string {
    const e = new Emitter();
    e.node(node, { root: true });
    e.writeIndent();
    return e.out;
  }

  // ---- low-level output, counting columns in characters ----

  private put(s: string): void {
    this.out += s;
    this.column += 1;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  private writeBreak(c: string): void {
    if (c === '\n') this.putBreak();
    else {
      this.out += c;
      this.column = 0;
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const c of indicator) this.put(c);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  // ---- nodes ----

  private node(n: Node, ctx: Context): void {
    this.ctx = ctx;
    if ('seq' in n) {
      if (n.seq.length === 0 || this.flowLevel > 0) this.emptyFlow('[', ']');
      else this.blockSequence(n.seq);
    } else if ('map' in n) {
      if (n.map.length === 0 || this.flowLevel > 0) this.emptyFlow('{', '}');
      else this.blockMapping(n.map);
    } else {
      this.scalar(n);
    }
  }

  /** Only empty collections are written in flow style by kubectl's YAML. */
  private emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.increaseIndent(true, false);
    this.popIndent();
    this.writeIndicator(close, false, false, false);
  }

  private blockSequence(items: Node[]): void {
    // A sequence that is a mapping value is not indented: `key:\n- item`.
    this.increaseIndent(false, !!this.ctx.mapping && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, { sequence: true });
    }
    this.popIndent();
  }

  private blockMapping(entries: [Scalar, Node][]): void {
    this.increaseIndent(false, false);
    for (const [key, value] of entries) {
      this.writeIndent();
      const chars = Array.from(key.text);
      const simple = !analyzeScalar(chars).multiline && Buffer.byteLength(key.text, 'utf8') <= 128;
      if (simple) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false, false, false);
      } else {
        // Keys longer than 128 bytes get libyaml's explicit `? key` / `: value` form.
        this.writeIndicator('?', true, false, true);
        this.node(key, { mapping: true });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(value, { mapping: true });
    }
    this.popIndent();
  }

  // ---- scalars ----

  private selectStyle(s: Scalar, chars: string[], a: ScalarAnalysis): ScalarStyle {
    let style = s.style;
    const simpleKey = !!this.ctx.simpleKey;
    if (simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      if ((this.flowLevel > 0 && !a.flowPlainAllowed) || (this.flowLevel === 0 && !a.blockPlainAllowed)) style = 'single';
      if (chars.length === 0 && (this.flowLevel > 0 || simpleKey)) style = 'single';
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || this.flowLevel > 0 || simpleKey)) style = 'double';
    return style;
  }

  private scalar(s: Scalar): void {
    const chars = Array.from(s.text);
    const style = this.selectStyle(s, chars, analyzeScalar(chars));
    this.increaseIndent(true, false);
    const allowBreaks = !this.ctx.simpleKey;
    if (style === 'plain') this.plain(chars, allowBreaks);
    else if (style === 'single') this.singleQuoted(chars, allowBreaks);
    else if (style === 'double') this.doubleQuoted(chars, allowBreaks);
    else this.literal(chars);
    this.popIndent();
  }

  private plain(v: string[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      if (isSpace(c)) {
        // Fold long lines at a single space once past column 80.
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && !isSpace(v[i + 1])) this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(v: string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < v.length - 1 && !isSpace(v[i + 1]))
          this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === "'") this.put("'");
        this.put(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private doubleQuoted(v: string[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    const bom = v[0] === '\ufeff'; // libyaml checks the start of the value, not position i
    let spaces = false;
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      if (!isPrintable(c) || bom || isBreak(c) || c === '"' || c === '\\') {
        this.put('\\');
        for (const ch of escape(c.codePointAt(0)!)) this.put(ch);
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < v.length - 1) {
          this.writeIndent();
          if (isSpace(v[i + 1])) this.put('\\');
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private literal(v: string[]): void {
    this.writeIndicator('|', true, false, false);
    // Indentation indicator when the text starts with a space or break; chomping from its end.
    if (isSpace(v[0]) || isBreak(v[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    const last = v.length - 1;
    let chomp = '';
    if (v.length === 0 || !isBreak(v[last])) chomp = '-';
    else if (last === 0 || isBreak(v[last - 1])) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of v) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** The text after the backslash in a double-quoted scalar. */
function escape(cp: number): string {
  const named: Record<number, string> = {
    0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r',
    0x1b: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
  };
  if (named[cp] !== undefined) return named[cp];
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return 'x' + hex.padStart(2, '0');
  if (cp <= 0xffff) return 'u' + hex.padStart(4, '0');
  return 'U' + hex.padStart(8, '0');
}
