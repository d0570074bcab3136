import { describe, expect, it } from 'vitest';
import { describeTabWriter, tabbedString } from './writer.js';

const run = (...chunks: string[]) => {
  const tw = describeTabWriter();
  for (const c of chunks) tw.write(c);
  return tw.flush();
};

describe('TabWriter (Go text/tabwriter, padding 2)', () => {
  it('aligns a column over consecutive tabbed lines', () => {
    expect(run('Name:\tweb\nService Account:\tdefault\n')).toBe('Name:             web\nService Account:  default\n');
  });

  it('a line without tabs ends the block', () => {
    expect(run('A:\t1\nContainers:\nLonger name:\t2\n')).toBe('A:  1\nContainers:\nLonger name:  2\n');
  });

  it('pads empty cells and tab-terminated cells before an empty last cell', () => {
    expect(run('Labels:\ta=b\n\tc=d\nIP:\t\n')).toBe('Labels:  a=b\n         c=d\nIP:      \n');
  });

  it('sizes nested columns per block and counts runes, not bytes', () => {
    expect(run('  Type\tStatus\n  Ready \tTrue \n')).toBe('  Type    Status\n  Ready   True \n');
    expect(run('é:\tx\nab:\ty\n')).toBe('é:   x\nab:  y\n');
  });

  it('keeps text written across several calls in one cell', () => {
    expect(run('Tolerations:\t', 'key', '=v', ':NoSchedule', '\n', 'QoS:\tx\n')).toBe('Tolerations:  key=v:NoSchedule\nQoS:          x\n');
  });

  it('flush separates the alignment of what came before', () => {
    const out = tabbedString((w) => {
      w.write(0, 'Long label here:\tx\n');
      w.flush();
      w.write(0, 'A:\ty\n');
    });
    expect(out).toBe('Long label here:  x\nA:  y\n');
  });

  it('escapes terminal control characters', () => {
    expect(tabbedString((w) => w.write(0, 'a\x1b[31mb\rc\n'))).toBe('a^[[31mb\\rc\n');
  });

  it('a form feed ends the line and the block; a vertical tab ends a cell', () => {
    expect(run('A:\t1\fLonger:\t2\n')).toBe('A:  1\nLonger:  2\n');
    expect(run('a\vb\tc\nlong\vd\te\n')).toBe('a     b  c\nlong  d  e\n');
  });
});
